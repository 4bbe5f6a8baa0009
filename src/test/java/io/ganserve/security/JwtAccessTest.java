package io.ganserve.security;

import static io.ganserve.security.Refusals.challenges;
import static io.ganserve.security.Refusals.forbidden;
import static io.ganserve.security.Refusals.unauthorized;
import static org.assertj.core.api.Assertions.assertThat;

import io.ganserve.support.HttpApi;
import io.ganserve.support.ServiceOnTempData;
import io.ganserve.support.TestKeys;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The OAuth2 resource-server option, offline: the service trusts the public half of an RSA key
 * pair made here ({@code public-key-location}), and the test signs its own tokens. API keys keep
 * working beside them.
 */
class JwtAccessTest extends ServiceOnTempData {

    static final String JOB = "{\"dataset\":\"ring8\",\"steps\":5,\"checkpointEvery\":5,\"seed\":5}";
    static final String AUDIENCE = "ganserve-test";
    static final KeyPair TRUSTED = TestTokens.rsaKeyPair();
    static final KeyPair STRANGER = TestTokens.rsaKeyPair();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("ganserve.security.jwt.enabled", () -> "true");
        registry.add("ganserve.security.jwt.public-key-location", () -> "file:" + TestTokens.writePublicKeyPem(TRUSTED, data.resolve("jwt.pem")));
        registry.add("ganserve.security.jwt.audience", () -> AUDIENCE);
    }

    HttpApi admin;

    @BeforeEach
    void clients() {
        admin = new HttpApi(port);
    }

    HttpApi bearer(String token) {
        return admin.withHeader("Authorization", "Bearer " + token);
    }

    int jobCount() {
        return admin.json(admin.get("/jobs")).size();
    }

    @Test
    void tokenWithTheWriteScopeStartsAJob() {
        int before = jobCount();
        HttpResponse<String> created = bearer(token(TRUSTED, "ganserve.write ganserve.read", Instant.now().plusSeconds(300), AUDIENCE))
                .post("/jobs", JOB);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        assertThat(jobCount()).isEqualTo(before + 1);
    }

    @Test
    void tokenSignedByAnotherKeyGets401() {
        int before = jobCount();
        HttpResponse<String> refused = bearer(token(STRANGER, "ganserve.write", Instant.now().plusSeconds(300), AUDIENCE))
                .post("/jobs", JOB);
        unauthorized(refused, "Invalid bearer token");
        assertThat(challenges(refused)).anySatisfy(c -> assertThat(c).startsWith("Bearer realm=\"ganserve\"")
                .contains("error=\"invalid_token\""));
        assertThat(jobCount()).isEqualTo(before);
    }

    @Test
    void expiredTokenGets401() {
        int before = jobCount();
        // Beyond the 60 s of clock skew the validator allows.
        JsonNode problem = unauthorized(bearer(token(TRUSTED, "ganserve.write", Instant.now().minusSeconds(600), AUDIENCE))
                .post("/jobs", JOB), "Invalid bearer token");
        assertThat(problem.get("detail").asString()).containsIgnoringCase("expired");
        assertThat(jobCount()).isEqualTo(before);
    }

    @Test
    void tokenForAnotherAudienceOrNotAJwtAtAllGets401() {
        int before = jobCount();
        unauthorized(bearer(token(TRUSTED, "ganserve.write", Instant.now().plusSeconds(300), "someone-else"))
                .post("/jobs", JOB), "Invalid bearer token");
        unauthorized(bearer("not-a-jwt").post("/jobs", JOB), "Invalid bearer token");
        assertThat(jobCount()).isEqualTo(before);
    }

    @Test
    void tokenWithoutTheWriteScopeGets403() {
        int before = jobCount();
        HttpResponse<String> refused = bearer(token(TRUSTED, "ganserve.read", Instant.now().plusSeconds(300), AUDIENCE))
                .post("/jobs", JOB);
        JsonNode problem = forbidden(refused, Role.WRITE);
        assertThat(problem.get("detail").asString()).contains("bearer token of 'alice'");
        assertThat(challenges(refused)).anySatisfy(c -> assertThat(c)
                .contains("error=\"insufficient_scope\"", "scope=\"ganserve.write\""));
        assertThat(jobCount()).isEqualTo(before);
    }

    @Test
    void scopesMayComeAsAListAndGrantMetrics() {
        String token = token(TRUSTED, List.of("ganserve.metrics"), Instant.now().plusSeconds(300), AUDIENCE);
        HttpResponse<String> scrape = bearer(token).get("/actuator/prometheus");
        assertThat(scrape.statusCode()).as(scrape.body()).isEqualTo(200);
        assertThat(scrape.body()).contains("gan_jobs_queue_length");
        forbidden(bearer(token).post("/jobs", JOB), Role.WRITE);
    }

    @Test
    void apiKeysStillWorkAndAMissingCredentialOffersBothSchemes() {
        assertThat(admin.withKey(TestKeys.METRICS).get("/actuator/prometheus").statusCode()).isEqualTo(200);
        HttpResponse<String> refused = admin.anonymous().post("/jobs", JOB);
        JsonNode problem = unauthorized(refused, "Missing credentials");
        assertThat(problem.get("detail").asString()).contains("X-API-Key", "Authorization: Bearer");
        assertThat(challenges(refused)).containsExactly("ApiKey realm=\"ganserve\"", "Bearer realm=\"ganserve\"");

        JsonNode api = admin.json(admin.anonymous().get("/v3/api-docs"));
        assertThat(api.at("/components/securitySchemes/bearerJwt/scheme").asString()).isEqualTo("bearer");
        assertThat(api.at("/paths/~1jobs/post/security").toString()).contains("apiKey", "bearerJwt");
    }

    static String token(KeyPair signer, Object scope, Instant expires, String audience) {
        return TestTokens.token(signer, scope, expires, audience, null);
    }
}
