package io.cqrsworkers.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Expiration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.SecretValue;
import software.amazon.awscdk.services.appsync.ApiKeyConfig;
import software.amazon.awscdk.services.appsync.AuthorizationConfig;
import software.amazon.awscdk.services.appsync.AuthorizationMode;
import software.amazon.awscdk.services.appsync.AuthorizationType;
import software.amazon.awscdk.services.appsync.BaseResolverProps;
import software.amazon.awscdk.services.appsync.CfnGraphQLApi;
import software.amazon.awscdk.services.appsync.Code;
import software.amazon.awscdk.services.appsync.Definition;
import software.amazon.awscdk.services.appsync.FunctionRuntime;
import software.amazon.awscdk.services.appsync.GraphqlApi;
import software.amazon.awscdk.services.appsync.NoneDataSource;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.constructs.Construct;

/**
 * The notifications API the service's AppSyncPublisher calls in AWS: the original framework's
 * {@code sendMessage(message: AWSJSON!)} mutation, API-key authenticated, with an {@code onMessage} subscription for
 * clients. Its URL goes to the container as app.notifications.appsync.url, its key through Secrets Manager as
 * app.notifications.appsync.api-key. Why the stack provisions it: docs/deploy.md, "Notifications".
 */
public class Notifications extends Construct {

    /** AppSync API keys live at most 365 days; each deploy moves the expiry to a year after the synth. */
    static final int API_KEY_DAYS = 365;

    private final GraphqlApi api;
    private final Secret apiKey;

    public Notifications(Construct scope, String id, Settings settings, RetentionDays logRetention) {
        super(scope, id);
        api = GraphqlApi.Builder.create(this, "Api")
                .name(settings.physical("notifications"))
                .definition(Definition.fromFile(settings.repoRoot().resolve("infra/appsync/schema.graphql")
                        .toString()))
                .authorizationConfig(AuthorizationConfig.builder()
                        .defaultAuthorization(AuthorizationMode.builder()
                                .authorizationType(AuthorizationType.API_KEY)
                                .apiKeyConfig(ApiKeyConfig.builder()
                                        .name("cqrs-workers")
                                        .description("the service's sendMessage calls and the clients' subscriptions")
                                        // whole days, so that synths of one day give the same template
                                        .expires(Expiration.atTimestamp(
                                                (System.currentTimeMillis() / 86_400_000L + API_KEY_DAYS) * 86_400_000L))
                                        .build())
                                .build())
                        .build())
                .xrayEnabled(false)
                .build();
        // request logging (errors) to a log group of ours with its retention, written by a role limited to it; the
        // L2 logConfig would add a log-retention Lambda and a role with a managed policy
        LogGroup logs = LogGroup.Builder.create(this, "Logs")
                .logGroupName("/aws/appsync/apis/" + api.getApiId())
                .retention(logRetention)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        Role logsRole = Role.Builder.create(this, "LogsRole")
                .assumedBy(CqrsWorkersStack.principal("appsync.amazonaws.com"))
                .description("AppSync request logs of the notifications API").build();
        logs.grantWrite(logsRole);
        ((CfnGraphQLApi) api.getNode().getDefaultChild()).setLogConfig(CfnGraphQLApi.LogConfigProperty.builder()
                .cloudWatchLogsRoleArn(logsRole.getRoleArn()).fieldLogLevel("ERROR").build());
        NoneDataSource none = api.addNoneDataSource("Passthrough");
        none.createResolver("SendMessage", BaseResolverProps.builder()
                .typeName("Mutation").fieldName("sendMessage")
                .runtime(FunctionRuntime.JS_1_0_0)
                .code(Code.fromInline("""
                        export function request(ctx) {
                          const m = ctx.args.message;
                          return { payload: typeof m === 'string' ? JSON.parse(m) : m };
                        }
                        export function response(ctx) {
                          return ctx.result;
                        }
                        """))
                .build());
        apiKey = Secret.Builder.create(this, "ApiKey")
                // no fixed name: a deleted secret keeps its name for 30 days, which would block a new deploy
                .description("API key of the notifications API (app.notifications.appsync.api-key)")
                .secretStringValue(SecretValue.resourceAttribute(api.getApiKey()))
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        Nag.suppress(apiKey, "AwsSolutions-SMG4", "An AppSync API key cannot be rotated by Secrets Manager: it is "
                + "the API's own key, renewed (expiry one year ahead) by every deploy of this stack");
        CqrsWorkersStack.output(this, "NotificationsUrl", api.getGraphqlUrl(), "Notifications API (GraphQL) URL");
        CqrsWorkersStack.output(this, "NotificationsApiKeySecret", apiKey.getSecretArn(),
                "Secrets Manager secret holding the notifications API key");
    }

    public GraphqlApi api() {
        return api;
    }

    public Secret apiKey() {
        return apiKey;
    }
}
