package io.cqrsworkers.console;

/** A console API request that cannot be answered: its HTTP status (400, 403, 404) and why. */
public class ConsoleException extends RuntimeException {

    private final int status;

    public ConsoleException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
