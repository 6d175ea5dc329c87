package io.cqrsworkers.localaws.dynamodb.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.http.AwsJsonServer;

/** DescribeLimits: AWS's default account quotas. */
final class DescribeLimits implements AwsJsonServer.Operation {

    @Override
    public ObjectNode handle(JsonNode req) {
        ObjectNode out = Requests.object();
        out.put("AccountMaxReadCapacityUnits", 80000);
        out.put("AccountMaxWriteCapacityUnits", 80000);
        out.put("TableMaxReadCapacityUnits", 40000);
        out.put("TableMaxWriteCapacityUnits", 40000);
        return out;
    }
}
