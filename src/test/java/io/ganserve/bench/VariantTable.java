package io.ganserve.bench;

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
import io.ganserve.training.BatchSource;
import io.ganserve.training.GanTrainer;
import io.ganserve.engine.GradientCollectors;
import io.ganserve.jobs.JobDefaults;
import io.ganserve.jobs.JobRequest;
import io.ganserve.registry.TrainingConfig;
import java.util.List;
import java.util.Random;
import tools.jackson.databind.json.JsonMapper;

/**
 * Trains every GAN variant on ring8 and grid25 with the defaults a job would get, and prints the
 * VEEGAN/PacGAN table: modes covered, high-quality share and reverse KL on 2,500 samples, and the
 * time each took. Run with {@code ./mvnw -q test-compile exec:exec@variants}; it takes a while (minutes
 * per row on one core), so it is a benchmark, not a test. {@code -Dvariants.only=wgan} picks rows.
 */
public final class VariantTable {

    private static final int SAMPLES = io.ganserve.registry.EvaluationPlan.POINT_SAMPLES;

    /** A row of the table: a name and the job request's fields, as a user would POST them. */
    private record Row(String name, String fields) {}

    private static final List<Row> ROWS = List.of(
            new Row("default (infogan c1 = modes)", ""),
            new Row("non-saturating, no infogan", "\"loss\":\"non-saturating\""),
            new Row("pack 4", "\"pack\":4"),
            new Row("hinge + spectral norm", "\"loss\":\"hinge\",\"spectralNorm\":true"),
            new Row("wgan", "\"loss\":\"wgan\""),
            new Row("wgan-gp", "\"loss\":\"wgan-gp\""),
            new Row("default + ema 0.999", "\"emaDecay\":0.999"));

    private VariantTable() {}

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        new io.ganserve.engine.EngineProperties(io.ganserve.engine.EngineProperties.DeviceChoice.AUTO,
                Integer.getInteger("bench.threads", 0)).applyToEngine();
        Engine.getEngine("PyTorch");
        JniUtils.setGradMode(false);
        String only = System.getProperty("variants.only", "");
        JsonMapper json = JsonMapper.builder().build();
        System.out.printf("%-32s %-7s %7s %8s %7s %8s %8s%n", "variant", "data", "modes", "HQ %", "KL", "steps", "seconds");
        for (Row row : ROWS) {
            if (!only.isEmpty() && !row.name().contains(only)) {
                continue;
            }
            for (GaussianMixture mixture : List.of(GaussianMixture.ring8(), GaussianMixture.grid25())) {
                String body = "{\"dataset\":\"" + mixture.name() + "\"" + (row.fields().isEmpty() ? "" : ",")
                        + row.fields().replace("MODES", Integer.toString(mixture.modeCount())) + "}";
                JobRequest request = json.readValue(body, JobRequest.class);
                PointDataset data = new PointDataset(mixture, 100_000, 42);
                TrainingConfig config = JobDefaults.resolve(request, DataKind.POINTS, 0, mixture.modeCount());
                Result r = train(config, data, mixture);
                System.out.printf("%-32s %-7s %4d/%-2d %8.1f %7.3f %8d %8.0f%n", row.name(), mixture.name(),
                        r.coverage.modesCovered(), r.coverage.modeCount(), 100 * r.coverage.highQualityFraction(),
                        r.coverage.reverseKl(), config.steps(), r.seconds);
            }
        }
    }

    private record Result(ModeCoverage.Result coverage, double seconds) {}

    private static Result train(TrainingConfig config, PointDataset data, GaussianMixture mixture) {
        NetworkSpec spec = config.networkFor(data);
        BatchSource batches = new BatchSource(data, config.batchSize(), config.discriminatorSteps(), config.latentDim(),
                config.seed());
        try (NDManager m = NDManager.newBaseManager();
             GanTrainer trainer = new GanTrainer(config, spec, batches, m, GradientCollectors.lock())) {
            long start = System.nanoTime();
            for (long s = 0; s < config.steps(); s++) {
                trainer.step(s);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            try (NDManager request = m.newSubManager()) {
                float[] input = LatentInputs.draw(spec, SAMPLES, new Random(5));
                float[] out = trainer.servedGenerator().forward(new ParameterStore(request, false),
                        new NDList(request.create(input, new Shape(SAMPLES, spec.generatorInputDim()))), false)
                        .singletonOrThrow().toFloatArray();
                return new Result(ModeCoverage.evaluate(mixture, out), seconds);
            }
        }
    }
}
