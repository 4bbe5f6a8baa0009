package io.ganserve.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ganserve.support.HttpApi;
import io.ganserve.support.ServiceOnTempData;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The bounded queue over HTTP. An instance without the training role keeps every job queued, so the
 * queue fills deterministically.
 */
class QueueLimitTest extends ServiceOnTempData {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("ganserve.training.queue-capacity", () -> "2");
        registry.add("ganserve.roles.training", () -> "false");
    }

    @Test
    void aFullQueueAnswers429WithRetryAfterAndAcceptsAgainOnceAJobLeavesIt() {
        HttpApi api = new HttpApi(port);
        String first = api.json(accepted(api)).get("id").asString();
        accepted(api);

        HttpResponse<String> refused = api.post("/jobs", "{\"dataset\":\"ring8\",\"steps\":10}");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(
                seconds -> assertThat(Integer.parseInt(seconds)).isPositive());
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(api.json(refused).get("detail").asString()).contains("2");
        assertThat(api.json(api.get("/jobs")).size()).isEqualTo(2);

        assertThat(api.json(api.delete("/jobs/" + first)).get("status").asString()).isEqualTo("CANCELLED");
        accepted(api);
    }

    private static HttpResponse<String> accepted(HttpApi api) {
        HttpResponse<String> r = api.post("/jobs", "{\"dataset\":\"ring8\",\"steps\":10}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return r;
    }
}
