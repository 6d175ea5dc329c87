package io.cqrsworkers.imports;

/** A row a strategy refused (transform, validate, compare or map): it is counted as failed with the reason. */
public class InvalidRowException extends RuntimeException {

    public InvalidRowException(String message, Throwable cause) {
        super(message, cause);
    }
}
