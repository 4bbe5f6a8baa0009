package io.ganserve.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.ganserve.support.HttpApi;
import io.ganserve.support.PrometheusScrape;
import io.ganserve.support.ServiceOnTempData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Scrapes the real /actuator/prometheus during and after a training job. */
class MetricsTest extends ServiceOnTempData {

    static Map<String, Double> scrape(HttpApi api) {
        return PrometheusScrape.of(api).series();
    }

    static double value(Map<String, Double> series, String name, String... labelFragments) {
        return new PrometheusScrape(series).value(name, labelFragments);
    }

    @Test
    void trainingJobsAndSamplingShowUpWithSensibleValues() {
        HttpApi api = new HttpApi(port);
        String id = api.json(api.post("/jobs", "{\"dataset\":\"ring8\",\"steps\":600,\"checkpointEvery\":100,\"seed\":2}"))
                .get("id").asString();
        String jobLabel = "job_id=\"" + id + "\"";

        // During training: per-job gauges exist, losses are finite, the step only grows.
        java.util.Set<String> seen = new java.util.HashSet<>();
        double firstStep = -1;
        double lastStep = -1;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && lastStep < 300) {
            Map<String, Double> s = scrape(api);
            s.keySet().forEach(k -> seen.add(k.replaceAll("\\{.*", "")));
            if (s.keySet().stream().anyMatch(k -> k.startsWith("gan_training_step{") && k.contains(jobLabel))) {
                double step = value(s, "gan_training_step", jobLabel);
                assertThat(step).isGreaterThanOrEqualTo(lastStep);
                // losses exist once a step has completed; a scrape reads gauges one after another, so
                // only a scrape that began after a step was seen done is sure to find them
                boolean stepDoneBeforeThisScrape = lastStep > 0;
                if (firstStep < 0 && step > 0) {
                    firstStep = step;
                }
                lastStep = step;
                if (stepDoneBeforeThisScrape) {
                    assertThat(value(s, "gan_training_generator_loss", jobLabel)).isFinite();
                    assertThat(value(s, "gan_training_discriminator_loss", jobLabel)).isFinite().isPositive();
                    assertThat(value(s, "gan_training_samples_per_second", jobLabel)).isPositive();
                    assertThat(value(s, "gan_training_epoch", jobLabel)).isPositive();
                    assertThat(value(s, "gan_jobs", "status=\"RUNNING\"")).isEqualTo(1);
                }
            }
            HttpApi.sleep(50);
        }
        assertThat(lastStep).isGreaterThan(firstStep).isGreaterThanOrEqualTo(300);
        assertThat(api.awaitFinished(id, Duration.ofSeconds(90)).get("status").asString()).isEqualTo("SUCCEEDED");

        // After: the job is counted, timed, its checkpoints timed, and its per-job series are gone.
        for (int i = 0; i < 3; i++) {
            assertThat(api.getBytes("/samples?n=8&seed=" + i).statusCode()).isEqualTo(200);
        }
        assertThat(api.get("/samples?n=0").statusCode()).isEqualTo(400);
        Map<String, Double> after = scrape(api);
        after.keySet().forEach(k -> seen.add(k.replaceAll("\\{.*", "")));
        // Every metric the Grafana dashboard queries is one this service really exports.
        java.util.Set<String> dashboard = io.ganserve.deploy.DashboardMetrics.metricNames(
                Path.of("deploy/grafana/dashboards/ganserve.json"));
        assertThat(dashboard).isNotEmpty();
        assertThat(seen).containsAll(dashboard);
        assertThat(value(after, "gan_jobs", "status=\"SUCCEEDED\"")).isEqualTo(1);
        assertThat(value(after, "gan_jobs", "status=\"RUNNING\"")).isZero();
        assertThat(value(after, "gan_jobs_queue_length")).isZero();
        assertThat(value(after, "gan_job_duration_seconds_count", "status=\"SUCCEEDED\"")).isEqualTo(1);
        assertThat(value(after, "gan_checkpoint_write_seconds_count", "dataset=\"ring8\"")).isEqualTo(6);
        // training gauges go with the job; its evaluation scores stay, so finished models can be compared
        assertThat(after.keySet()).noneMatch(k -> k.contains(jobLabel) && !k.startsWith("gan_evaluation_score{"));
        assertThat(after.keySet()).anyMatch(k -> k.contains(jobLabel) && k.startsWith("gan_evaluation_score{"));
        assertThat(value(after, "gan_sampling_request_seconds_count", "route=\"/samples\"", "outcome=\"success\""))
                .isEqualTo(3);
        assertThat(value(after, "gan_sampling_request_seconds_count", "outcome=\"client_error\"")).isEqualTo(1);
        assertThat(value(after, "gan_sampling_request_seconds_bucket", "outcome=\"success\"", "le=\"+Inf\""))
                .isEqualTo(3);
        assertThat(value(after, "gan_sampling_samples_total")).isEqualTo(24);
        assertThat(value(after, "gan_sampling_model_loads_total")).isEqualTo(1);
        assertThat(value(after, "gan_sampling_model_age_seconds")).isBetween(0.0, 120.0);
        assertThat(value(after, "gan_engine_info", "device=\"cpu\"", "engine=\"PyTorch\"")).isEqualTo(1);
        assertThat(value(after, "gan_engine_ndarray_bytes")).isPositive();
        assertThat(value(after, "gan_process_resident_memory_bytes")).isGreaterThan(value(after, "gan_engine_ndarray_bytes"));
    }

    @Test
    void healthShowsTheEngineAndReadinessIncludesIt() {
        HttpApi api = new HttpApi(port);
        var health = api.json(api.get("/actuator/health"));
        assertThat(health.get("status").asString()).isEqualTo("UP");
        assertThat(health.get("components").get("engine").get("details").get("device").asString()).startsWith("cpu");
        assertThat(health.get("components").get("engine").get("details").has("generatorLoaded")).isTrue();
        var readiness = api.json(api.get("/actuator/health/readiness"));
        assertThat(readiness.get("components").has("engine")).isTrue();
        assertThat(api.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        assertThat(api.get("/actuator/env").statusCode()).isEqualTo(404); // only health, info, prometheus exposed
    }
}
