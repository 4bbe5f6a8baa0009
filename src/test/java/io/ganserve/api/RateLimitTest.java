package io.ganserve.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ganserve.support.HttpApi;
import io.ganserve.support.ServiceOnTempData;
import io.ganserve.support.TestKeys;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The per-client rate on the public sampling endpoints. No model is trained, so a request the
 * limit lets through answers 404 (no generator yet): the status tells the two apart.
 */
class RateLimitTest extends ServiceOnTempData {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("ganserve.api.rate-limit.requests-per-second", () -> "1");
        registry.add("ganserve.api.rate-limit.burst", () -> "3");
    }

    @Test
    void aClientBeyondItsBurstGets429WithRetryAfterWhileOthersAndOtherEndpointsGoOn() {
        HttpApi anonymous = new HttpApi(port).anonymous();
        // the burst passes, and on a slow machine a token a second refilled meanwhile: count, don't assume
        long start = System.nanoTime();
        int passed = 0;
        HttpResponse<String> limited = anonymous.get("/samples?n=4");
        while (limited.statusCode() != 429 && passed < 50) {
            assertThat(limited.statusCode()).as(limited.body()).isEqualTo(404); // let through: no model yet
            passed++;
            limited = anonymous.get(passed % 2 == 0 ? "/samples?n=4" : "/interpolations?steps=4");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(passed).as("let through in %.1f s", seconds).isBetween(3, 3 + (int) Math.ceil(seconds));
        assertThat(limited.statusCode()).as(limited.body()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(
                s -> assertThat(Long.parseLong(s)).isPositive());
        assertThat(limited.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(anonymous.json(limited).get("detail").asString()).contains("1 sampling requests a second");

        // a client with a key has a bucket of its own, and the job API is not limited
        HttpApi reader = new HttpApi(port).withKey(TestKeys.READER);
        assertThat(reader.get("/samples?n=4").statusCode()).isEqualTo(404);
        assertThat(anonymous.get("/jobs").statusCode()).isEqualTo(200);
    }

    @Test
    void interpolationsAndAClientsOwnLatentsAreLimitedToo() {
        // each on a bucket of its own, which no other test here uses
        assertLimited(new HttpApi(port), api -> api.get("/interpolations?steps=4"));
        assertLimited(new HttpApi(port).withKey(TestKeys.WRITER),
                api -> api.post("/samples", "{\"latents\":[[0.1,0.2]]}"));
    }

    /** Requests until the first 429: the burst passes, plus a token a second refilled meanwhile, then no more. */
    private static void assertLimited(HttpApi client, java.util.function.Function<HttpApi, HttpResponse<String>> call) {
        long start = System.nanoTime();
        int passed = 0;
        HttpResponse<String> r = call.apply(client);
        while (r.statusCode() != 429 && passed < 50) {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(404); // let through: no model yet
            passed++;
            r = call.apply(client);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
        assertThat(passed).as("let through in %.1f s", seconds).isBetween(3, 3 + (int) Math.ceil(seconds));
    }
}
