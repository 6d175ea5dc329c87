package io.cqrsworkers.command;

/** A refused command request, with the HTTP status the API answers: 400 invalid, 404 unknown, 409 conflict. */
public class CommandException extends RuntimeException {

    private final int status;

    public CommandException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
