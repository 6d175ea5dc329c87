package io.cqrsworkers.imports;

/** The archive cannot be imported as it is (bad input): the ZIP job fails with this reason, nothing is retried. */
public final class ZipRejectedException extends IllegalArgumentException {

    public ZipRejectedException(String message) {
        super(message);
    }

    public ZipRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
