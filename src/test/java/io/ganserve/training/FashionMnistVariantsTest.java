package io.ganserve.training;

import io.ganserve.engine.GradientCollectors;
import io.ganserve.jobs.JobDefaults;
import io.ganserve.jobs.JobRequest;
import io.ganserve.registry.TrainingConfig;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.ganserve.data.DataKind;
import io.ganserve.data.Dataset;
import io.ganserve.data.DatasetCatalog;
import io.ganserve.evaluation.ClassifierSettings;
import io.ganserve.evaluation.FeatureClassifier;
import io.ganserve.gan.LatentCodes;
import io.ganserve.gan.NetworkSpec;
import io.ganserve.support.FashionMnist;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * The label-aware variants on a labelled image set, Fashion-MNIST, judged by a classifier trained
 * here on the real images (the evaluation's feature network, about 0.89 on the test split):
 * Mirza &amp; Osindero's conditional DCGAN makes the class it is asked for; InfoGAN, trained without
 * labels, lines its categorical code up with the classes and gives a continuous code a monotonic
 * effect on the image (its Figure 2).
 */
@org.junit.jupiter.api.Tag("quality")
class FashionMnistVariantsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int PER_CLASS = 100;
    private static final int SWEEP = 9;
    private static final int SWEPT_ROWS = 40;

    @TempDir
    static Path dir;

    private static NDManager manager;
    private static Dataset train;
    private static FeatureClassifier judge;

    @BeforeAll
    static void trainTheJudge() {
        FashionMnist.assumeInstalled();
        Engine.getInstance();
        JniUtils.setGradMode(false);
        DatasetCatalog catalog = FashionMnist.catalog(dir);
        train = catalog.load("fashion-mnist", 0, 28);
        manager = NDManager.newBaseManager();
        judge = FeatureClassifier.train(train, catalog.loadTestSplit("fashion-mnist", 28), ClassifierSettings.DEFAULTS,
                manager, GradientCollectors.lock());
    }

    @AfterAll
    static void close() {
        if (manager != null) {
            manager.close();
        }
    }

    /** A generator trained from a job request, with the network spec the request resolved to. */
    private record Trained(GanTrainer trainer, NetworkSpec spec) implements AutoCloseable {

        static Trained from(String job) {
            TrainingConfig config = JobDefaults.resolve(JSON.readValue(job, JobRequest.class), DataKind.IMAGES, 28, 0);
            NetworkSpec spec = config.networkFor(train);
            GanTrainer trainer = new GanTrainer(config, spec, new BatchSource(train, config.batchSize(),
                    config.discriminatorSteps(), config.latentDim(), config.seed()), manager, GradientCollectors.lock());
            for (long s = 0; s < config.steps(); s++) {
                trainer.step(s);
            }
            return new Trained(trainer, spec);
        }

        @Override
        public void close() {
            trainer.close();
        }
    }

    @Test
    void theConditionalGanMakesTheRequestedClass() {
        int steps = 2000;
        try (Trained cgan = Trained.from("""
                {"dataset":"fashion-mnist","conditional":true,"steps":%d,"featureMaps":32,"seed":1}""".formatted(steps))) {
            int classes = cgan.spec().numClasses();
            int n = classes * PER_CLASS;
            int width = cgan.spec().generatorInputDim();
            int latent = cgan.spec().latentDim();
            float[] input = new float[n * width];
            Random rng = new Random(9);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < latent; j++) {
                    input[i * width + j] = (float) rng.nextGaussian();
                }
                input[i * width + latent + i / PER_CLASS] = 1; // G's input: z, then the one-hot class
            }
            int[] correct = new int[classes];
            try (NDManager request = manager.newSubManager()) {
                long[] judged = judge.probabilities(generate(cgan.trainer(), request, input, n, width)).argMax(1)
                        .toLongArray();
                for (int i = 0; i < n; i++) {
                    if (judged[i] == i / PER_CLASS) {
                        correct[i / PER_CLASS]++;
                    }
                }
            }
            double accuracy = (double) Arrays.stream(correct).sum() / n;
            System.out.printf("conditional DCGAN on fashion-mnist, %d steps: %.1f%% of %d samples judged the requested "
                    + "class (per class of %d: %s); the judge is right on %.1f%% of real test images%n", steps,
                    100 * accuracy, n, PER_CLASS, Arrays.toString(correct), 100 * judge.testAccuracy());
            assertThat(accuracy).isGreaterThanOrEqualTo(0.80);
        }
    }

    @Test
    void infoGanCodeValuesMapToClassesAndAContinuousCodeMovesTheImageMonotonically() {
        int steps = 3000;
        // the paper's MNIST setting (10 values, 2 continuous codes, z of 62, G 1e-3, D 2e-4) is the default
        try (Trained infoGan = Trained.from("""
                {"dataset":"fashion-mnist","infoGan":{},"steps":%d,"featureMaps":32,"seed":1}""".formatted(steps))) {
            LatentCodes codes = infoGan.spec().codes();
            int[][] counts = classCountsPerValue(infoGan);
            double matched = CodeMeasures.bestOneToOneAccuracy(counts);
            double purity = CodeMeasures.majorityPurity(counts);
            double[][] rho = new double[codes.continuous()][];
            for (int c = 0; c < codes.continuous(); c++) {
                rho[c] = sweepCorrelations(infoGan, c);
            }
            System.out.printf("InfoGAN on fashion-mnist, %d steps: code values -> classes one-to-one %.1f%% "
                    + "(chance 10%%), majority purity %.1f%%; mean Spearman rho along each continuous code's sweep "
                    + "(brightness, vertical centroid, horizontal spread): %s%n", steps, 100 * matched,
                    100 * purity, Arrays.deepToString(rho));

            assertThat(matched).isGreaterThanOrEqualTo(0.30);
            double strongest = Arrays.stream(rho).flatMapToDouble(Arrays::stream).map(Math::abs).max().orElse(0);
            assertThat(strongest).isGreaterThanOrEqualTo(0.9);
        }
    }

    /** counts[v][k]: of PER_CLASS samples made with categorical value v, how many the judge calls class k. */
    private static int[][] classCountsPerValue(Trained infoGan) {
        NetworkSpec spec = infoGan.spec();
        LatentCodes codes = spec.codes();
        int values = codes.categorical();
        int n = values * PER_CLASS;
        int width = spec.generatorInputDim();
        int latent = spec.latentDim();
        float[] input = new float[n * width];
        Random rng = new Random(9);
        Double[] pinned = new Double[codes.count()];
        for (int i = 0; i < n; i++) {
            int row = i * width;
            for (int j = 0; j < latent; j++) {
                input[row + j] = (float) rng.nextGaussian();
            }
            pinned[0] = (double) (i / PER_CLASS); // c1 pinned, the continuous codes drawn as training draws them
            codes.drawInto(input, row + latent, rng, pinned);
        }
        int[][] counts = new int[values][judge.numClasses()];
        try (NDManager request = manager.newSubManager()) {
            long[] judged = judge.probabilities(generate(infoGan.trainer(), request, input, n, width)).argMax(1)
                    .toLongArray();
            for (int i = 0; i < n; i++) {
                counts[i / PER_CLASS][(int) judged[i]]++;
            }
        }
        return counts;
    }

    private static NDArray generate(GanTrainer trainer, NDManager request, float[] input, int n,
            int width) {
        return trainer.servedGenerator().forward(new ParameterStore(request, false),
                new NDList(request.create(input, new Shape(n, width))), false).singletonOrThrow();
    }

    /**
     * Continuous code {@code c} swept over [−1, 1] in SWEEP steps for SWEPT_ROWS fixed (z, c1, other
     * codes); per row the Spearman correlation of the step with each image statistic, averaged.
     */
    private static double[] sweepCorrelations(Trained infoGan, int c) {
        NetworkSpec spec = infoGan.spec();
        LatentCodes codes = spec.codes();
        int width = spec.generatorInputDim();
        int latent = spec.latentDim();
        int n = SWEPT_ROWS * SWEEP;
        float[] input = new float[n * width];
        Random rng = new Random(11);
        for (int r = 0; r < SWEPT_ROWS; r++) {
            float[] fixed = new float[width];
            for (int j = 0; j < latent; j++) {
                fixed[j] = (float) rng.nextGaussian();
            }
            codes.drawInto(fixed, latent, rng, null); // then code c is overwritten along the sweep
            for (int s = 0; s < SWEEP; s++) {
                System.arraycopy(fixed, 0, input, (r * SWEEP + s) * width, width);
                input[(r * SWEEP + s) * width + latent + codes.categorical() + c] = -1 + 2f * s / (SWEEP - 1);
            }
        }
        float[] pixels;
        try (NDManager request = manager.newSubManager()) {
            pixels = generate(infoGan.trainer(), request, input, n, width).toFloatArray();
        }
        int size = pixels.length / n;
        int side = (int) Math.round(Math.sqrt(size));
        double[] mean = new double[CodeMeasures.ImageStatistic.values().length];
        for (CodeMeasures.ImageStatistic statistic : CodeMeasures.ImageStatistic.values()) {
            double sum = 0;
            for (int r = 0; r < SWEPT_ROWS; r++) {
                double[] along = new double[SWEEP];
                for (int s = 0; s < SWEEP; s++) {
                    along[s] = statistic.of(pixels, (r * SWEEP + s) * size, side);
                }
                sum += CodeMeasures.spearmanWithOrder(along);
            }
            mean[statistic.ordinal()] = sum / SWEPT_ROWS;
        }
        return mean;
    }
}
