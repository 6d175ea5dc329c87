package io.cqrsworkers.infra;

import software.amazon.awscdk.CfnParameter;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.applicationautoscaling.CfnScalingPolicy;
import software.amazon.awscdk.services.applicationautoscaling.EnableScalingProps;
import software.amazon.awscdk.services.applicationautoscaling.IScalableTarget;
import software.amazon.awscdk.services.ecs.CpuUtilizationScalingProps;
import software.amazon.awscdk.services.ecs.ScalableTaskCount;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Task count between the MinTasks and MaxTasks parameters, tracking two targets (the larger answer wins): the backlog
 * per task (visible messages of the worker and action queues divided by the running tasks) and the CPU.
 */
public class Scaling extends Construct {

    public Scaling(Construct scope, String id, Settings settings, WorkerService service, List<Queue> backlogQueues) {
        super(scope, id);
        Stack stack = Stack.of(this);
        CfnParameter backlogTarget = CfnParameter.Builder.create(stack, "BacklogPerTaskTarget").type("Number")
                .defaultValue(100).minValue(1)
                .description("Visible messages in the worker and action queues per running task that scaling keeps "
                        + "to").build();
        CfnParameter cpuTarget = CfnParameter.Builder.create(stack, "CpuTargetPercent").type("Number")
                .defaultValue(60).minValue(10).maxValue(95)
                .description("Average CPU utilization of the tasks that scaling keeps to").build();

        ScalableTaskCount count = service.service().autoScaleTaskCount(EnableScalingProps.builder()
                .minCapacity(service.minTasks().getValueAsNumber())
                .maxCapacity(service.maxTasks().getValueAsNumber())
                .build());
        count.scaleOnCpuUtilization("Cpu", CpuUtilizationScalingProps.builder()
                .policyName(settings.physical("cqrs-workers-cpu"))
                .targetUtilizationPercent(cpuTarget.getValueAsNumber())
                .scaleInCooldown(Duration.minutes(5))
                .scaleOutCooldown(Duration.minutes(1))
                .build());

        // target tracking on metric math has no L2 in CDK (only plain metrics): the L1 policy on the same target
        IScalableTarget target = (IScalableTarget) count.getNode().findChild("Target");
        List<Object> metrics = new ArrayList<>();
        for (int i = 0; i < backlogQueues.size(); i++) {
            metrics.add(CfnScalingPolicy.TargetTrackingMetricDataQueryProperty.builder()
                    .id("q" + i)
                    .returnData(false)
                    .metricStat(CfnScalingPolicy.TargetTrackingMetricStatProperty.builder()
                            .stat("Average")
                            .metric(CfnScalingPolicy.TargetTrackingMetricProperty.builder()
                                    .namespace("AWS/SQS")
                                    .metricName("ApproximateNumberOfMessagesVisible")
                                    .dimensions(List.of(CfnScalingPolicy.TargetTrackingMetricDimensionProperty.builder()
                                            .name("QueueName").value(backlogQueues.get(i).getQueueName()).build()))
                                    .build())
                            .build())
                    .build());
        }
        metrics.add(CfnScalingPolicy.TargetTrackingMetricDataQueryProperty.builder()
                .id("tasks")
                .returnData(false)
                .metricStat(CfnScalingPolicy.TargetTrackingMetricStatProperty.builder()
                        .stat("Average")
                        .metric(CfnScalingPolicy.TargetTrackingMetricProperty.builder()
                                .namespace("ECS/ContainerInsights")
                                .metricName("RunningTaskCount")
                                .dimensions(List.of(
                                        CfnScalingPolicy.TargetTrackingMetricDimensionProperty.builder()
                                                .name("ClusterName").value(service.cluster().getClusterName()).build(),
                                        CfnScalingPolicy.TargetTrackingMetricDimensionProperty.builder()
                                                .name("ServiceName").value(service.service().getServiceName()).build()))
                                .build())
                        .build())
                .build());
        String backlog = IntStream.range(0, backlogQueues.size()).mapToObj(i -> "FILL(q" + i + ",0)")
                .collect(Collectors.joining("+"));
        metrics.add(CfnScalingPolicy.TargetTrackingMetricDataQueryProperty.builder()
                .id("backlogPerTask")
                .label("visible messages per running task")
                .expression("(" + backlog + ")/IF(FILL(tasks,0)>0,FILL(tasks,0),1)")
                .returnData(true)
                .build());
        CfnScalingPolicy.Builder.create(this, "BacklogPerTask")
                .policyName(settings.physical("cqrs-workers-backlog"))
                .policyType("TargetTrackingScaling")
                .scalingTargetId(target.getScalableTargetId())
                .targetTrackingScalingPolicyConfiguration(
                        CfnScalingPolicy.TargetTrackingScalingPolicyConfigurationProperty.builder()
                                .targetValue(backlogTarget.getValueAsNumber())
                                .scaleInCooldown(300)
                                .scaleOutCooldown(60)
                                .customizedMetricSpecification(
                                        CfnScalingPolicy.CustomizedMetricSpecificationProperty.builder()
                                                .metrics(metrics).build())
                                .build())
                .build();
    }
}
