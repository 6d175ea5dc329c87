package io.cqrsworkers.security;

import org.junit.jupiter.api.Test;

import java.io.FileReader;
import java.io.Reader;
import java.net.URI;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The app.security.* keys, and what the profiles' files say about security and bind addresses. */
class SecuritySettingsTest {

    private static final String COGNITO = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123";

    @Test
    void enabledWithoutAnIssuerIsAStartUpError() {
        assertThatThrownBy(() -> SecuritySettings.from(config(Map.of("app.security.enabled", "true",
                "app.security.audience", "client"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("app.security.issuer is not set");
    }

    @Test
    void enabledWithoutAnAudienceIsAStartUpError() {
        assertThatThrownBy(() -> SecuritySettings.from(config(Map.of("app.security.enabled", "true",
                "app.security.issuer", COGNITO))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("app.security.audience is not set");
    }

    @Test
    void theKeysAreAtTheIssuersWellKnownAddressByDefault() {
        SecuritySettings settings = SecuritySettings.from(config(Map.of("app.security.enabled", "true",
                "app.security.issuer", COGNITO, "app.security.audience", "a, b")));
        assertThat(settings.jwksUrl()).isEqualTo(URI.create(COGNITO + "/.well-known/jwks.json"));
        assertThat(settings.audiences()).containsExactlyInAnyOrder("a", "b");
        assertThat(settings.audienceClaims()).containsExactly("aud", "client_id");
        assertThat(settings.tenantClaim()).isEqualTo("custom:tenant");
        assertThat(settings.userClaims()).containsExactly("sub");
        assertThat(settings.clockSkew().toSeconds()).isEqualTo(60);
    }

    @Test
    void disabledNeedsNothing() {
        assertThat(SecuritySettings.from(config(Map.of())).enabled()).isFalse();
    }

    @Test
    void theAwsProfileTurnsSecurityOnAndListensOnEveryInterfaceTheLocalOneDoesNot() throws Exception {
        Properties common = load("application.properties");
        Properties aws = load("application-aws.properties");
        Properties local = load("application-local.properties");
        assertThat(common.getProperty("app.security.enabled")).isEqualTo("false");
        assertThat(common.getProperty("camel.server.host")).isEqualTo("127.0.0.1");
        assertThat(common.getProperty("camel.management.host")).isEqualTo("127.0.0.1");
        assertThat(aws.getProperty("app.security.enabled")).isEqualTo("true");
        assertThat(aws.getProperty("camel.server.host")).isEqualTo("0.0.0.0");
        assertThat(aws.getProperty("camel.management.host")).isEqualTo("0.0.0.0");
        assertThat(local.getProperty("app.security.enabled")).isEqualTo("false");
        assertThat(local.getProperty("camel.server.host")).isEqualTo("127.0.0.1");
        assertThat(local.getProperty("camel.management.host")).isEqualTo("127.0.0.1");
        // the aws profile's own settings alone do not start: the issuer must come from the deployment
        Properties merged = new Properties();
        merged.putAll(common);
        merged.putAll(aws);
        assertThatThrownBy(() -> SecuritySettings.from(merged::getProperty))
                .hasMessageContaining("app.security.issuer is not set");
    }

    private static Properties load(String file) throws Exception {
        Properties properties = new Properties();
        try (Reader reader = new FileReader(file)) {
            properties.load(reader);
        }
        return properties;
    }

    private static Function<String, String> config(Map<String, String> values) {
        return values::get;
    }
}
