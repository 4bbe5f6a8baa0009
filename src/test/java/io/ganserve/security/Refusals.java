package io.ganserve.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Assertions on the service's 401 and 403 answers. */
final class Refusals {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Refusals() {}

    /** A 401 problem+json with the given title and at least the ApiKey challenge. */
    static JsonNode unauthorized(HttpResponse<String> response, String title) {
        JsonNode problem = problem(response, 401, title);
        assertThat(challenges(response)).anySatisfy(c -> assertThat(c).startsWith("ApiKey realm=\"ganserve\""));
        return problem;
    }

    /** A 403 problem+json naming the role that was needed. */
    static JsonNode forbidden(HttpResponse<String> response, Role needed) {
        JsonNode problem = problem(response, 403, "Missing role");
        assertThat(problem.get("requiredRole").asString()).isEqualTo(needed.name());
        assertThat(problem.get("detail").asString()).contains("needs role " + needed.name());
        return problem;
    }

    static List<String> challenges(HttpResponse<?> response) {
        return response.headers().allValues("WWW-Authenticate");
    }

    private static JsonNode problem(HttpResponse<String> response, int status, String title) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("title").asString()).isEqualTo(title);
        assertThat(body.get("detail").asString()).isNotBlank();
        return body;
    }
}
