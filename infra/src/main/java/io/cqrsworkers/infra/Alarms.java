package io.cqrsworkers.infra;

import software.amazon.awscdk.CfnParameter;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.sns.CfnSubscription;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.constructs.Construct;

import java.util.Map;

/**
 * Alarms to one SNS topic (optionally mailed to the AlarmEmail parameter). What each means and what to do:
 * docs/deploy.md, "Alarms".
 */
public class Alarms extends Construct {

    private final Topic topic;
    private final SnsAction action;

    public Alarms(Construct scope, String id, Settings settings, WorkerService service, Map<String, Queue> dlqs,
                  Map<String, Queue> queues, Map<String, StateMachine> machines) {
        super(scope, id);
        Stack stack = Stack.of(this);
        topic = Topic.Builder.create(this, "Topic").topicName(settings.physical("alarms")).enforceSsl(true).build();
        action = new SnsAction(topic);
        CfnParameter email = CfnParameter.Builder.create(stack, "AlarmEmail").type("String").defaultValue("")
                .description("E-mail address that receives the alarms (empty: none; subscribe to the topic yourself)")
                .build();
        CfnSubscription subscription = CfnSubscription.Builder.create(this, "Email").topicArn(topic.getTopicArn())
                .protocol("email").endpoint(email.getValueAsString()).build();
        subscription.getCfnOptions().setCondition(CqrsWorkersStack.notEmpty(this, "HasAlarmEmail", email));

        // a message in a dead-letter queue: it failed every delivery (maxReceiveCount)
        dlqs.forEach((name, dlq) -> alarm("Dlq-" + name, settings.physical(name) + " has messages",
                "Messages in the dead-letter queue " + name + ": they failed every delivery. See docs/deploy.md, "
                        + "Alarms, 'dead-letter queue'.",
                dlq.metricApproximateNumberOfMessagesVisible(), 1, 1));
        Queue streamDlq = queues.get("stream-dead-letter-queue");
        if (streamDlq != null) {
            alarm("StreamDeadLetters", settings.physical("stream-dead-letter-queue") + " has messages",
                    "DynamoDB stream records that failed every attempt of their route are waiting in "
                            + "stream-dead-letter-queue.",
                    streamDlq.metricApproximateNumberOfMessagesVisible(), 1, 1);
        }
        Queue alarmQueue = queues.get("alarm-queue");
        if (alarmQueue != null) {
            // the service reads (and logs) the alarm queue at once: count what was sent to it
            alarm("AlarmQueue", settings.physical("alarm-queue") + " received alarms",
                    "The service raised failure alarms (a step, a task or an import failed); they are logged at "
                            + "ERROR by the alarms route.",
                    alarmQueue.metricNumberOfMessagesSent(), 1, 1);
        }

        machines.forEach((name, machine) -> {
            MathExpression failed = MathExpression.Builder.create()
                    .expression("FILL(f,0)+FILL(t,0)+FILL(a,0)")
                    .usingMetrics(Map.of(
                            "f", machine.metricFailed(),
                            "t", machine.metricTimedOut(),
                            "a", machine.metricAborted()))
                    .label("failed + timed out + aborted executions")
                    .period(Duration.minutes(5))
                    .build();
            alarm("Executions-" + name, settings.physical(name) + " executions failed",
                    "Executions of " + settings.physical(name) + " failed, timed out or were aborted.", failed, 1, 1);
        });

        // fewer tasks running than wanted, for 5 minutes: tasks fail their health check or cannot start
        Metric running = containerInsights("RunningTaskCount", service);
        Metric desired = containerInsights("DesiredTaskCount", service);
        alarm("ServiceUnhealthy", settings.physical("cqrs-workers") + " runs fewer tasks than desired",
                "Fewer tasks are running than the service wants, for 5 minutes: tasks fail their health check "
                        + "(/observe/health/ready) or cannot start.",
                MathExpression.Builder.create().expression("FILL(d,0)-FILL(r,0)")
                        .usingMetrics(Map.of("d", desired, "r", running)).label("desired - running tasks")
                        .period(Duration.minutes(1)).build(), 1, 5);
    }

    private static Metric containerInsights(String name, WorkerService service) {
        return Metric.Builder.create().namespace("ECS/ContainerInsights").metricName(name)
                .dimensionsMap(Map.of("ClusterName", service.cluster().getClusterName(),
                        "ServiceName", service.service().getServiceName()))
                .statistic("Average").period(Duration.minutes(1)).build();
    }

    private void alarm(String id, String name, String description, IMetric metric, double threshold, int periods) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .alarmName(name)
                .alarmDescription(description)
                .metric(metric)
                .threshold(threshold)
                .evaluationPeriods(periods)
                .datapointsToAlarm(periods)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
    }

    public Topic topic() {
        return topic;
    }
}
