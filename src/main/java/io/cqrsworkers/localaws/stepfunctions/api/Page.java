package io.cqrsworkers.localaws.stepfunctions.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.stepfunctions.core.SfnException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/** nextToken/maxResults pagination over an ordered list; the token encodes the next offset. */
final class Page {
    private Page() {
    }

    static <T> ObjectNode write(ObjectNode response, String member, List<T> all, JsonNode request, int defaultMax, Function<T, JsonNode> render) {
        int max = request.path("maxResults").asInt(0);
        if (max < 0 || max > 1000) {
            throw SfnException.validation("1 validation error detected: Value '" + max + "' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000");
        }
        if (max == 0) {
            max = defaultMax;
        }
        int from = offset(request.path("nextToken").asText(null));
        ArrayNode items = response.putArray(member);
        int to = Math.min(all.size(), from + max);
        for (int i = from; i < to; i++) {
            items.add(render.apply(all.get(i)));
        }
        if (to < all.size()) {
            response.put("nextToken", Base64.getEncoder().encodeToString(("o:" + to).getBytes(StandardCharsets.UTF_8)));
        }
        return response;
    }

    private static int offset(String token) {
        if (token == null || token.isEmpty()) {
            return 0;
        }
        try {
            String s = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
            if (s.startsWith("o:")) {
                return Integer.parseInt(s.substring(2));
            }
        } catch (IllegalArgumentException ignored) {
            // falls through to the AWS error below
        }
        throw new SfnException("InvalidToken", "Invalid Token: '" + token + "'");
    }
}
