package io.cqrsworkers.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.StackProps;

/**
 * The CDK app: one stack per environment prefix, {@code <nodeEnv>-<appName>-cqrs-workers}, with cdk-nag's
 * AwsSolutions checks. {@code bash synth.sh} (or {@code npx cdk synth} in infra/) runs it.
 */
public final class InfraApp {

    private InfraApp() {
    }

    /** Builds the stack into the app (tests call this with their own App). */
    public static CqrsWorkersStack build(App app) {
        Settings settings = Settings.from(app.getNode());
        CqrsWorkersStack stack = new CqrsWorkersStack(app, settings.prefix() + "cqrs-workers", StackProps.builder()
                .description("cqrs-workers (" + settings.prefix() + "): queues, tables, bucket, state machines and "
                        + "the ECS service")
                .build(), settings);
        Aspects.of(app).add(new AwsSolutionsChecks());
        return stack;
    }

    public static void main(String[] args) {
        App app = new App();
        build(app);
        app.synth();
    }
}
