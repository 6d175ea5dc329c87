package io.cqrsworkers.localaws.stepfunctions.integrations;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The Task attempt an integration call belongs to, as the integration sees it: the runtime implements it, so the
 * integrations need nothing of the runtime. The first of succeed or fail settles it; later calls are ignored.
 */
public interface Attempt {
    void succeed(JsonNode output);

    void fail(String error, String cause);
}
