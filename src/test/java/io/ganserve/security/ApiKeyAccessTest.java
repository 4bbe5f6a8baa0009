package io.ganserve.security;

import static io.ganserve.security.Refusals.challenges;
import static io.ganserve.security.Refusals.forbidden;
import static io.ganserve.security.Refusals.unauthorized;
import static org.assertj.core.api.Assertions.assertThat;

import io.ganserve.support.HttpApi;
import io.ganserve.support.ServiceOnTempData;
import io.ganserve.support.TestKeys;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * API keys over the real HTTP API with the default {@code public-reads: true}: who may write, what
 * a refusal looks like, and that a refused request changes nothing. The keys are those of
 * src/test/resources/config/application.yml ({@link TestKeys}).
 */
class ApiKeyAccessTest extends ServiceOnTempData {

    static final String LONG_JOB = "{\"dataset\":\"ring8\",\"steps\":500000,\"checkpointEvery\":1000,\"seed\":3}";
    static final String SMALL_JOB = "{\"dataset\":\"ring8\",\"steps\":5,\"checkpointEvery\":5,\"seed\":3}";

    HttpApi admin;
    HttpApi anonymous;

    @BeforeEach
    void clients() {
        admin = new HttpApi(port);
        anonymous = admin.anonymous();
    }

    int jobCount() {
        return admin.json(admin.get("/jobs")).size();
    }

    @Test
    void missingKeyGets401ProblemAndNoJob() {
        int before = jobCount();
        HttpResponse<String> refused = anonymous.post("/jobs", SMALL_JOB);
        JsonNode problem = unauthorized(refused, "Missing API key");
        assertThat(problem.get("detail").asString()).contains("POST /jobs needs role WRITE", "X-API-Key", "Authorization: ApiKey");
        // No JWT configured: only the ApiKey challenge.
        assertThat(challenges(refused)).containsExactly("ApiKey realm=\"ganserve\"");
        assertThat(jobCount()).isEqualTo(before);
    }

    @Test
    void wrongKeyGets401InBothHeaderFormsAndIsNotEchoed() {
        int before = jobCount();
        String wrong = "not-a-key-7c1e90";
        JsonNode header = unauthorized(admin.withKey(wrong).post("/jobs", SMALL_JOB), "Unknown API key");
        assertThat(header.get("detail").asString()).contains("X-API-Key").doesNotContain(wrong);
        JsonNode scheme = unauthorized(admin.withHeader("Authorization", "ApiKey " + wrong).post("/jobs", SMALL_JOB),
                "Unknown API key");
        assertThat(scheme.get("detail").asString()).contains("Authorization: ApiKey").doesNotContain(wrong);
        // A hash is not a key: the configured sha256 itself is just another unknown key.
        unauthorized(admin.withKey(ApiKeyHash.hex(TestKeys.ADMIN)).post("/jobs", SMALL_JOB), "Unknown API key");
        // A bad key is refused on public reads too, so a client learns at once that its key is broken.
        unauthorized(admin.withKey(wrong).get("/jobs"), "Unknown API key");
        assertThat(jobCount()).isEqualTo(before);
    }

    @Test
    void revokedKeyGets401NamingTheKey() {
        int before = jobCount();
        JsonNode problem = unauthorized(admin.withKey(TestKeys.REVOKED).post("/jobs", SMALL_JOB), "Revoked API key");
        assertThat(problem.get("detail").asString()).contains("'test-revoked'", "revoked");
        unauthorized(admin.withKey(TestKeys.REVOKED).get("/actuator/prometheus"), "Revoked API key");
        assertThat(jobCount()).isEqualTo(before);
    }

    @Test
    void readOnlyKeyGets403NamingWriteAndNoJob() {
        int before = jobCount();
        JsonNode problem = forbidden(admin.withKey(TestKeys.READER).post("/jobs", SMALL_JOB), Role.WRITE);
        assertThat(problem.get("detail").asString()).contains("POST /jobs", "'test-reader'", "READ");
        assertThat(problem.get("roles").toString()).isEqualTo("[\"READ\"]");
        forbidden(admin.withKey(TestKeys.METRICS).post("/jobs", SMALL_JOB), Role.WRITE);
        assertThat(jobCount()).isEqualTo(before);
    }

