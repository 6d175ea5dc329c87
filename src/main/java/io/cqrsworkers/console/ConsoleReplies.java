package io.cqrsworkers.console;

import io.cqrsworkers.api.JsonResponses;
import org.apache.camel.Exchange;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** The console API's error answers: {"error","message"} with the status the failure calls for. */
public class ConsoleReplies {

    public static final String BEAN = "consoleReplies";

    public void failed(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int status;
        if (failure instanceof ConsoleException console) {
            status = console.status();
        } else if (failure instanceof IllegalArgumentException) {
            status = 400;
        } else if (failure instanceof AwsServiceException aws) {
            // what does not exist (an execution, a map run, a queue) is a 404; the caller's mistakes stay 400
            String code = aws.awsErrorDetails() == null ? "" : aws.awsErrorDetails().errorCode();
            status = code.endsWith("DoesNotExist") || code.endsWith("NotFound")
                    || code.equals("ResourceNotFoundException") ? 404 : aws.statusCode() >= 500 ? 502 : 400;
        } else {
            status = 500;
        }
        JsonResponses.error(exchange, status, String.valueOf(failure.getMessage()));
    }
}
