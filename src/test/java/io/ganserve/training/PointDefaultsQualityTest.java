package io.ganserve.training;

import io.ganserve.engine.GradientCollectors;
import io.ganserve.jobs.JobDefaults;
import io.ganserve.jobs.JobRequest;
import io.ganserve.registry.EvaluationPlan;
import io.ganserve.registry.TrainingConfig;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.ganserve.data.DataKind;
import io.ganserve.data.GaussianMixture;
import io.ganserve.data.PointDataset;
import io.ganserve.evaluation.ModeCoverage;
import io.ganserve.gan.LatentInputs;
import io.ganserve.gan.NetworkSpec;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The defaults a point job gets beat PacGAN's published grid table (24.8 modes, 93.6% high quality)
 * on every seed: all 25 modes but at most one, and at least 95% of 2,500 samples within 3 std of a
 * mode (the VEEGAN/PacGAN protocol). Seeds 11 and 12 were never looked at while the default was
 * tuned (seeds 1-10 were measured for docs/variants.md). The end-to-end test holds ring8 through the HTTP API.
 */
@org.junit.jupiter.api.Tag("quality") // minutes, and its figure depends on the machine's kernels: docs/variants.md
class PointDefaultsQualityTest {

    @BeforeAll
    static void engine() {
        Engine.getInstance();
        JniUtils.setGradMode(false);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12})
    void theDefaultJobOnGrid25CoversTheModesWithHighQualitySamples(long seed) {
        GaussianMixture grid = GaussianMixture.grid25();
        JobRequest job = JsonMapper.builder().build().readValue(
                "{\"dataset\":\"" + grid.name() + "\",\"seed\":" + seed + "}", JobRequest.class);
        TrainingConfig config = JobDefaults.resolve(job, DataKind.POINTS, 0, grid.modeCount());
        PointDataset data = new PointDataset(grid, 100_000, config.seed());
        NetworkSpec spec = config.networkFor(data);
        try (NDManager manager = NDManager.newBaseManager();
             GanTrainer trainer = new GanTrainer(config, spec, new BatchSource(data, config.batchSize(),
                     config.discriminatorSteps(), config.latentDim(), config.seed()), manager,
                     GradientCollectors.lock())) {
            for (long s = 0; s < config.steps(); s++) {
                trainer.step(s);
            }
            ModeCoverage.Result result;
            try (NDManager request = manager.newSubManager()) {
                int n = io.ganserve.registry.EvaluationPlan.POINT_SAMPLES;
                float[] z = LatentInputs.draw(spec, n, new Random(5));
                float[] points = trainer.servedGenerator().forward(new ParameterStore(request, false),
                        new NDList(request.create(z, new Shape(n, spec.generatorInputDim()))), false)
                        .singletonOrThrow().toFloatArray();
                result = ModeCoverage.evaluate(grid, points);
            }
            System.out.printf("grid25 default (seed %d, %s, %d steps, moves %s): %d/25 modes, %.1f%% high quality, "
                            + "reverse KL %.3f%n", seed, config.variant().infoGan().codes(), config.steps(),
                    trainer.codeMoves(), result.modesCovered(),
                    100 * result.highQualityFraction(), result.reverseKl());
            assertThat(result.modesCovered()).isGreaterThanOrEqualTo(24);
            assertThat(result.highQualityFraction()).isGreaterThanOrEqualTo(0.95);
        }
    }
}
