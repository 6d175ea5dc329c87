package io.cqrsworkers.stream;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Tells the ddb-stream consumers of this JVM that a table was written ({@link AdaptivePolling#wrote}), so a consumer
 * whose stream was idle reads it at once instead of after its long pause. A global SDK interceptor
 * ({@code software/amazon/awssdk/global/handlers/execution.interceptors}): every SDK client of the JVM has it, the
 * service's, the Camel components' and a test's. It only looks at the request type of a successful call; with no
 * consumer running it does nothing else.
 */
public final class TableWriteInterceptor implements ExecutionInterceptor {

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (!AdaptivePolling.anyRunning()) {
            return;
        }
        SdkRequest request = context.request();
        if (request instanceof PutItemRequest put) {
            AdaptivePolling.wrote(put.tableName());
        } else if (request instanceof UpdateItemRequest update) {
            AdaptivePolling.wrote(update.tableName());
        } else if (request instanceof DeleteItemRequest delete) {
            AdaptivePolling.wrote(delete.tableName());
        } else if (request instanceof TransactWriteItemsRequest transact) {
            for (TransactWriteItem item : transact.transactItems()) {
                if (item.put() != null) {
                    AdaptivePolling.wrote(item.put().tableName());
                } else if (item.update() != null) {
                    AdaptivePolling.wrote(item.update().tableName());
                } else if (item.delete() != null) {
                    AdaptivePolling.wrote(item.delete().tableName());
                }
            }
        } else if (request instanceof BatchWriteItemRequest batch) {
            batch.requestItems().keySet().forEach(AdaptivePolling::wrote);
        }
    }
}
