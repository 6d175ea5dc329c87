package io.cqrsworkers.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.config.AppConfiguration;
import io.cqrsworkers.testkit.EmbeddedAws;
import io.cqrsworkers.testkit.EmbeddedAwsClient;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The business API with the bearer-token check on (as in the aws profile), over real HTTP, against a test issuer
 * whose JWKS an in-test HTTP server serves.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class, properties = {
        "app.security.enabled=true",
        "app.security.audience=test-client,other-client",
        "app.security.admin-tenant=*",
        "app.security.clock-skew-seconds=30",
        "app.security.jwks-refresh-min-seconds=0"})
@EmbeddedAws(routes = "classpath:test-routes/*.camel.yaml")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecuredApiTest {

    /** The class's embedded AWS: its ports, data folder and clients. */
    EmbeddedAwsClient kit;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final TestIssuer ISSUER = new TestIssuer();

    static {
        ISSUER.publish("key-1");
    }

    /** The issuer serves its keys on a port of its own, known once it runs. */
    @EmbeddedAws.RuntimeProperties
    static Map<String, String> issuer() {
        return Map.of("app.security.issuer", ISSUER.issuer());
    }

    @AfterAll
    void stopIssuer() {
        ISSUER.close();
    }

    // --- the console: its page is public, its data is an administrator's ---

    @Test
    void theConsolePageLoadsWithoutATokenButItsApiNeedsOne() throws Exception {
        assertThat(send("GET", "/console", null, null).statusCode()).isEqualTo(200);
        HttpResponse<String> script = send("GET", "/console/assets/app.js", null, null);
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.body()).contains("Authorization");
        assertThat(send("GET", "/console/api/info", null, null).statusCode()).isEqualTo(401);
        assertThat(send("POST", "/console/assets/app.js", "{}", null).statusCode())
                .as("only reading an asset is public").isEqualTo(401);
        // the console shows every tenant's executions, commands, tasks and imports: an administrator's view
        String tenantOne = ISSUER.sign("key-1", ISSUER.idClaims("user-1", "t1", "test-client"));
        assertThat(send("GET", "/console/api/info", null, tenantOne).statusCode()).isEqualTo(403);
        String admin = ISSUER.sign("key-1", ISSUER.idClaims("admin-1", "*", "test-client"));
        assertThat(send("GET", "/console/api/info", null, admin).statusCode()).isEqualTo(200);
    }

    // --- refused: 401 ---

    @Test
    void aRequestWithoutATokenIsRefusedWithAChallenge() throws Exception {
        HttpResponse<String> response = send("POST", "/api/commands/sample", command("t1", "no-token"), null);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"cqrs-workers\"");
        assertError(response, "Unauthorized", "bearer token");
        // unknown paths too: nothing on the business port answers without a token
        assertThat(send("GET", "/no/such/path", null, null).statusCode()).isEqualTo(401);
    }

    @Test
    void aMalformedTokenOrAnotherSchemeIsRefused() throws Exception {
        assertInvalid(send("GET", "/api/tasks?pk=TASK%23t1&sk=x", null, "not-a-jwt"), "not a signed JWT");
        HttpResponse<String> basic = HTTP.send(request("GET", "/api/tasks?pk=TASK%23t1&sk=x", null)
                .header("Authorization", "Basic dXNlcjpwYXNz").build(), HttpResponse.BodyHandlers.ofString());
        assertInvalid(basic, "must be 'Bearer <JWT>'");
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        ObjectNode claims = ISSUER.idClaims("user-1", "t1", "test-client");
        long past = Instant.now().getEpochSecond() - 3600;
        claims.put("iat", past).put("exp", past + 600);
        assertInvalid(post(command("t1", "expired"), ISSUER.sign("key-1", claims)), "expired");
    }

    @Test
    void aTokenNotYetValidIsRefused() throws Exception {
        ObjectNode claims = ISSUER.idClaims("user-1", "t1", "test-client");
        claims.put("nbf", Instant.now().getEpochSecond() + 600);
        assertInvalid(post(command("t1", "early"), ISSUER.sign("key-1", claims)), "not valid before");
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRefused() throws Exception {
        String forged = TestIssuer.sign("key-1", ISSUER.idClaims("user-1", "t1", "test-client"),
                TestIssuer.newKey().getPrivate(), "RS256");
        assertInvalid(post(command("t1", "forged"), forged), "signature does not verify");
    }

    @Test
    void anUnsignedTokenIsRefused() throws Exception {
        String none = TestIssuer.unsignedToken("key-1", ISSUER.idClaims("user-1", "t1", "test-client"));
        assertInvalid(post(command("t1", "none"), none), "algorithm 'none' is not accepted");
    }

    @Test
    void aTokenOfAnotherIssuerIsRefused() throws Exception {
        ObjectNode claims = ISSUER.idClaims("user-1", "t1", "test-client");
        claims.put("iss", "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other");
        assertInvalid(post(command("t1", "issuer"), ISSUER.sign("key-1", claims)), "issuer");
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() throws Exception {
        assertInvalid(post(command("t1", "audience"), ISSUER.sign("key-1",
                ISSUER.idClaims("user-1", "t1", "someone-else"))), "audience [someone-else] is not accepted");
    }

    // --- refused: 403 ---

    @Test
    void aTokenForAnotherTenantIsForbidden() throws Exception {
        String t2 = ISSUER.sign("key-1", ISSUER.idClaims("user-2", "t2", "test-client"));
        HttpResponse<String> response = post(command("t1", "other-tenant"), t2);
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertError(response, "Forbidden", "tenant 't1'");
        // the tenant in a query parameter, and in a pk (TYPE#tenant)
        assertError(send("GET", "/api/notifications?tenantCode=t1", null, t2), "Forbidden", "tenant 't1'");
        assertError(send("GET", "/api/commands/sample?pk=ORDER%23t1&sk=ORDER%231", null, t2), "Forbidden", "'t1'");
        assertError(send("POST", "/api/imports/sample?tenantCode=t1", "{\"code\":\"x\"}", t2), "Forbidden", "'t1'");
    }

    @Test
    void aTenantSmuggledInAHeaderOrAPkNextToAnAllowedOneIsForbidden() throws Exception {
        String t1 = ISSUER.sign("key-1", ISSUER.idClaims("user-1", "t1", "test-client"));
        HttpResponse<String> header = HTTP.send(request("POST", "/api/commands/sample", command("t1", "smuggled"))
                .header("Authorization", "Bearer " + t1).header("tenantCode", "t2").build(),
                HttpResponse.BodyHandlers.ofString());
        assertError(header, "Forbidden", "'t2'");
        String otherPk = command("t1", "pk").replace("ORDER#t1", "ORDER#t2");
        assertError(post(otherPk, t1), "Forbidden", "'t2'");
    }

    @Test
    void aRequestNamingNoTenantNeedsTheAdminTenant() throws Exception {
        String t1 = ISSUER.sign("key-1", ISSUER.idClaims("user-1", "t1", "test-client"));
        assertError(send("GET", "/api/imports?id=nothing", null, t1), "Forbidden", "names no tenant");
        String admin = ISSUER.sign("key-1", ISSUER.idClaims("admin-1", "*", "test-client"));
        HttpResponse<String> response = send("GET", "/api/imports?id=nothing", null, admin);
        // past the guard: the route itself answers (no such import)
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains("Not an import id");
        // and any tenant
        assertThat(post(command("t9", "by-admin"), admin).statusCode()).isEqualTo(201);
    }

    // --- accepted ---

    @Test
    void aGoodTokenPublishesTheCommandAsItsUserWhateverXUserIdSays() throws Exception {
        String token = ISSUER.sign("key-1", ISSUER.idClaims("user-1", "t1", "test-client"));
        String sk = "ORDER#" + UUID.randomUUID();
        HttpResponse<String> response = HTTP.send(request("POST", "/api/commands/sample", command("t1", sk))
                        .header("Authorization", "Bearer " + token).header("X-User-Id", "mallory").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode published = JSON.readTree(response.body());
        assertThat(published.path("createdBy").asText()).isEqualTo("user-1");
        assertThat(published.path("updatedBy").asText()).isEqualTo("user-1");

        HttpResponse<String> read = send("GET", "/api/commands/sample?pk=ORDER%23t1&sk="
                + sk.replace("#", "%23"), null, token);
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        assertThat(JSON.readTree(read.body()).path("createdBy").asText()).isEqualTo("user-1");
    }

    @Test
    void aCognitoAccessTokenWithClientIdAndSeveralTenantsIsAccepted() throws Exception {
        long now = Instant.now().getEpochSecond();
        ObjectNode access = JSON.createObjectNode().put("sub", "user-3").put("iss", ISSUER.issuer())
                .put("client_id", "other-client").put("token_use", "access").put("username", "u3")
                .put("custom:tenant", "t1, t3").put("iat", now).put("exp", now + 300);
        HttpResponse<String> response = post(command("t3", "ORDER#" + UUID.randomUUID()), ISSUER.sign("key-1", access));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(JSON.readTree(response.body()).path("createdBy").asText()).isEqualTo("user-3");
    }

    @Test
    void theNotificationStreamAcceptsAGoodToken() throws Exception {
        String token = ISSUER.sign("key-1", ISSUER.idClaims("user-1", "t1", "test-client"));
        assertThat(send("GET", "/api/notifications?tenantCode=t1", null, null).statusCode()).isEqualTo(401);
        HttpResponse<InputStream> stream = HTTP.send(request("GET", "/api/notifications?tenantCode=t1", null)
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = stream.body()) {
            assertThat(stream.statusCode()).isEqualTo(200);
            assertThat(stream.headers().firstValue("content-type")).hasValue("text/event-stream");
        }
    }

    @Test
    void aNewKidFetchesTheKeysOnceAndThenWorks() throws Exception {
        String before = ISSUER.sign("key-1", ISSUER.idClaims("user-1", "t1", "test-client"));
        assertThat(post(command("t1", "ORDER#" + UUID.randomUUID()), before).statusCode()).isEqualTo(201);
        int fetches = ISSUER.jwksRequests();

        ISSUER.publish("key-2");
        String rotated = ISSUER.sign("key-2", ISSUER.idClaims("user-1", "t1", "test-client"));
        HttpResponse<String> response = post(command("t1", "ORDER#" + UUID.randomUUID()), rotated);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(ISSUER.jwksRequests()).isEqualTo(fetches + 1);
        // the new key is cached now, and the old one still works
        assertThat(post(command("t1", "ORDER#" + UUID.randomUUID()), rotated).statusCode()).isEqualTo(201);
        assertThat(post(command("t1", "ORDER#" + UUID.randomUUID()), before).statusCode()).isEqualTo(201);
        assertThat(ISSUER.jwksRequests()).isEqualTo(fetches + 1);
    }

    @Test
    void aKidTheIssuerDoesNotHaveIsRefused() throws Exception {
        String unknown = TestIssuer.sign("key-x", ISSUER.idClaims("user-1", "t1", "test-client"),
                TestIssuer.newKey().getPrivate(), "RS256");
        assertInvalid(post(command("t1", "unknown-kid"), unknown), "kid key-x");
    }

    @Test
    void healthAndMetricsNeedNoToken() throws Exception {
        for (String path : new String[] {"/observe/health/live", "/observe/metrics"}) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + kit.managementPort() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isEqualTo(200);
        }
    }

    // --- helpers ---

    private static String command(String tenant, String sk) {
        return "{\"pk\":\"ORDER#" + tenant + "\",\"sk\":\"" + sk + "\",\"code\":\"c\",\"name\":\"n\",\"tenantCode\":\""
                + tenant + "\",\"type\":\"ORDER\",\"version\":0,\"attributes\":{}}";
    }

    private HttpResponse<String> post(String body, String token) throws Exception {
        return send("POST", "/api/commands/sample", body, token);
    }

    private HttpRequest.Builder request(String method, String path, String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + kit.serverPort() + path))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    }

    private HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder request = request(method, path, body);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertInvalid(HttpResponse<String> response, String reason) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
                .startsWith("Bearer realm=\"cqrs-workers\", error=\"invalid_token\", error_description=\"")
                .contains(reason.replace('"', '\''));
        assertError(response, "Unauthorized", reason);
    }

    private static void assertError(HttpResponse<String> response, String error, String reason) throws Exception {
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("error").asText()).as(response.body()).isEqualTo(error);
        assertThat(body.path("message").asText()).contains(reason);
    }
}
