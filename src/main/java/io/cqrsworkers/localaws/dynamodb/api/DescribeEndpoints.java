package io.cqrsworkers.localaws.dynamodb.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.http.AwsJsonServer;

import java.util.function.Supplier;

/** DescribeEndpoints (endpoint discovery): points back at this emulator. */
final class DescribeEndpoints implements AwsJsonServer.Operation {

    private final Supplier<String> address;

    DescribeEndpoints(Supplier<String> address) {
        this.address = address;
    }

    @Override
    public ObjectNode handle(JsonNode req) {
        ObjectNode out = Requests.object();
        out.putArray("Endpoints").addObject().put("Address", address.get()).put("CachePeriodInMinutes", 1440);
        return out;
    }
}
