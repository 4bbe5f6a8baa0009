package io.ganserve.api.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletResponse;

/** The one body every error path writes; the paths themselves are tested over HTTP in ApiErrorsTest and the security tests. */
class ProblemTest {

    @Test
    void jsonPutsTheStandardMembersFirstAndEscapes() {
        String json = Problem.of(400, "a '\\' and a \"quote\"").toJson();
        assertThat(json).isEqualTo("{\"type\":\"https://ganserve.io/problems/bad-request\",\"title\":\"Bad Request\","
                + "\"status\":400,\"detail\":\"a '\\\\' and a \\\"quote\\\"\"}");
    }

    @Test
    void invalidInputNamesTheFieldAndTheRuleInOrder() {
        Problem p = Problem.invalid(HttpStatus.BAD_REQUEST, "Invalid job request", "steps", "must be at least 1")
                .with("errors", List.of("x")).at("/jobs");
        assertThat(p.detail()).isEqualTo("steps: must be at least 1");
        assertThat(p.members().keySet()).containsExactly("field", "rule", "errors");
        assertThat(p.toJson()).isEqualTo("{\"type\":\"https://ganserve.io/problems/invalid-job-request\","
                + "\"title\":\"Invalid job request\",\"status\":400,\"detail\":\"steps: must be at least 1\","
                + "\"instance\":\"/jobs\",\"field\":\"steps\",\"rule\":\"must be at least 1\",\"errors\":[\"x\"]}");
    }

    @Test
    void springAndServletWritersCarryTheSameProblem() throws Exception {
        Problem p = Problem.of(HttpStatus.TOO_MANY_REQUESTS, "Job queue full", "the queue holds 8 jobs")
                .with("estimateBytes", 5L).retryAfter(30);

        ResponseEntity<ProblemDetail> entity = p.toResponseEntity();
        assertThat(entity.getStatusCode().value()).isEqualTo(429);
        assertThat(entity.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("30");
        ProblemDetail body = entity.getBody();
        assertThat(body.getType().toString()).isEqualTo("https://ganserve.io/problems/job-queue-full");
        assertThat(body.getTitle()).isEqualTo("Job queue full");
        assertThat(body.getInstance()).isNull();
        assertThat(body.getProperties()).containsEntry("estimateBytes", 5L);

        MockHttpServletResponse response = new MockHttpServletResponse();
        p.writeTo(response);
        assertThat(response.getStatus()).isEqualTo(429);
        assertThat(response.getHeader(HttpHeaders.RETRY_AFTER)).isEqualTo("30");
        assertThat(response.getContentType()).startsWith("application/problem+json");
        assertThat(response.getContentAsString()).isEqualTo(p.toJson());
    }

    @Test
    void anUnknownStatusIsStillAProblem() {
        assertThat(Problem.of(599, "x").title()).isEqualTo("Error");
        assertThat(Problem.of(599, "x").type().toString()).isEqualTo("https://ganserve.io/problems/error");
    }
}
