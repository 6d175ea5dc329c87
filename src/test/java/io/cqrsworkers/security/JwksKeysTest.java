package io.cqrsworkers.security;

import io.cqrsworkers.localaws.emulator.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Fetching, caching and refreshing the issuer's keys, on a clock the test moves. */
class JwksKeysTest {

    private final TestIssuer issuer = new TestIssuer();
    private final ManualClock clock = new ManualClock(Instant.now());

    @AfterEach
    void stop() {
        issuer.close();
    }

    private JwksKeys keys() {
        return new JwksKeys(URI.create(issuer.issuer() + "/.well-known/jwks.json"), Duration.ofHours(1),
                Duration.ofSeconds(30), clock);
    }

    @Test
    void fetchesOnFirstUseThenServesFromTheCache() throws Exception {
        issuer.publish("k1");
        JwksKeys keys = keys();
        assertThat(keys.key("k1")).isEqualTo(issuer.key("k1").getPublic());
        assertThat(keys.key("k1")).isNotNull();
        assertThat(issuer.jwksRequests()).isEqualTo(1);
    }

    @Test
    void anUnknownKidFetchesAgainButAtMostOncePerInterval() throws Exception {
        issuer.publish("k1");
        JwksKeys keys = keys();
        keys.key("k1");
        clock.advance(Duration.ofSeconds(31));
        assertThatThrownBy(() -> keys.key("made-up-1")).isInstanceOf(InvalidTokenException.class);
        assertThat(issuer.jwksRequests()).isEqualTo(2);
        // more made-up kids right after: no more fetches
        assertThatThrownBy(() -> keys.key("made-up-2")).isInstanceOf(InvalidTokenException.class);
        issuer.publish("k2");
        assertThatThrownBy(() -> keys.key("k2")).isInstanceOf(InvalidTokenException.class);
        assertThat(issuer.jwksRequests()).isEqualTo(2);
        // once the interval is over, the rotated key is found
        clock.advance(Duration.ofSeconds(31));
        assertThat(keys.key("k2")).isEqualTo(issuer.key("k2").getPublic());
        assertThat(issuer.jwksRequests()).isEqualTo(3);
    }

    @Test
    void keysOlderThanTheCacheTimeAreFetchedAgain() throws Exception {
        issuer.publish("k1");
        JwksKeys keys = keys();
        keys.key("k1");
        clock.advance(Duration.ofMinutes(61));
        keys.key("k1");
        assertThat(issuer.jwksRequests()).isEqualTo(2);
    }

    @Test
    void anIssuerThatCannotBeReachedIsA503NotA401AndKnownKeysSurviveIt() throws Exception {
        JwksKeys nowhere = new JwksKeys(URI.create("http://127.0.0.1:1/jwks.json"), Duration.ofHours(1),
                Duration.ofSeconds(30), clock);
        assertThatThrownBy(() -> nowhere.key("k1")).isInstanceOf(KeysUnavailableException.class);

        issuer.publish("k1");
        JwksKeys keys = keys();
        keys.key("k1");
        issuer.close();
        clock.advance(Duration.ofMinutes(61));
        assertThat(keys.key("k1")).isEqualTo(issuer.key("k1").getPublic());
    }
}
