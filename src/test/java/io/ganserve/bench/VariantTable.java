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
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import tools.jackson.databind.json.JsonMapper;

/**
 * Trains every GAN variant on ring8 and grid25 with the defaults a job would get, and prints the
 * VEEGAN/PacGAN table: modes covered, high-quality share and reverse KL on 2,500 samples, and the
 * time each took. Run with {@code ./mvnw -q test-compile exec:exec@variants}; it takes a while (minutes
 * per row on one core), so it is a benchmark, not a test. {@code -Dvariants.only=wgan} picks rows,
 * {@code -Dvariants.data=grid25} a mixture, {@code -Dvariants.steps=6000} overrides the steps, and
 * {@code -Dvariants.seeds=1-10} trains every row once per seed (seed as a job's {@code "seed"}) and
 * prints mean ± std, the worst seed and each run's load average.
 */
public final class VariantTable {

    private static final int SAMPLES = io.ganserve.registry.EvaluationPlan.POINT_SAMPLES;

    /** A row of the table: a name and the job request's fields, as a user would POST them. */
    private record Row(String name, String fields) {}

    private static final List<Row> ROWS = List.of(
            new Row("default", ""),
            new Row("non-saturating", "\"loss\":\"non-saturating\""),
            new Row("pack 2", "\"pack\":2"),
            new Row("pack 4", "\"pack\":4"),
            new Row("hinge + sn", "\"loss\":\"hinge\",\"spectralNorm\":true"),
            new Row("wgan", "\"loss\":\"wgan\""),
            new Row("wgan-gp", "\"loss\":\"wgan-gp\""),
            new Row("ema", "\"emaDecay\":0.999"),
            // the number of modes unknown: more code values than any mixture here has modes
            new Row("unsupervised 32", "\"infoGan\":{\"categorical\":32,\"continuous\":0,\"ownershipEvery\":500},"
                    + "\"emaDecay\":0.999"),
            new Row("unsupervised 32 lambda 0.2", "\"infoGan\":{\"categorical\":32,\"continuous\":0,\"lambda\":0.2,"
                    + "\"ownershipEvery\":500},\"emaDecay\":0.999"),
            new Row("unsupervised 32 lambda 0.05", "\"infoGan\":{\"categorical\":32,\"continuous\":0,\"lambda\":0.05,"
                    + "\"ownershipEvery\":500},\"emaDecay\":0.999"),
            new Row("unsupervised 32 no check", "\"infoGan\":{\"categorical\":32,\"continuous\":0},\"emaDecay\":0.999"),
            new Row("unsupervised 50", "\"infoGan\":{\"categorical\":50,\"continuous\":0,\"ownershipEvery\":500},"
                    + "\"emaDecay\":0.999"));

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private VariantTable() {}

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        new io.ganserve.engine.EngineProperties(io.ganserve.engine.EngineProperties.DeviceChoice.AUTO,
                Integer.getInteger("bench.threads", 0)).applyToEngine();
        Engine.getEngine("PyTorch");
        JniUtils.setGradMode(false);
        String only = System.getProperty("variants.only", "");
        List<Long> seeds = seeds(System.getProperty("variants.seeds", ""));
        List<GaussianMixture> mixtures = mixtures(System.getProperty("variants.data", ""));
        String steps = System.getProperty("variants.steps", "");
        System.out.println("load average at start: " + loadAverage());
        if (seeds.isEmpty()) {
            System.out.printf("%-32s %-7s %7s %8s %7s %8s %8s%n", "variant", "data", "modes", "HQ %", "KL", "steps", "seconds");
        }
        for (Row row : ROWS) {
            if (!picked(row, only)) {
                continue;
            }
            for (GaussianMixture mixture : mixtures) {
                if (seeds.isEmpty()) {
                    TrainingConfig config = config(json(row, mixture, null, steps), mixture);
                    Result r = train(config, new PointDataset(mixture, 100_000, 42), mixture);
                    System.out.printf("%-32s %-7s %4d/%-2d %8.1f %7.3f %8d %8.0f%n", row.name(), mixture.name(),
                            r.coverage.modesCovered(), r.coverage.modeCount(), 100 * r.coverage.highQualityFraction(),
                            r.coverage.reverseKl(), config.steps(), r.seconds);
                } else {
                    overSeeds(row, mixture, seeds, steps);
                }
            }
        }
        System.out.println("load average at end: " + loadAverage());
    }

    /**
     * One row over many seeds, as a job with {@code "seed": s} would train: the seed draws the
     * 100,000 training points, the initial weights, the batches and the noise. Prints every run as
     * it ends (so a long run's log keeps each measurement), then mean ± std and the worst seed.
     */
    private static void overSeeds(Row row, GaussianMixture mixture, List<Long> seeds, String steps) {
        List<Result> results = new ArrayList<>();
        long stepCount = 0;
        for (long seed : seeds) {
            TrainingConfig config = config(json(row, mixture, seed, steps), mixture);
            stepCount = config.steps();
            Result r = train(config, new PointDataset(mixture, 100_000, seed), mixture);
            results.add(r);
            System.out.printf("  %-32s %-7s seed %3d: %2d/%-2d modes %6.1f%% HQ  KL %.3f  %d steps %5.0f s  load %s%n",
                    row.name(), mixture.name(), seed, r.coverage.modesCovered(), r.coverage.modeCount(),
                    100 * r.coverage.highQualityFraction(), r.coverage.reverseKl(), config.steps(), r.seconds,
                    loadAverage());
            System.out.flush();
        }
        Stats modes = Stats.of(results, r -> r.coverage.modesCovered());
        Stats quality = Stats.of(results, r -> 100 * r.coverage.highQualityFraction());
        Stats kl = Stats.of(results, r -> r.coverage.reverseKl());
        Stats seconds = Stats.of(results, r -> r.seconds);
        System.out.printf("| %s | %s | %d | %s | %.1f ± %.1f (min %.0f) | %.1f ± %.1f%% (min %.1f) "
                        + "| %.3f ± %.3f (max %.3f) | %.0f ± %.0f |%n",
                row.name(), mixture.name(), stepCount, seedRange(seeds), modes.mean, modes.std, modes.min,
                quality.mean, quality.std, quality.min, kl.mean, kl.std, kl.max, seconds.mean, seconds.std);
        System.out.flush();
    }

    /** {@code only} names a row exactly, or else picks every row whose name contains it. */
    private static boolean picked(Row row, String only) {
        if (only.isEmpty() || row.name().equals(only)) {
            return true;
        }
        return ROWS.stream().noneMatch(r -> r.name().equals(only)) && row.name().contains(only);
    }

    /** Mean, sample standard deviation, least and greatest of one column over seeds. */
    private record Stats(double mean, double std, double min, double max) {
        static Stats of(List<Result> results, java.util.function.ToDoubleFunction<Result> f) {
            double[] v = results.stream().mapToDouble(f).toArray();
            double mean = java.util.Arrays.stream(v).average().orElse(Double.NaN);
            double squares = java.util.Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum();
            double std = v.length > 1 ? Math.sqrt(squares / (v.length - 1)) : 0;
            return new Stats(mean, std, java.util.Arrays.stream(v).min().orElse(Double.NaN),
                    java.util.Arrays.stream(v).max().orElse(Double.NaN));
        }
    }

    private static String json(Row row, GaussianMixture mixture, Long seed, String steps) {
        StringBuilder body = new StringBuilder("{\"dataset\":\"" + mixture.name() + "\"");
        if (!row.fields().isEmpty()) {
            body.append(',').append(row.fields().replace("MODES", Integer.toString(mixture.modeCount())));
        }
        if (seed != null) {
            body.append(",\"seed\":").append(seed);
        }
        if (!steps.isEmpty()) {
            body.append(",\"steps\":").append(Long.parseLong(steps));
        }
        return body.append('}').toString();
    }

    private static TrainingConfig config(String body, GaussianMixture mixture) {
        JobRequest request = JSON.readValue(body, JobRequest.class);
        return JobDefaults.resolve(request, DataKind.POINTS, 0, mixture.modeCount());
    }

    /** {@code "1-10"}, {@code "3,7,11"} or a mix; empty for the single-seed table. */
    static List<Long> seeds(String spec) {
        List<Long> seeds = new ArrayList<>();
        for (String part : spec.split(",")) {
            part = part.strip();
            if (part.isEmpty()) {
                continue;
            }
            int dash = part.indexOf('-', 1);
            if (dash < 0) {
                seeds.add(Long.parseLong(part));
            } else {
                for (long s = Long.parseLong(part.substring(0, dash)); s <= Long.parseLong(part.substring(dash + 1)); s++) {
                    seeds.add(s);
                }
            }
        }
        return seeds;
    }

    private static String seedRange(List<Long> seeds) {
        long first = seeds.get(0);
        long last = seeds.get(seeds.size() - 1);
        return seeds.size() == last - first + 1 ? first + "–" + last : seeds.toString();
    }

    private static List<GaussianMixture> mixtures(String only) {
        return java.util.stream.Stream.of(GaussianMixture.ring8(), GaussianMixture.grid25())
                .filter(m -> only.isEmpty() || m.name().equals(only))
                .toList();
    }

    /** The 1-, 5- and 15-minute load averages: the machine is shared, so the seconds need them beside. */
    private static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown (" + e.getMessage() + ")";
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
            trainer.codeMoves().forEach(move -> System.out.println("    moved " + move));
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
