package io.cqrsworkers.localaws.sqs.api;

import io.cqrsworkers.localaws.http.AwsJsonServer.Operation;
import io.cqrsworkers.localaws.sqs.store.Queues;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** Every action the emulator answers, keyed by X-Amz-Target. */
public final class Operations {

    private static final String SQS = "AmazonSQS.";

    private Operations() {
    }

    public static Map<String, Operation> all(Queues queues, Clock clock) {
        Sending sending = new Sending(clock, queues.accountId());
        Map<String, Operation> ops = new HashMap<>();
        ops.put(SQS + "CreateQueue", new CreateQueue(queues));
        ops.put(SQS + "GetQueueUrl", new GetQueueUrl(queues));
        ops.put(SQS + "ListQueues", new ListQueues(queues));
        ops.put(SQS + "DeleteQueue", new DeleteQueue(queues));
        ops.put(SQS + "GetQueueAttributes", new GetQueueAttributes(queues));
        ops.put(SQS + "SetQueueAttributes", new SetQueueAttributes(queues));
        ops.put(SQS + "PurgeQueue", new PurgeQueue(queues));
        ops.put(SQS + "SendMessage", new SendMessage(queues, sending));
        ops.put(SQS + "SendMessageBatch", new SendMessageBatch(queues, sending));
        ops.put(SQS + "ReceiveMessage", new ReceiveMessage(queues));
        ops.put(SQS + "DeleteMessage", new DeleteMessage(queues));
        ops.put(SQS + "DeleteMessageBatch", new DeleteMessageBatch(queues));
        ops.put(SQS + "ChangeMessageVisibility", new ChangeMessageVisibility(queues));
        ops.put(SQS + "ChangeMessageVisibilityBatch", new ChangeMessageVisibilityBatch(queues));
        ops.put(SQS + "ListDeadLetterSourceQueues", new ListDeadLetterSourceQueues(queues));
        ops.put(SQS + "TagQueue", new Tags(queues, Tags.Action.TAG));
        ops.put(SQS + "UntagQueue", new Tags(queues, Tags.Action.UNTAG));
        ops.put(SQS + "ListQueueTags", new Tags(queues, Tags.Action.LIST));
        ops.put(SQS + "StartMessageMoveTask", new MessageMoveTasks(queues, MessageMoveTasks.Action.START));
        ops.put(SQS + "ListMessageMoveTasks", new MessageMoveTasks(queues, MessageMoveTasks.Action.LIST));
        ops.put(SQS + "CancelMessageMoveTask", new MessageMoveTasks(queues, MessageMoveTasks.Action.CANCEL));
        return ops;
    }
}
