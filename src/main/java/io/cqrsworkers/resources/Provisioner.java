package io.cqrsworkers.resources;

import io.cqrsworkers.aws.AwsClients;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.util.Map;

/**
 * Creates the described resources through the services' own APIs. Used against the embedded services; in AWS the
 * deployment in infra/ creates the same resources from the same description.
 */
public final class Provisioner {

    private static final Logger LOG = LoggerFactory.getLogger(Provisioner.class);

    private final AwsClients clients;
    private final String prefix;

    public Provisioner(AwsClients clients, String prefix) {
        this.clients = clients;
        this.prefix = prefix;
    }

    public void provision(ResourceDescription resources) {
        createBucket(ResourceDescription.physical(prefix, resources.bucket()));
        for (ResourceDescription.Queue queue : resources.queues()) {
            createQueue(resources, queue);
        }
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
        String dlqUrl = clients.sqs().createQueue(b -> b.queueName(dlqName)
                .attributes(Map.of(QueueAttributeName.MESSAGE_RETENTION_PERIOD, retention))).queueUrl();
        String dlqArn = clients.sqs().getQueueAttributes(b -> b.queueUrl(dlqUrl)
                .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        String redrive = "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\""
                + resources.maxReceiveCount(queue) + "\"}";
        String name = ResourceDescription.physical(prefix, queue.name());
        String url = clients.sqs().createQueue(b -> b.queueName(name).attributes(Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, String.valueOf(resources.visibilityTimeout(queue)),
                QueueAttributeName.MESSAGE_RETENTION_PERIOD, retention,
                QueueAttributeName.REDRIVE_POLICY, redrive))).queueUrl();
        LOG.debug("Created queue {} with dead-letter queue {}", name, dlqName);
        return url;
    }
}
