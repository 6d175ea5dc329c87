package io.cqrsworkers.localaws;

import io.cqrsworkers.embedded.EmbeddedAws;
import org.junit.jupiter.api.Test;

import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

/** The service finds the embedded AWS through its registration, the one way it is looked for. */
class ProviderRegistrationTest {

    @Test
    void theRegistrationNamesLocalAws() {
        assertThat(ServiceLoader.load(EmbeddedAws.Provider.class).stream().map(ServiceLoader.Provider::type))
                .containsExactly(LocalAws.Provider.class);
    }
}
