package io.cqrsworkers.console;

import io.cqrsworkers.resources.ResourceDescription;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The console's beans (routes: {@link ConsoleRoutes}). Lazy: they need the AWS clients that AppConfiguration binds
 * in its {@code configure}, and nothing is built when the console is off.
 */
public class ConsoleConfiguration implements CamelConfiguration {

    @BindToRegistry(value = ConsoleSettings.BEAN, lazy = true)
    public ConsoleSettings consoleSettings(@PropertyInject(value = "app.console.read-only", defaultValue = "true") boolean readOnly,
                                           @PropertyInject(value = "app.console.refresh-millis", defaultValue = "2000") int refresh,
                                           @PropertyInject("app.prefix") String prefix) {
        return new ConsoleSettings(readOnly, refresh, prefix);
    }

    @BindToRegistry(value = StepFunctionsView.BEAN, lazy = true)
    public StepFunctionsView stepFunctionsView(@BeanInject("sfnClient") SfnClient sfn,
                                               @PropertyInject("app.prefix") String prefix) {
        return new StepFunctionsView(sfn, prefix);
    }

    @BindToRegistry(value = StoreView.BEAN, lazy = true)
    public StoreView storeView(@BeanInject("sfnClient") SfnClient sfn, @PropertyInject("app.prefix") String prefix) {
        return new StoreView(sfn, prefix, ResourceDescription.load());
    }

    @BindToRegistry(value = QueueView.BEAN, lazy = true)
    public QueueView queueView(@BeanInject("sqsClient") SqsClient sqs, @PropertyInject("app.prefix") String prefix,
                               @BeanInject(ConsoleSettings.BEAN) ConsoleSettings settings) {
        return new QueueView(sqs, prefix, ResourceDescription.load(), settings.readOnly());
    }

    @BindToRegistry(ConsoleAssets.BEAN)
    public ConsoleAssets consoleAssets() {
        return new ConsoleAssets();
    }

    @BindToRegistry(ConsoleReplies.BEAN)
    public ConsoleReplies consoleReplies() {
        return new ConsoleReplies();
    }
}
