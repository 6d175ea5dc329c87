package io.cqrsworkers.infra;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.cqrsworkers.infra.Synth.prefix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The state machines: definitions as deployed, logging, and what their roles may do. */
class StateMachinesTest {

    private final Synth synth = Synth.standard();
    private final ResourceModel model = Synth.model();

    /**
     * Rebuilds each DefinitionString from the template (Fn::Join of text and Ref/GetAtt) and parses it: it is JSON,
     * every placeholder is resolved, a ${config:..} became a number, and a ${queueUrl:q} became q's Ref (its URL).
     */
    @Test
    void eachDefinitionRebuiltFromTheTemplateIsJsonWithEveryPlaceholderResolved() throws Exception {
        for (ResourceModel.StateMachine m : model.stateMachines()) {
            JsonNode machine = synth.byProperty("AWS::StepFunctions::StateMachine", "StateMachineName",
                    prefix() + m.name());
            String text = rebuild(machine.path("Properties").path("DefinitionString"));
            assertFalse(text.contains("${"), m.name() + ": " + text);
            JsonNode deployed = Synth.JSON.readTree(text);
            JsonNode source = Synth.JSON.readTree(Files.readString(Synth.repoRoot().resolve(m.definition())));
            AtomicInteger settings = new AtomicInteger();
            compare(m.name(), "$", source, deployed, settings);
            if (source.toString().contains("${config:")) {
                assertTrue(settings.get() > 0, m.name());
            }
        }
        JsonNode importCsv = Synth.JSON.readTree(rebuild(synth.byProperty("AWS::StepFunctions::StateMachine",
                "StateMachineName", prefix() + "import-csv").path("Properties").path("DefinitionString")));
        JsonNode map = importCsv.path("States").path("import-csv");
        assertTrue(map.path("MaxConcurrency").isNumber());
        assertEquals(50, map.path("MaxConcurrency").asInt());
        assertEquals(100, map.path("ItemBatcher").path("MaxItemsPerBatch").asInt());
        assertEquals("<Ref:" + synth.logicalIdOf("AWS::S3::Bucket", "BucketName", prefix() + "bucket") + ">",
                map.path("ResultWriter").path("Parameters").path("Bucket").asText());
        // application.properties sets app.task.max-concurrency = 2
        JsonNode task = Synth.JSON.readTree(rebuild(synth.byProperty("AWS::StepFunctions::StateMachine",
                "StateMachineName", prefix() + "task-handler").path("Properties").path("DefinitionString")));
        assertEquals(2, task.path("States").path("map_state").path("MaxConcurrency").intValue());
        assertTrue(task.path("TimeoutSeconds").isIntegralNumber());
    }

    @Test
    void aSettingGivenAsContextChangesTheDefinitionAndTheServiceGetsTheSameValue() throws Exception {
        Synth other = Synth.of(Map.of("config:app.import.max-concurrency", "7"));
        JsonNode importCsv = Synth.JSON.readTree(rebuild(other.byProperty("AWS::StepFunctions::StateMachine",
                "StateMachineName", prefix() + "import-csv").path("Properties").path("DefinitionString")));
        assertEquals(7, importCsv.path("States").path("import-csv").path("MaxConcurrency").intValue());
        JsonNode env = other.resources("AWS::ECS::TaskDefinition").values().iterator().next()
                .path("Properties").path("ContainerDefinitions").get(0).path("Environment");
        assertTrue(env.toString().contains("{\"Name\":\"APP_IMPORT_MAX_CONCURRENCY\",\"Value\":\"7\"}"), env.toString());
    }

    @Test
    void placeholdersResolveLikeTheProvisionerAndUnknownOnesFailTheSynth() {
        AslDefinitions.Names names = (kind, name) -> kind.equals("queueUrl") && name.equals("q") ? "https://q" : null;
        Map<String, String> config = Map.of("n", "12", "t", "text", "blank", " ");
        var resolved = AslDefinitions.resolve("t.json", """
                {"a":"${config:n:5}","b":"${config:missing:3}","c":"${config:t}","d":"${config:blank:4}",
                 "e":"${queueUrl:q}","f":"x ${queueUrl:q} y"}""", names, config::get);
        assertEquals("{\"a\":12,\"b\":3,\"c\":\"text\",\"d\":4,\"e\":\"https://q\",\"f\":\"x https://q y\"}",
                resolved.json());
        assertEquals(Map.of("n", "12", "missing", "3", "t", "text", "blank", "4"), resolved.settings());
        for (String bad : List.of("{\"a\":\"${queueUrl:nope}\"}", "{\"a\":\"${secret:x}\"}",
                "{\"a\":\"${config:unset}\"}", "{\"a\":\"n = ${config:n:1}\"}", "{\"a\":\"${table:t}\"}")) {
            assertThrows(IllegalStateException.class, () -> AslDefinitions.resolve("t.json", bad, names,
                    config::get), bad);
        }
    }

    @Test
    void machinesLogToCloudWatchAndSendToTheirWorkerQueues() {
        for (ResourceModel.StateMachine m : model.stateMachines()) {
            JsonNode p = synth.byProperty("AWS::StepFunctions::StateMachine", "StateMachineName", prefix() + m.name())
                    .path("Properties");
            assertEquals("STANDARD", p.path("StateMachineType").asText());
            assertEquals("ERROR", p.path("LoggingConfiguration").path("Level").asText());
            String logGroup = p.path("LoggingConfiguration").path("Destinations").get(0)
                    .path("CloudWatchLogsLogGroup").path("LogGroupArn").path("Fn::GetAtt").get(0).asText();
            assertEquals("/aws/vendedlogs/states/" + prefix() + m.name(), synth.json.path("Resources").path(logGroup)
                    .path("Properties").path("LogGroupName").asText());
            String roleId = p.path("RoleArn").path("Fn::GetAtt").get(0).asText();
            String policy = rolePolicies(roleId);
            String queueId = synth.logicalIdOf("AWS::SQS::Queue", "QueueName", prefix() + m.workerQueue());
            assertTrue(policy.contains("{\"Action\":\"sqs:SendMessage\",\"Effect\":\"Allow\",\"Resource\":"
                    + "{\"Fn::GetAtt\":[\"" + queueId + "\",\"Arn\"]}}"), m.name() + ": " + policy);
        }
    }