    @Test
    void writeKeyStartsAJobAndOnlyAWriteKeyCancelsIt() {
        HttpApi writer = admin.withKey(TestKeys.WRITER);
        HttpResponse<String> created = writer.post("/jobs", LONG_JOB);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        String id = writer.json(created).get("id").asString();
        String path = "/jobs/" + id;

        unauthorized(anonymous.delete(path), "Missing API key");
        unauthorized(admin.withKey("wrong").delete(path), "Unknown API key");
        unauthorized(admin.withKey(TestKeys.REVOKED).delete(path), "Revoked API key");
        forbidden(admin.withKey(TestKeys.READER).delete(path), Role.WRITE);
        JsonNode job = anonymous.json(anonymous.get(path));
        assertThat(job.get("status").asString()).as(job.toString()).isIn("QUEUED", "RUNNING");

        // As Prometheus sends it: Authorization: ApiKey <key>
        HttpResponse<String> cancelled = admin.withHeader("Authorization", "ApiKey " + TestKeys.WRITER).delete(path);
        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(202);
        assertThat(admin.awaitFinished(id, Duration.ofMinutes(2)).get("status").asString()).isEqualTo("CANCELLED");
    }

    @Test
    void refusedEvaluationRequestsRecordNothing() {
        JsonNode done = admin.trainToSuccess("{\"dataset\":\"ring8\",\"steps\":20,\"checkpointEvery\":20,"
                + "\"evaluateAtEnd\":false,\"evaluationSamples\":100,\"seed\":4}", Duration.ofMinutes(2));
        String evaluations = "/jobs/" + done.get("id").asString() + "/evaluations";
        unauthorized(anonymous.post(evaluations, "{}"), "Missing API key");
        forbidden(admin.withKey(TestKeys.READER).post(evaluations, "{}"), Role.WRITE);
        assertThat(anonymous.json(anonymous.get(evaluations)).size()).isZero();

        HttpResponse<String> accepted = admin.withKey(TestKeys.WRITER).post(evaluations, "{}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        assertThat(anonymous.json(anonymous.get(evaluations)).size()).isEqualTo(1);
    }

    @Test
    void everyMethodButGetAndHeadNeedsWrite() {
        // Refused before routing: no key, no 405 that would tell what exists.
        unauthorized(anonymous.request("PUT", "/jobs", "{}"), "Missing API key");
        unauthorized(anonymous.request("PATCH", "/models", "{}"), "Missing API key");
        forbidden(admin.withKey(TestKeys.READER).request("POST", "/datasets", "{}"), Role.WRITE);
        assertThat(admin.request("PUT", "/jobs", "{}").statusCode()).isEqualTo(405);
        assertThat(anonymous.request("HEAD", "/jobs", null).statusCode()).isEqualTo(200);
    }

    @Test
    void readsArePublicByDefault() {
        assertThat(anonymous.get("/jobs").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/models").statusCode()).isEqualTo(200);
        // Past the security filters: the controller's own answer (a model, or 404 before any).
        assertThat(anonymous.get("/samples?n=4&format=json").statusCode()).isIn(200, 404);
        assertThat(anonymous.get("/interpolations?format=json").statusCode()).isIn(200, 404);
    }

    @Test
    void healthIsPublicOtherActuatorEndpointsNeedMetrics() {
        assertThat(anonymous.get("/actuator/health").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/actuator/health/readiness").statusCode()).isEqualTo(200);

        JsonNode missing = unauthorized(anonymous.get("/actuator/prometheus"), "Missing API key");
        assertThat(missing.get("detail").asString()).contains("GET /actuator/prometheus needs role METRICS");
        unauthorized(anonymous.get("/actuator/info"), "Missing API key");
        unauthorized(anonymous.get("/actuator"), "Missing API key");
        forbidden(admin.withKey(TestKeys.READER).get("/actuator/prometheus"), Role.METRICS);
        forbidden(admin.withKey(TestKeys.WRITER).get("/actuator/info"), Role.METRICS);

        HttpResponse<String> scrape = admin.withHeader("Authorization", "ApiKey " + TestKeys.METRICS).get("/actuator/prometheus");
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("gan_jobs_queue_length");
        assertThat(admin.withKey(TestKeys.METRICS).get("/actuator/info").statusCode()).isEqualTo(200);
    }

    @Test
    void openApiAndSwaggerUiArePublic() {
        HttpResponse<String> docs = anonymous.get("/v3/api-docs");
        assertThat(docs.statusCode()).isEqualTo(200);
        // Swagger UI's Authorize button: the key scheme, required by writes, not by public reads.
        JsonNode api = anonymous.json(docs);
        assertThat(api.at("/components/securitySchemes/apiKey/in").asString()).isEqualTo("header");
        assertThat(api.at("/components/securitySchemes/apiKey/name").asString()).isEqualTo("X-API-Key");
        assertThat(api.at("/paths/~1jobs/post/security").toString()).isEqualTo("[{\"apiKey\":[]}]");
        assertThat(api.at("/paths/~1jobs~1{id}/delete/security").toString()).contains("apiKey");
        assertThat(api.at("/paths/~1jobs/get/security").isMissingNode()).isTrue();
        assertThat(anonymous.get("/swagger-ui.html").statusCode()).isBetween(200, 399);
        assertThat(anonymous.get("/swagger-ui/index.html").statusCode()).isEqualTo(200);
    }

    @Test
    void bearerTokenWhileJwtIsOffIsExplained() {
        int before = jobCount();
        HttpResponse<String> refused = admin.withHeader("Authorization", "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln")
                .post("/jobs", SMALL_JOB);
        JsonNode problem = unauthorized(refused, "Missing API key");
        assertThat(problem.get("detail").asString()).contains("ganserve.security.jwt.enabled is false");
        assertThat(challenges(refused)).noneMatch(c -> c.startsWith("Bearer"));
        assertThat(jobCount()).isEqualTo(before);
    }

    @Test
    void aKeyAndABearerTokenTogetherAreRefused() {
        int before = jobCount();
        unauthorized(admin.plusHeader("Authorization", "Bearer x").post("/jobs", SMALL_JOB), "Two credentials");
        assertThat(jobCount()).isEqualTo(before);
    }

    @Test
    void twoApiKeyHeadersAreRefusedAsAmbiguous() throws Exception {
        int before = jobCount();
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        // the same key twice too: which copy counts must never depend on a proxy's header order
        for (String second : new String[] {TestKeys.READER, TestKeys.ADMIN}) {
            java.net.http.HttpRequest request = java.net.http.HttpRequest
                    .newBuilder(java.net.URI.create("http://localhost:" + port + "/jobs"))
                    .header("Content-Type", "application/json")
                    .header("X-API-Key", TestKeys.ADMIN)
                    .header("X-API-Key", second)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(SMALL_JOB))
                    .build();
            HttpResponse<String> refused = client.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode problem = unauthorized(refused, "Two credentials");
            assertThat(problem.get("detail").asString()).contains("X-API-Key", "more than once");
        }
        assertThat(jobCount()).isEqualTo(before);
    }

    @Test
    void anonymousHealthShowsStatusOnlyTheMetricsRoleSeesDetails() {
        JsonNode bare = anonymous.json(anonymous.get("/actuator/health"));
        assertThat(bare.get("status").asString()).isEqualTo("UP");
        assertThat(bare.has("components")).as(bare.toString()).isFalse();
        assertThat(bare.has("details")).as(bare.toString()).isFalse();
        // a key without METRICS is no better than none
        JsonNode reader = anonymous.json(admin.withKey(TestKeys.READER).get("/actuator/health"));
        assertThat(reader.has("components")).as(reader.toString()).isFalse();

        JsonNode full = admin.json(admin.withKey(TestKeys.METRICS).get("/actuator/health"));
        assertThat(full.get("status").asString()).isEqualTo("UP");
        assertThat(full.get("components").has("engine")).as(full.toString()).isTrue();
        assertThat(full.get("components").get("diskSpace").get("details").has("total")).as(full.toString()).isTrue();

        // probes stay open to the orchestrator, which has no key
        JsonNode liveness = anonymous.json(anonymous.get("/actuator/health/liveness"));
        assertThat(liveness.get("status").asString()).isEqualTo("UP");
        assertThat(anonymous.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
    }
}
