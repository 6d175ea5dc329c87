package io.cqrsworkers.security;

/** The issuer's signing keys could not be fetched and none are cached: 503, the token may well be fine. */
public class KeysUnavailableException extends Exception {

    public KeysUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
