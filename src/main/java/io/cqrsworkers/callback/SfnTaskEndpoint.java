package io.cqrsworkers.callback;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** One callback action; options: {@code tokenHeader}, {@code failOnClosedToken}. */
public class SfnTaskEndpoint extends DefaultEndpoint {

    public enum Action { SUCCESS, FAILURE, HEARTBEAT }

    private final Action action;
    private String tokenHeader = SfnTaskHeaders.TOKEN;
    private boolean failOnClosedToken;

    SfnTaskEndpoint(String uri, SfnTaskComponent component, Action action) {
        super(uri, component);
        this.action = action;
    }

    @Override
    public Producer createProducer() {
        return new SfnTaskProducer(this, ((SfnTaskComponent) getComponent()).callbacks());
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("sfn-task is a producer only");
    }

    public Action getAction() {
        return action;
    }

    public String getTokenHeader() {
        return tokenHeader;
    }

    /** Header that carries the task token; default {@value SfnTaskHeaders#TOKEN}. */
    public void setTokenHeader(String tokenHeader) {
        this.tokenHeader = tokenHeader;
    }

    public boolean isFailOnClosedToken() {
        return failOnClosedToken;
    }

    /** Throw when the token is already closed (timed out or answered); default false: it counts as done. */
    public void setFailOnClosedToken(boolean failOnClosedToken) {
        this.failOnClosedToken = failOnClosedToken;
    }
}
