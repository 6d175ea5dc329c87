package io.cqrsworkers.resources;

import io.cqrsworkers.json.Jackson;
import io.cqrsworkers.aws.AwsClients;
import io.cqrsworkers.aws.SdkCallRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueNameExistsException;

import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.sfn.model.StateMachineListItem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Creates the described resources through the services' own APIs. Used against the embedded services; in AWS the
 * deployment in infra/ creates the same resources from the same description.
 */
public final class Provisioner {

    private static final Logger LOG = LoggerFactory.getLogger(Provisioner.class);

    static {
        // what this class creates is CloudFormation's job in AWS: its calls are its own, whoever asked for them
        SdkCallRecorder.originWhileOnStack(Provisioner.class);
    }

    private static final Pattern SETTING = Pattern.compile("\\$\\{config:([^}:]+)(?::([^}]*))?}");
    private static final ObjectMapper JSON = Jackson.MAPPER;

    private final AwsClients clients;
    private final String prefix;
    private final Function<String, String> config;

    /** @param config property lookup for {@code ${config:key:default}} in definitions */
    public Provisioner(AwsClients clients, String prefix, Function<String, String> config) {
        this.clients = clients;
        this.prefix = prefix;
        this.config = config;
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(queueUrl|table|bucket):([^}]+)}");
    /** The role a local state machine is created with; the embedded engine does not check it. */
    private static final String LOCAL_ROLE = "arn:aws:iam::000000000000:role/cqrs-workers";

    public void provision(ResourceDescription resources) {
        createBucket(ResourceDescription.physical(prefix, resources.bucket()));
        inParallel(resources.queues(), queue -> createQueue(resources, queue));
    }

    /** Tables and state machines, for the services that have them (the embedded DynamoDB and Step Functions). */
    public void provisionTablesAndStateMachines(ResourceDescription resources) {
        inParallel(resources.allTables(), this::createTable);
        for (ResourceDescription.StateMachine machine : resources.stateMachines()) {
            createOrUpdateStateMachine(machine.name(), ResourceDescription.readText(machine.definition()));
        }
    }

    /** Independent creations run side by side: start-up time is mostly round trips. */
    private static <T> void inParallel(java.util.List<T> items, java.util.function.Consumer<T> create) {
        items.parallelStream().forEach(create);
    }

    private void createTable(ResourceDescription.Table table) {
        String name = ResourceDescription.physical(prefix, table.name());
        try {
            clients.dynamoDb().createTable(b -> {
                b.tableName(name)
                        .billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(
                                AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                                AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.S).build())
                        .keySchema(
                                KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build());
                if (table.stream() != null) {
                    b.streamSpecification(StreamSpecification.builder().streamEnabled(true)
                            .streamViewType(StreamViewType.fromValue(table.stream())).build());
                }
            });
            clients.dynamoDb().waiter().waitUntilTableExists(b -> b.tableName(name));
            clients.dynamoDb().updateTimeToLive(b -> b.tableName(name)
                    .timeToLiveSpecification(t -> t.attributeName("ttl").enabled(true)));
            LOG.debug("Created table {}", name);
        } catch (ResourceInUseException e) {
            LOG.debug("Table {} already exists", name);
        }
    }

    /** Creates the machine, or updates its definition when it exists (a restart after an edit). Returns its ARN. */
    public String createOrUpdateStateMachine(String logicalName, String definition) {
        String name = ResourceDescription.physical(prefix, logicalName);
        String resolved = substitute(definition);
        Optional<String> existing = clients.sfn().listStateMachinesPaginator(b -> b.maxResults(100))
                .stateMachines().stream().filter(m -> m.name().equals(name)).map(StateMachineListItem::stateMachineArn)
                .findFirst();
        if (existing.isPresent()) {
            clients.sfn().updateStateMachine(b -> b.stateMachineArn(existing.get()).definition(resolved));
            LOG.debug("Updated state machine {}", name);
            return existing.get();
        }
        String arn = clients.sfn().createStateMachine(b -> b.name(name).definition(resolved).roleArn(LOCAL_ROLE))
                .stateMachineArn();
        LOG.debug("Created state machine {}", name);
        return arn;
    }

    /**
     * Replaces ${queueUrl:name}, ${table:name} and ${bucket:name} in a definition, and a string value that is
     * exactly ${config:key:default} by the setting, as a number when it is one (e.g. a TimeoutSeconds).
     */
    String substitute(String definition) {
        JsonNode tree;
        try {
            tree = JSON.readTree(substituteNames(definition));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("State machine definition is not JSON: " + e.getOriginalMessage(), e);
        }
        return substituteSettings(tree).toString();
    }

    private JsonNode substituteSettings(JsonNode node) {
        if (node.isTextual()) {
            Matcher m = SETTING.matcher(node.textValue());
            if (!m.matches()) {
                return node;
            }
            String value = config.apply(m.group(1));
            if (value == null || value.isBlank()) {
                value = m.group(2);
            }
            if (value == null) {
                throw new IllegalStateException("Setting " + m.group(1) + " used by a state machine is not set");
            }
            try {
                return JSON.getNodeFactory().numberNode(new java.math.BigDecimal(value.trim()));
            } catch (NumberFormatException text) {
                return JSON.getNodeFactory().textNode(value);
            }
        }
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            java.util.List<String> names = new java.util.ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            names.forEach(name -> object.set(name, substituteSettings(object.get(name))));
        } else if (node.isArray()) {
            ArrayNode array = (ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                array.set(i, substituteSettings(array.get(i)));
            }
        }
        return node;
    }

    private String substituteNames(String definition) {
        Matcher m = PLACEHOLDER.matcher(definition);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String physical = ResourceDescription.physical(prefix, m.group(2));
            String value = switch (m.group(1)) {
                case "queueUrl" -> clients.sqs().getQueueUrl(b -> b.queueName(physical)).queueUrl();
                default -> physical;
            };
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private void createBucket(String name) {
        try {
            clients.s3().createBucket(b -> b.bucket(name));
            LOG.debug("Created bucket {}", name);
        } catch (BucketAlreadyOwnedByYouException | BucketAlreadyExistsException e) {
            LOG.debug("Bucket {} already exists", name);
        }
    }

    /** Creates the queue's dead-letter queue, then the queue with its redrive policy; returns the queue URL. */
    public String createQueue(ResourceDescription resources, ResourceDescription.Queue queue) {
        String dlqName = ResourceDescription.physical(prefix, queue.deadLetterName());
        String retention = String.valueOf(resources.queueDefaults().messageRetentionSeconds());
        String dlqUrl = ensureQueue(dlqName, Map.of(QueueAttributeName.MESSAGE_RETENTION_PERIOD, retention));
        String dlqArn = clients.sqs().getQueueAttributes(b -> b.queueUrl(dlqUrl)
                .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        String redrive = "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\""
                + resources.maxReceiveCount(queue) + "\"}";
        String name = ResourceDescription.physical(prefix, queue.name());
        String url = ensureQueue(name, Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, String.valueOf(resources.visibilityTimeout(queue)),
                QueueAttributeName.MESSAGE_RETENTION_PERIOD, retention,
                QueueAttributeName.REDRIVE_POLICY, redrive));
        LOG.debug("Created queue {} with dead-letter queue {}", name, dlqName);
        return url;
    }

    /**
     * CreateQueue, or, for a queue that exists with other attributes (the description changed since the last start:
     * queues persist), its attributes set to the description's.
     */
    private String ensureQueue(String name, Map<QueueAttributeName, String> attributes) {
        try {
            return clients.sqs().createQueue(b -> b.queueName(name).attributes(attributes)).queueUrl();
        } catch (QueueNameExistsException changed) {
            String url = clients.sqs().getQueueUrl(b -> b.queueName(name)).queueUrl();
            clients.sqs().setQueueAttributes(b -> b.queueUrl(url).attributes(attributes));
            LOG.info("Queue {} existed with other attributes: set to {}", name, attributes);
            return url;
        }
    }
}
