package io.cqrsworkers.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.json.Jackson;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The console's opaque paging tokens: a small JSON object, URL-safe Base64, handed back unchanged by the browser. */
final class PageToken {

    private PageToken() {
    }

    static String encode(JsonNode cursor) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(cursor.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor, or null for the first page; a token that is not ours is a 400. */
    static JsonNode decode(String token) {
        if (token == null || token.isBlank()) {
            return null;
        }
        try {
            return Jackson.MAPPER.readTree(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new ConsoleException(400, "Invalid page token");
        }
    }
}
