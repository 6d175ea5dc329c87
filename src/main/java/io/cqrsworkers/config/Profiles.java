package io.cqrsworkers.config;

/** The profile decides whether AWS is embedded ({@code local}, the default) or real ({@code aws}). */
public final class Profiles {

    public static final String LOCAL = "local";
    public static final String AWS = "aws";

    private Profiles() {
    }

    /** System property {@code camel.main.profile}, then env {@code CAMEL_MAIN_PROFILE}, else {@code local}. */
    public static String active() {
        String value = System.getProperty("camel.main.profile");
        if (value == null || value.isBlank()) {
            value = System.getenv("CAMEL_MAIN_PROFILE");
        }
        return value == null || value.isBlank() ? LOCAL : value.trim();
    }
}
