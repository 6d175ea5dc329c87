package io.cqrsworkers.json;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The service's one JSON mapper (Jackson's defaults). An {@link ObjectMapper} is thread-safe once configured and
 * expensive to build, so every class of the service shares this one; it is also bound as the Camel bean
 * {@value #BEAN} for Camel's jackson data format. The embedded AWS services keep their own.
 */
public final class Jackson {

    public static final String BEAN = "objectMapper";
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Jackson() {
    }
}
