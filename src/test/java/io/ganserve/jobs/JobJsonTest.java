package io.ganserve.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ganserve.engine.precision.Precision;
import io.ganserve.registry.Evaluation;
import io.ganserve.registry.ModelRegistry;
import io.ganserve.registry.Scores;
import io.ganserve.training.StepResult;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Jobs as the job store and the file registry keep them: by parts, and flat as versions before the
 * parts wrote them, which a service upgraded in place must still read.
 */
class JobJsonTest {

    static final Instant T0 = JdbcJobStoreTest.T0;

    /**
     * A record as the flat {@code Job} wrote it, every field of its last version set, each to a value
     * no other field has, so a field read into the wrong place shows.
     */
    static final String FLAT = """
            {"id":"flat","status":"FAILED","config":{"dataset":"ring8","architecture":"mlp","loss":"minimax",
             "steps":10,"batchSize":8,"discriminatorSteps":1,"latentDim":2,"hiddenUnits":8,"hiddenLayers":1,
             "featureMaps":0,"imageSize":0,"generatorLearningRate":0.001,"discriminatorLearningRate":0.001,
             "beta1":0.5,"beta2":0.999,"learningRateSchedule":"constant","seed":5,"checkpointEvery":5,
             "device":"auto","variant":{"optimizer":"adam","clipValue":0.0,"gradientPenalty":0.0,
             "spectralNorm":false,"pack":1,"emaDecay":0.0,"conditional":false,"infoGan":{"codes":
             {"categorical":0,"continuous":0},"lambda":0.0,"continuousLambda":0.0}},"evaluation":{"every":0,
             "samples":0,"stopWhen":null,"keepBestBy":null,"atEnd":false}},
             "step":40,"epoch":2.5,"generatorLoss":0.75,"discriminatorLoss":1.25,"samplesPerSecond":800.0,
             "secondsPerStep":0.01,"checkpointStep":30,"resumedFromStep":20,
             "createdAt":"2026-01-01T00:00:00Z","startedAt":"2026-01-01T00:00:01Z",
             "finishedAt":"2026-01-01T00:01:00Z","error":"out of patience",
             "wassersteinEstimate":0.5,"gradientPenalty":0.125,"mutualInformation":0.375,
             "latestEvaluation":{"id":"e-1","jobId":"flat","step":30,"trigger":"training","status":"SUCCEEDED",
              "samples":100,"seed":3,"requestedAt":"2026-01-01T00:00:30Z","finishedAt":"2026-01-01T00:00:40Z",
              "scores":{"frechetDistance":1.5,"modesCovered":8,"modeCount":8,"seconds":{"fd":0.25}},
              "error":null},
             "bestStep":30,"bestScore":1.5,"stopReason":"stopWhen fd < 2 met at step 30",
             "attempts":3,"deaths":1}""";

    static final Evaluation EVALUATION = new Evaluation("e-1", "flat", 30, "training", Evaluation.SUCCEEDED, 100, 3,
            T0.plusSeconds(30), T0.plusSeconds(40),
            new Scores(1.5, null, null, null, null, null, null, null, null, null, 8, 8, null, null, Map.of("fd", 0.25)),
            null);

    /** What {@link #FLAT} holds, part by part. */
    static final Job FLAT_JOB = new Job("flat", JobStatus.FAILED, JdbcJobStoreTest.CONFIG,
            new Job.Progress(40, 2.5, 800, 0.01, 30, 20),
            new StepResult(0.75f, 1.25f, 0.5f, 0.125f, 0.375f),
            new Job.Quality(EVALUATION, 30L, 1.5, "stopWhen fd < 2 met at step 30"),
            new Job.Timeline(T0, T0.plusSeconds(1), T0.plusSeconds(60)),
            "out of patience",
            new Job.Claims(3, 1));

    private final ObjectMapper json = ModelRegistry.storageMapper();