    @Test
    void theDistributedMapMayStartItsChildrenReadTheCsvAndWriteItsResults() {
        JsonNode p = synth.byProperty("AWS::StepFunctions::StateMachine", "StateMachineName", prefix() + "import-csv")
                .path("Properties");
        String policy = rolePolicies(p.path("RoleArn").path("Fn::GetAtt").get(0).asText());
        // its own ARN, from its name (not its Ref: that would be a cycle)
        assertTrue(policy.contains("\"Action\":\"states:StartExecution\""), policy);
        assertTrue(policy.contains(":stateMachine:" + prefix() + "import-csv\"]]}"), policy);
        assertTrue(policy.contains("[\"states:DescribeExecution\",\"states:StopExecution\"]"), policy);
        assertTrue(policy.contains(":execution:" + prefix() + "import-csv/*\"]]}"), policy);
        assertTrue(policy.contains("\"Sid\":\"ReadItems\""), policy);
        assertTrue(policy.contains("/sfn-results/import-csv/*"), policy);
        // the other machines have no Distributed Map, so no such permissions
        String command = rolePolicies(synth.byProperty("AWS::StepFunctions::StateMachine", "StateMachineName",
                prefix() + "command-handler").path("Properties").path("RoleArn").path("Fn::GetAtt").get(0).asText());
        assertFalse(command.contains("states:StartExecution"), command);
    }

    private String rolePolicies(String roleId) {
        StringBuilder all = new StringBuilder();
        synth.resources("AWS::IAM::Policy").values().forEach(policy -> {
            for (JsonNode role : policy.path("Properties").path("Roles")) {
                if (roleId.equals(role.path("Ref").asText())) {
                    all.append(policy.path("Properties").path("PolicyDocument").toString());
                }
            }
        });
        return all.toString();
    }

    /** Joins a Fn::Join's parts, a Ref or GetAtt written as {@code <Ref:Id>} / {@code <GetAtt:Id.Attr>}. */
    static String rebuild(JsonNode definition) {
        if (definition.isTextual()) {
            return definition.asText();
        }
        JsonNode join = definition.path("Fn::Join");
        assertEquals("", join.get(0).asText());
        StringBuilder text = new StringBuilder();
        for (JsonNode part : join.get(1)) {
            if (part.isTextual()) {
                text.append(part.asText());
            } else if (part.has("Ref")) {
                text.append("<Ref:").append(part.get("Ref").asText()).append('>');
            } else if (part.has("Fn::GetAtt")) {
                text.append("<GetAtt:").append(part.get("Fn::GetAtt").get(0).asText()).append('.')
                        .append(part.get("Fn::GetAtt").get(1).asText()).append('>');
            } else {
                throw new AssertionError("unexpected part " + part);
            }
        }
        return text.toString();
    }

    private static final Pattern SETTING = Pattern.compile("\\$\\{config:([^}:]+)(?::([^}]*))?}");
    private static final Pattern NAME = Pattern.compile("\\$\\{(queueUrl|table|bucket):([^}]+)}");

    /** Walks source and deployed together: same shape, placeholders replaced as they should be. */
    private void compare(String machine, String path, JsonNode source, JsonNode deployed, AtomicInteger settings) {
        if (source.isTextual()) {
            Matcher setting = SETTING.matcher(source.asText());
            if (setting.matches()) {
                settings.incrementAndGet();
                assertTrue(deployed.isNumber(), machine + " " + path + " should be a number: " + deployed);
                return;
            }
            Matcher name = NAME.matcher(source.asText());
            StringBuilder expected = new StringBuilder();
            while (name.find()) {
                String id = switch (name.group(1)) {
                    case "queueUrl" -> synth.logicalIdOf("AWS::SQS::Queue", "QueueName", prefix() + name.group(2));
                    case "bucket" -> synth.logicalIdOf("AWS::S3::Bucket", "BucketName", prefix() + name.group(2));
                    default -> synth.logicalIdOf("AWS::DynamoDB::Table", "TableName", prefix() + name.group(2));
                };
                name.appendReplacement(expected, Matcher.quoteReplacement("<Ref:" + id + ">"));
            }
            name.appendTail(expected);
            assertEquals(expected.toString(), deployed.asText(), machine + " " + path);
            return;
        }
        assertEquals(source.getNodeType(), deployed.getNodeType(), machine + " " + path);
        if (source.isObject()) {
            assertEquals(source.size(), deployed.size(), machine + " " + path);
            Iterator<String> fields = source.fieldNames();
            while (fields.hasNext()) {
                String f = fields.next();
                compare(machine, path + "." + f, source.get(f), deployed.path(f), settings);
            }
        } else if (source.isArray()) {
            assertEquals(source.size(), deployed.size(), machine + " " + path);
            for (int i = 0; i < source.size(); i++) {
                compare(machine, path + "[" + i + "]", source.get(i), deployed.get(i), settings);
            }
        } else {
            assertEquals(source, deployed, machine + " " + path);
        }
    }
}
