package io.cqrsworkers.awsprofile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small CloudFormation for the {@link StandInAws}: creates the template's tables, queues, bucket and state machines
 * through the services' own APIs (the JSON protocols of DynamoDB, SQS and Step Functions, S3's REST PUT), with the
 * physical names, attributes and definitions the template gives them, as CloudFormation would.
 *
 * <p>Intrinsics: Ref (parameters with their defaults or given values, pseudo parameters AWS::Region, AWS::AccountId,
 * AWS::Partition, AWS::StackName, AWS::URLSuffix, AWS::NoValue, resources), Fn::GetAtt, Fn::Join, Fn::Sub (both forms,
 * {@code ${!literal}}), Fn::Select, Fn::Split, Fn::GetAZs, Fn::If with the template's Conditions (Fn::Equals, Fn::Not,
 * Fn::And, Fn::Or, Condition). A state machine's DefinitionSubstitutions are applied to its definition.
 *
 * <p>Other resource types (IAM, ECS, CloudWatch, Logs, EC2, AppSync, SNS, scaling, ...) are skipped and listed; a
 * reference to one of them resolves to a placeholder ({@code Ref} its logical id, {@code Arn} an ARN made of it), which
 * only IAM roles and log groups of the state machines need. Properties an applied resource carries but a stand-in has
 * no API for are listed as not applied.
 */
final class CloudFormationApplier {

    static final Set<String> APPLIED = Set.of("AWS::DynamoDB::Table", "AWS::SQS::Queue", "AWS::S3::Bucket",
            "AWS::StepFunctions::StateMachine");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern SUB = Pattern.compile("\\$\\{([^}]*)}");

    /** A reference to a resource of an applied type that is not created yet. */
    private static final class NotYet extends RuntimeException {
        NotYet(String logicalId) {
            super(logicalId, null, false, false);
        }
    }

    /** What a created resource answers to Ref and Fn::GetAtt. */
    private record Created(String type, String physicalName, String ref, Map<String, String> attributes) {
    }

    private final JsonNode template;
    private final String stackName;
    private final StandInAws aws;
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private final Map<String, Created> created = new LinkedHashMap<>();
    private final Map<String, Set<String>> notApplied = new TreeMap<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    CloudFormationApplier(JsonNode template, String stackName, StandInAws aws, Map<String, String> parameterValues) {
        this.template = template;
        this.stackName = stackName;
        this.aws = aws;
        template.path("Parameters").fields().forEachRemaining(p -> {
            String value = parameterValues.get(p.getKey());
            if (value == null && p.getValue().has("Default")) {
                value = p.getValue().get("Default").asText();
            }
            if (value != null) {
                parameters.put(p.getKey(), value);
            }
        });
    }

    /** Logical id -> type of the resources this applier creates, in template order. */
    Map<String, String> appliedResources() {
        Map<String, String> ids = new LinkedHashMap<>();
        template.path("Resources").fields().forEachRemaining(r -> {
            String type = r.getValue().path("Type").asText();
            if (APPLIED.contains(type) && conditionHolds(r.getValue())) {
                ids.put(r.getKey(), type);
            }
        });
        return ids;
    }

    /** Skipped resources: type -> count. */
    Map<String, Integer> skippedTypes() {
        Map<String, Integer> skipped = new TreeMap<>();
        template.path("Resources").fields().forEachRemaining(r -> {
            String type = r.getValue().path("Type").asText();
            if (!APPLIED.contains(type)) {
                skipped.merge(type, 1, Integer::sum);
            }
        });
        return skipped;
    }

    /** Properties of applied resources the stand-ins do not apply: "type.Property" -> logical ids. */
    Map<String, Set<String>> notApplied() {
        return notApplied;
    }

