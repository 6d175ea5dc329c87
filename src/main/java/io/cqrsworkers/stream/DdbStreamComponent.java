package io.cqrsworkers.stream;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.PropertyBindingSupport;

/**
 * The {@code ddb-stream} component: a DynamoDB Streams consumer on KCL 3 with checkpoints and shared leases.
 * Connection settings set here apply to every endpoint, like aws2-ddb's component options.
 */
public class DdbStreamComponent extends DefaultComponent {

    private DdbStreamConfiguration configuration = new DdbStreamConfiguration();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        DdbStreamConfiguration endpointConfig = configuration.copy();
        endpointConfig.setTableName(remaining);
        DdbStreamEndpoint endpoint = new DdbStreamEndpoint(uri, this, endpointConfig);
        PropertyBindingSupport.build().withReflection(true).withIgnoreCase(true).withRemoveParameters(true)
                .bind(getCamelContext(), endpointConfig, parameters);
        setProperties(endpoint, parameters);
        endpointConfig.validate();
        return endpoint;
    }

    public DdbStreamConfiguration getConfiguration() {
        return configuration;
    }

    /** Defaults for every endpoint of this component. */
    public void setConfiguration(DdbStreamConfiguration configuration) {
        this.configuration = configuration;
    }

    public void setRegion(String region) {
        configuration.setRegion(region);
    }

    public void setOverrideEndpoint(boolean overrideEndpoint) {
        configuration.setOverrideEndpoint(overrideEndpoint);
    }

    public void setUriEndpointOverride(String uriEndpointOverride) {
        configuration.setUriEndpointOverride(uriEndpointOverride);
    }

    public void setAccessKey(String accessKey) {
        configuration.setAccessKey(accessKey);
    }

    public void setSecretKey(String secretKey) {
        configuration.setSecretKey(secretKey);
    }

    public void setRequireLeaseTable(boolean requireLeaseTable) {
        configuration.setRequireLeaseTable(requireLeaseTable);
    }

    public void setSqsUriEndpointOverride(String sqsUriEndpointOverride) {
        configuration.setSqsUriEndpointOverride(sqsUriEndpointOverride);
    }
}
