package io.ganserve.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ganserve.data.DataKind;
import io.ganserve.jobs.Job;
import io.ganserve.jobs.JobDefaults;
import io.ganserve.jobs.JobRequest;
import io.ganserve.registry.TrainingConfig;
import io.ganserve.training.StepResult;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What GET /jobs/{id} shows of a job's phase and configuration, without a server. */
class JobViewTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aJobPastItsLastStepSaysItIsEvaluatingAndATrainingJobGivesItsEta() {
        TrainingConfig config = JobDefaults.resolve(JobRequest.forDataset("ring8"), DataKind.POINTS, 0, 8);
        Job started = Job.queued("j", config, T0).started(T0, 0, 0);

        JobView training = JobView.of(started.progressed(4000, 1, new StepResult(1, 1), 10_000, 0.02), null, 3,
                java.util.List.of(), T0);
        assertThat(training.phase()).isEqualTo("training");
        assertThat(training.etaSeconds()).as("6,000 steps left at 0.02 s").isCloseTo(120.0, within(1e-9));
        assertThat(training.estimatedFinishAt()).isEqualTo(T0.plusSeconds(120));

        // the default plan scores 2,500 points after the last step; until it has, the job says so
        JobView atTheEnd = JobView.of(started.progressed(config.steps(), 1, new StepResult(1, 1), 10_000, 0.02),
                null, 3, java.util.List.of(), T0);
        assertThat(atTheEnd.status().name()).isEqualTo("RUNNING");
        assertThat(atTheEnd.progress().fraction()).isEqualTo(1.0);
        assertThat(atTheEnd.phase()).isEqualTo("evaluating");
        assertThat(atTheEnd.etaSeconds()).isNull();
    }

    @Test
    void aPointJobsConfigLeavesOutTheImageOnlyFieldsAndAnImageJobsKeepsThem() {
        JsonMapper json = JsonMapper.builder().addMixIn(TrainingConfig.class, TrainingConfigJson.class).build();
        JsonNode points = json.valueToTree(
                JobDefaults.resolve(JobRequest.forDataset("grid25"), DataKind.POINTS, 0, 25));
        assertThat(points.has("featureMaps")).isFalse();
        assertThat(points.has("imageSize")).isFalse();
        assertThat(points.get("hiddenUnits").asInt()).isEqualTo(256);

        JsonNode images = json.valueToTree(
                JobDefaults.resolve(JobRequest.forDataset("fashion-mnist"), DataKind.IMAGES, 28, 0));
        assertThat(images.get("featureMaps").asInt()).isEqualTo(64);
        assertThat(images.get("imageSize").asInt()).isEqualTo(28);
    }
}