    /** The physical name the template gives a resource (TableName, QueueName, BucketName, StateMachineName). */
    String physicalName(String logicalId) {
        JsonNode resource = template.path("Resources").path(logicalId);
        String property = switch (resource.path("Type").asText()) {
            case "AWS::DynamoDB::Table" -> "TableName";
            case "AWS::SQS::Queue" -> "QueueName";
            case "AWS::S3::Bucket" -> "BucketName";
            case "AWS::StepFunctions::StateMachine" -> "StateMachineName";
            default -> throw new IllegalArgumentException(logicalId + " is not an applied resource");
        };
        JsonNode name = resource.path("Properties").path(property);
        if (name.isMissingNode()) {
            throw new IllegalStateException(logicalId + " has no " + property + ": CloudFormation would generate one, "
                    + "which the service could not find by its prefix");
        }
        return resolve(name).asText();
    }

    /** Logical id of the applied resource with that physical name. */
    String logicalId(String physicalName) {
        return appliedResources().keySet().stream().filter(id -> physicalName(id).equals(physicalName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no resource named " + physicalName));
    }

    /**
     * Creates every applied resource not created yet and accepted by the filter, in dependency order (a resource
     * whose properties refer to one not created yet waits for it). Returns the logical ids created by this call.
     */
    List<String> apply(Predicate<String> logicalIdFilter) {
        List<String> pending = new ArrayList<>();
        appliedResources().keySet().stream().filter(id -> !created.containsKey(id)).filter(logicalIdFilter)
                .forEach(pending::add);
        List<String> done = new ArrayList<>();
        boolean progress = true;
        while (!pending.isEmpty() && progress) {
            progress = false;
            for (Iterator<String> it = pending.iterator(); it.hasNext(); ) {
                String id = it.next();
                JsonNode resource = template.path("Resources").path(id);
                ObjectNode properties;
                try {
                    properties = (ObjectNode) resolve(resource.path("Properties"));
                } catch (NotYet waiting) {
                    continue;
                }
                created.put(id, create(id, resource.path("Type").asText(), properties));
                done.add(id);
                it.remove();
                progress = true;
            }
        }
        if (!pending.isEmpty() && pending.stream().anyMatch(logicalIdFilter)) {
            // left: resources that refer to one the filter left out (e.g. a queue whose dead-letter queue is missing)
            System.out.println("[cfn] not created (they refer to resources not created): " + pending);
        }
        return done;
    }

    private Created create(String id, String type, ObjectNode p) {
        return switch (type) {
            case "AWS::DynamoDB::Table" -> createTable(id, p);
            case "AWS::SQS::Queue" -> createQueue(id, p);
            case "AWS::S3::Bucket" -> createBucket(id, p);
            case "AWS::StepFunctions::StateMachine" -> createStateMachine(id, p);
            default -> throw new IllegalArgumentException(type);
        };
    }

    // ---------------------------------------------------------------------------------------------- resources

    private Created createTable(String id, ObjectNode p) {
        String name = p.path("TableName").asText();
        ObjectNode request = NODES.objectNode();
        for (String key : List.of("TableName", "AttributeDefinitions", "KeySchema", "BillingMode",
                "GlobalSecondaryIndexes", "LocalSecondaryIndexes", "ProvisionedThroughput", "TableClass",
                "DeletionProtectionEnabled", "Tags")) {
            if (p.has(key)) {
                request.set(key, p.get(key));
            }
        }
        if (p.has("StreamSpecification")) {
            request.putObject("StreamSpecification").put("StreamEnabled", true)
                    .put("StreamViewType", p.path("StreamSpecification").path("StreamViewType").asText());
        }
        if (p.has("SSESpecification")) {
            request.putObject("SSESpecification").put("Enabled",
                    p.path("SSESpecification").path("SSEEnabled").asBoolean());
        }
        noteNotApplied(id, "AWS::DynamoDB::Table", p, Set.of("TableName", "AttributeDefinitions", "KeySchema",
                "BillingMode", "GlobalSecondaryIndexes", "LocalSecondaryIndexes", "ProvisionedThroughput", "TableClass",
                "DeletionProtectionEnabled", "Tags", "StreamSpecification", "SSESpecification",
                "TimeToLiveSpecification", "PointInTimeRecoverySpecification"));
        call(aws.dynamoDb(), "DynamoDB_20120810.CreateTable", request);
        if (p.has("TimeToLiveSpecification")) {
            ObjectNode ttl = NODES.objectNode().put("TableName", name);
            ttl.set("TimeToLiveSpecification", p.get("TimeToLiveSpecification"));
            call(aws.dynamoDb(), "DynamoDB_20120810.UpdateTimeToLive", ttl);
        }
        if (p.has("PointInTimeRecoverySpecification")) {
            ObjectNode pitr = NODES.objectNode().put("TableName", name);
            pitr.putObject("PointInTimeRecoverySpecification").put("PointInTimeRecoveryEnabled",
                    p.path("PointInTimeRecoverySpecification").path("PointInTimeRecoveryEnabled").asBoolean());
            call(aws.dynamoDb(), "DynamoDB_20120810.UpdateContinuousBackups", pitr);
        }
        JsonNode table = call(aws.dynamoDb(), "DynamoDB_20120810.DescribeTable",
                NODES.objectNode().put("TableName", name)).path("Table");
        if (!"ACTIVE".equals(table.path("TableStatus").asText())) {
            throw new IllegalStateException("table " + name + " is " + table.path("TableStatus").asText());
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("Arn", table.path("TableArn").asText());
        if (table.has("LatestStreamArn")) {
            attributes.put("StreamArn", table.path("LatestStreamArn").asText());
        }
        return new Created("AWS::DynamoDB::Table", name, name, attributes);
    }

    private Created createQueue(String id, ObjectNode p) {
        String name = p.path("QueueName").asText();
        ObjectNode request = NODES.objectNode().put("QueueName", name);
        ObjectNode attributes = request.putObject("Attributes");
        p.fields().forEachRemaining(f -> {
            if (!f.getKey().equals("QueueName") && !f.getKey().equals("Tags")) {
                // CloudFormation takes RedrivePolicy as an object, the API as its JSON text
                attributes.put(f.getKey(), f.getValue().isContainerNode() ? f.getValue().toString() : f.getValue().asText());
            }
        });
        String url = call(aws.sqs(), "AmazonSQS.CreateQueue", request).path("QueueUrl").asText();
        ObjectNode get = NODES.objectNode().put("QueueUrl", url);
        get.putArray("AttributeNames").add("QueueArn");
        String arn = call(aws.sqs(), "AmazonSQS.GetQueueAttributes", get).path("Attributes").path("QueueArn").asText();
        return new Created("AWS::SQS::Queue", name, url, Map.of("Arn", arn, "QueueUrl", url, "QueueName", name));
    }

    private Created createBucket(String id, ObjectNode p) {
        String name = p.path("BucketName").asText();
        noteNotApplied(id, "AWS::S3::Bucket", p, Set.of("BucketName"));
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(aws.s3() + "/" + name))
                    .timeout(Duration.ofSeconds(30)).PUT(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("CreateBucket " + name + ": " + response.statusCode() + " "
                        + response.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException("CreateBucket " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return new Created("AWS::S3::Bucket", name, name, Map.of("Arn", "arn:aws:s3:::" + name,
                "DomainName", name + ".s3.amazonaws.com"));
    }

    private Created createStateMachine(String id, ObjectNode p) {
        String name = p.path("StateMachineName").asText();
        String definition = p.has("DefinitionString") ? p.path("DefinitionString").asText()
                : p.path("Definition").toString();
        JsonNode substitutions = p.path("DefinitionSubstitutions");
        if (substitutions.isObject()) {
            Matcher m = SUB.matcher(definition);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                JsonNode value = substitutions.get(m.group(1));
                m.appendReplacement(out, Matcher.quoteReplacement(value != null ? value.asText() : m.group()));
            }
            m.appendTail(out);
            definition = out.toString();
        }
        noteNotApplied(id, "AWS::StepFunctions::StateMachine", p, Set.of("StateMachineName", "DefinitionString",
                "Definition", "DefinitionSubstitutions", "RoleArn", "StateMachineType"));
        ObjectNode request = NODES.objectNode().put("name", name).put("definition", definition)
                .put("roleArn", p.path("RoleArn").asText())
                .put("type", p.path("StateMachineType").asText("STANDARD"));
        String arn = call(aws.stepFunctions(), "AWSStepFunctions.CreateStateMachine", request)
                .path("stateMachineArn").asText();
        return new Created("AWS::StepFunctions::StateMachine", name, arn, Map.of("Arn", arn, "Name", name));
    }

    private void noteNotApplied(String id, String type, ObjectNode p, Set<String> applied) {
        p.fieldNames().forEachRemaining(key -> {
            if (!applied.contains(key)) {
                notApplied.computeIfAbsent(type + "." + key, k -> new TreeSet<>()).add(id);
            }
        });
    }

    private JsonNode call(URI endpoint, String target, ObjectNode body) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint)
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/x-amz-json-1.0")
                    .header("X-Amz-Target", target).POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(target + " " + body + ": " + response.statusCode() + " "
                        + response.body());
            }
            return response.body().isBlank() ? NODES.objectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(target + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------------------------------------- intrinsics

    /** The value with every intrinsic function resolved; AWS::NoValue removes the key or element. */
    JsonNode resolve(JsonNode node) {
        if (node.isObject() && node.size() == 1) {
            String fn = node.fieldNames().next();
            JsonNode arg = node.get(fn);
            switch (fn) {
                case "Ref":
                    return ref(arg.asText());
                case "Fn::GetAtt": {
                    List<String> parts = arg.isArray() ? List.of(arg.get(0).asText(), resolve(arg.get(1)).asText())
                            : List.of(arg.asText().split("\\.", 2));
                    return TextNode.valueOf(getAtt(parts.get(0), parts.get(1)));
                }
                case "Fn::Join": {
                    String separator = arg.get(0).asText();
                    List<String> items = new ArrayList<>();
                    resolve(arg.get(1)).forEach(i -> items.add(i.asText()));
                    return TextNode.valueOf(String.join(separator, items));
                }
                case "Fn::Sub":
                    return TextNode.valueOf(sub(arg));
                case "Fn::Select": {
                    int index = resolve(arg.get(0)).asInt();
                    return resolve(arg.get(1)).get(index);
                }
                case "Fn::Split": {
                    ArrayNode parts = NODES.arrayNode();
                    for (String part : resolve(arg.get(1)).asText().split(Pattern.quote(arg.get(0).asText()), -1)) {
                        parts.add(part);
                    }
                    return parts;
                }
                case "Fn::GetAZs": {
                    ArrayNode zones = NODES.arrayNode();
                    for (String zone : List.of("a", "b", "c")) {
                        zones.add(StandInAws.REGION + zone);
                    }
                    return zones;
                }
                case "Fn::If":
                    return resolve(condition(arg.get(0).asText()) ? arg.get(1) : arg.get(2));
                default:
                    if (fn.startsWith("Fn::")) {
                        throw new IllegalStateException("intrinsic " + fn + " is not supported by this applier");
                    }
            }
        }
        if (node.isObject()) {
            ObjectNode out = NODES.objectNode();
            node.fields().forEachRemaining(f -> {
                JsonNode value = resolve(f.getValue());
                if (value != null) {
                    out.set(f.getKey(), value);
                }
            });
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = NODES.arrayNode();
            node.forEach(e -> {
                JsonNode value = resolve(e);
                if (value != null) {
                    out.add(value);
                }
            });
            return out;
        }
        return node;
    }

    private JsonNode ref(String name) {
        switch (name) {
            case "AWS::Region":
                return TextNode.valueOf(StandInAws.REGION);
            case "AWS::AccountId":
                return TextNode.valueOf(StandInAws.ACCOUNT);
            case "AWS::Partition":
                return TextNode.valueOf("aws");
            case "AWS::URLSuffix":
                return TextNode.valueOf("amazonaws.com");
            case "AWS::StackName":
                return TextNode.valueOf(stackName);
            case "AWS::NoValue":
                return null;
            default:
        }
        if (parameters.containsKey(name)) {
            return TextNode.valueOf(parameters.get(name));
        }
        JsonNode resource = template.path("Resources").path(name);
        if (resource.isMissingNode()) {
            throw new IllegalStateException("Ref to unknown " + name);
        }
        if (!APPLIED.contains(resource.path("Type").asText())) {
            return TextNode.valueOf(name);
        }
        Created c = created.get(name);
        if (c == null) {
            throw new NotYet(name);
        }
        return TextNode.valueOf(c.ref());
    }

    private String getAtt(String logicalId, String attribute) {
        JsonNode resource = template.path("Resources").path(logicalId);
        String type = resource.path("Type").asText();
        if (resource.isMissingNode()) {
            throw new IllegalStateException("Fn::GetAtt of unknown " + logicalId);
        }
        if (!APPLIED.contains(type)) {
            // a skipped resource (a role, a log group, ...): a placeholder ARN made of its logical id
            String service = type.split("::")[1].toLowerCase(java.util.Locale.ROOT);
            return "arn:aws:" + service + ":" + StandInAws.REGION + ":" + StandInAws.ACCOUNT + ":" + logicalId
                    + (attribute.equals("Arn") ? "" : "/" + attribute);
        }
        Created c = created.get(logicalId);
        if (c == null) {
            throw new NotYet(logicalId);
        }
        String value = c.attributes().get(attribute);
        if (value == null) {
            throw new IllegalStateException("Fn::GetAtt " + logicalId + "." + attribute + " is not supported");
        }
        return value;
    }

    private String sub(JsonNode arg) {
        String text = arg.isArray() ? arg.get(0).asText() : arg.asText();
        Map<String, String> variables = new LinkedHashMap<>();
        if (arg.isArray() && arg.size() > 1) {
            arg.get(1).fields().forEachRemaining(v -> variables.put(v.getKey(), resolve(v.getValue()).asText()));
        }
        Matcher m = SUB.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value;
            if (name.startsWith("!")) {
                value = "${" + name.substring(1) + "}";
            } else if (variables.containsKey(name)) {
                value = variables.get(name);
            } else if (name.contains(".")) {
                String[] parts = name.split("\\.", 2);
                value = getAtt(parts[0], parts[1]);
            } else {
                value = ref(name).asText();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private boolean conditionHolds(JsonNode resource) {
        return !resource.has("Condition") || condition(resource.get("Condition").asText());
    }

    private boolean condition(String name) {
        JsonNode c = template.path("Conditions").get(name);
        if (c == null) {
            throw new IllegalStateException("unknown condition " + name);
        }
        return evaluate(c);
    }

    private boolean evaluate(JsonNode c) {
        String fn = c.fieldNames().next();
        JsonNode arg = c.get(fn);
        return switch (fn) {
            case "Fn::Equals" -> resolve(arg.get(0)).asText().equals(resolve(arg.get(1)).asText());
            case "Fn::Not" -> !evaluate(arg.get(0));
            case "Fn::And" -> {
                boolean all = true;
                for (JsonNode a : arg) {
                    all &= evaluate(a);
                }
                yield all;
            }
            case "Fn::Or" -> {
                boolean any = false;
                for (JsonNode a : arg) {
                    any |= evaluate(a);
                }
                yield any;
            }
            case "Condition" -> condition(arg.asText());
            default -> throw new IllegalStateException("condition function " + fn + " is not supported");
        };
    }
}
