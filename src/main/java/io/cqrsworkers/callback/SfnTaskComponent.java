package io.cqrsworkers.callback;

import org.apache.camel.Endpoint;
import org.apache.camel.support.CamelContextHelper;
import org.apache.camel.support.DefaultComponent;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.util.Locale;
import java.util.Map;

/**
 * {@code sfn-task:success}, {@code sfn-task:failure}, {@code sfn-task:heartbeat}: answers a Step Functions task
 * token from a route. Uses the single {@link SfnClient} in the registry unless one is set.
 */
public class SfnTaskComponent extends DefaultComponent {

    private SfnClient sfnClient;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        SfnTaskEndpoint.Action action;
        try {
            action = SfnTaskEndpoint.Action.valueOf(remaining.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sfn-task:" + remaining + " is not an action; use success, failure or heartbeat");
        }
        SfnTaskEndpoint endpoint = new SfnTaskEndpoint(uri, this, action);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    TaskCallbacks callbacks() {
        if (sfnClient == null) {
            sfnClient = CamelContextHelper.findSingleByType(getCamelContext(), SfnClient.class);
            if (sfnClient == null) {
                throw new IllegalStateException("sfn-task needs exactly one SfnClient in the registry");
            }
        }
        return new TaskCallbacks(sfnClient);
    }

    public SfnClient getSfnClient() {
        return sfnClient;
    }

    public void setSfnClient(SfnClient sfnClient) {
        this.sfnClient = sfnClient;
    }
}
