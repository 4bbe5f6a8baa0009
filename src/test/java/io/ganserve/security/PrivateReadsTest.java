package io.ganserve.security;

import static io.ganserve.security.Refusals.forbidden;
import static io.ganserve.security.Refusals.unauthorized;
import static org.assertj.core.api.Assertions.assertThat;

import io.ganserve.support.HttpApi;
import io.ganserve.support.ServiceOnTempData;
import io.ganserve.support.TestKeys;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/** {@code ganserve.security.public-reads: false}: reads need the READ role; health and the API docs stay public. */
@TestPropertySource(properties = "ganserve.security.public-reads=false")
class PrivateReadsTest extends ServiceOnTempData {

    HttpApi admin;
    HttpApi anonymous;

    @BeforeEach
    void clients() {
        admin = new HttpApi(port);
        anonymous = admin.anonymous();
    }

    @Test
    void readsWithoutAKeyGet401() {
        JsonNode samples = unauthorized(anonymous.get("/samples?n=4"), "Missing API key");
        assertThat(samples.get("detail").asString()).contains("GET /samples needs role READ");
        unauthorized(anonymous.get("/interpolations"), "Missing API key");
        unauthorized(anonymous.get("/jobs"), "Missing API key");
        unauthorized(anonymous.get("/models"), "Missing API key");
        assertThat(anonymous.request("HEAD", "/jobs", null).statusCode()).isEqualTo(401);
    }

    @Test
    void readsWithAKeyLackingReadGet403() {
        // The roles are independent: a key that may write or scrape may not read unless it says so.
        forbidden(admin.withKey(TestKeys.WRITER).get("/jobs"), Role.READ);
        forbidden(admin.withKey(TestKeys.METRICS).get("/samples?n=4"), Role.READ);
    }

    @Test
    void readKeyReadsButDoesNotWrite() {
        HttpApi reader = admin.withKey(TestKeys.READER);
        assertThat(reader.get("/jobs").statusCode()).isEqualTo(200);
        assertThat(reader.get("/models").statusCode()).isEqualTo(200);
        // Past security: the controller's "no trained generator yet".
        assertThat(reader.get("/samples?n=4").statusCode()).isEqualTo(404);
        forbidden(reader.post("/jobs", "{\"dataset\":\"ring8\"}"), Role.WRITE);
        assertThat(reader.json(reader.get("/jobs")).size()).isZero();
    }

    @Test
    void healthAndApiDocsStayPublic() {
        assertThat(anonymous.get("/actuator/health").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        HttpResponse<String> docs = anonymous.get("/v3/api-docs");
        assertThat(docs.statusCode()).isEqualTo(200);
        assertThat(anonymous.json(docs).at("/paths/~1samples/get/security").toString()).contains("apiKey");
        unauthorized(anonymous.get("/actuator/prometheus"), "Missing API key");
    }
}
