package io.cqrsworkers.stream;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** {@code ddb-stream:<tableName>}: consumer only; see {@link DdbStreamConfiguration} for the options. */
public class DdbStreamEndpoint extends DefaultEndpoint {

    private final DdbStreamConfiguration configuration;

    public DdbStreamEndpoint(String uri, DdbStreamComponent component, DdbStreamConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    public DdbStreamConfiguration getConfiguration() {
        return configuration;
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        DdbStreamConsumer consumer = new DdbStreamConsumer(this, processor, configuration);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("ddb-stream is a consumer only; write to the table with aws2-ddb");
    }
}