    @Test
    void aFlatRecordReadsIntoTheParts() {
        Job job = json.readValue(FLAT, Job.class);

        assertThat(job).isEqualTo(FLAT_JOB);
        assertThat(job.progress().step()).isEqualTo(40);
        assertThat(job.progress().checkpointStep()).isEqualTo(30);
        assertThat(job.progress().resumedFromStep()).isEqualTo(20);
        assertThat(job.losses().generatorLoss()).isEqualTo(0.75f);
        assertThat(job.losses().mutualInformation()).isEqualTo(0.375f);
        assertThat(job.quality().latestEvaluation().scores().frechetDistance()).isEqualTo(1.5);
        assertThat(job.quality().bestStep()).isEqualTo(30L);
        assertThat(job.times().finishedAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(job.error()).isEqualTo("out of patience");
        assertThat(job.claims()).isEqualTo(new Job.Claims(3, 1));
    }

    @Test
    void aFlatRecordOfAJobNotYetStartedHasNoLossesAndEmptyParts() {
        Job job = json.readValue("""
                {"id":"q","status":"QUEUED","config":{"dataset":"ring8","architecture":"mlp","loss":"minimax",
                 "steps":10,"batchSize":8,"discriminatorSteps":1,"latentDim":2,"hiddenUnits":8,"hiddenLayers":1,
                 "featureMaps":0,"imageSize":0,"generatorLearningRate":0.001,"discriminatorLearningRate":0.001,
                 "beta1":0.5,"beta2":0.999,"learningRateSchedule":"constant","seed":5,"checkpointEvery":5,
                 "device":"auto","variant":{"optimizer":"adam","clipValue":0.0,"gradientPenalty":0.0,
                 "spectralNorm":false,"pack":1,"emaDecay":0.0,"conditional":false,"infoGan":{"codes":
                 {"categorical":0,"continuous":0},"lambda":0.0,"continuousLambda":0.0}},"evaluation":{"every":0,
                 "samples":0,"stopWhen":null,"keepBestBy":null,"atEnd":false}},
                 "step":0,"epoch":0.0,"generatorLoss":null,"discriminatorLoss":null,"samplesPerSecond":0.0,
                 "secondsPerStep":0.0,"checkpointStep":0,"resumedFromStep":0,"createdAt":"2026-01-01T00:00:00Z",
                 "startedAt":null,"finishedAt":null,"error":null,"wassersteinEstimate":null,"gradientPenalty":null,
                 "mutualInformation":null,"latestEvaluation":null,"bestStep":null,"bestScore":null,
                 "stopReason":null,"attempts":0,"deaths":0}""", Job.class);

        assertThat(job).isEqualTo(Job.queued("q", JdbcJobStoreTest.CONFIG, T0));
        assertThat(job.losses()).isNull();
    }

    @Test
    void aRecordByPartsRoundTrips() {
        Job queued = Job.queued("parts", JdbcJobStoreTest.CONFIG, T0);
        Job trained = queued.claimed(T0.plusSeconds(1)).started(T0.plusSeconds(2), 20, 1.25)
                .progressed(40, 2.5, new StepResult(0.75f, 1.25f, 0.5f, 0.125f, 0.375f), 800, 0.01)
                .checkpointed(40).evaluated(EVALUATION, 30L, 1.5).stoppedEarly("enough")
                .finished(JobStatus.SUCCEEDED, T0.plusSeconds(60), null);

        // a CycleGAN's step: its generator loss in parts
        Job translating = queued.claimed(T0).started(T0, 0, 0)
                .progressed(1, 0.1, new StepResult(3f, 0.5f, null, null, null, 1f, 1.5f, 0.5f), 16, 0.1);
        for (Job job : new Job[] {queued, trained, trained.died(), FLAT_JOB, translating}) {
            String written = json.writeValueAsString(job);
            assertThat(json.readValue(written, Job.class)).isEqualTo(job);
        }

        JsonNode tree = json.readTree(json.writeValueAsString(trained));
        assertThat(tree.propertyNames()).containsExactly("id", "status", "config", "progress", "losses", "quality",
                "times", "error", "claims");
        assertThat(tree.get("progress").get("checkpointStep").asLong()).isEqualTo(40);
        assertThat(tree.get("losses").propertyNames()).containsExactly("generatorLoss", "discriminatorLoss",
                "wassersteinEstimate", "gradientPenalty", "mutualInformation", "adversarialLoss", "cycleLoss",
                "identityLoss");
        assertThat(json.readValue(json.writeValueAsString(translating), Job.class).losses().cycleLoss()).isEqualTo(1.5f);
        assertThat(tree.get("claims").get("attempts").asInt()).isEqualTo(1);
    }

    @Test
    void aFlatRecordIsWrittenBackByParts() {
        String rewritten = json.writeValueAsString(json.readValue(FLAT, Job.class));

        assertThat(json.readTree(rewritten).has("step")).isFalse();
        assertThat(json.readValue(rewritten, Job.class)).isEqualTo(FLAT_JOB);
    }

    @Test
    void aJobStoredBeforePrecisionCouldBeChosenTrainedInFloat32AndTheChoiceIsKept() {
        assertThat(FLAT).doesNotContain("precision");
        assertThat(json.readValue(FLAT, Job.class).config().precision()).isEqualTo(Precision.FLOAT32);

        Job bf16 = Job.queued("bf16", JdbcJobStoreTest.CONFIG.withPrecision(Precision.BFLOAT16), T0);
        String written = json.writeValueAsString(bf16);
        assertThat(json.readTree(written).get("config").get("precision").asString()).isEqualTo("bfloat16");
        assertThat(json.readValue(written, Job.class)).isEqualTo(bf16);
        assertThat(json.readValue(written, Job.class).config().precision()).isEqualTo(Precision.BFLOAT16);
    }
}
