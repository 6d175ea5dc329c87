package io.cqrsworkers.security;

/** The request's bearer token is missing or not acceptable: 401. The message says why, for the caller. */
public class InvalidTokenException extends Exception {

    private final boolean missing;

    public InvalidTokenException(String message) {
        this(message, false);
    }

    private InvalidTokenException(String message, boolean missing) {
        super(message, null, false, false);
        this.missing = missing;
    }

    /** No Authorization: Bearer at all (RFC 6750 3.1: the challenge then carries no error code). */
    public static InvalidTokenException missing() {
        return new InvalidTokenException("This API needs a bearer token: Authorization: Bearer <JWT>", true);
    }

    public boolean isMissing() {
        return missing;
    }
}
