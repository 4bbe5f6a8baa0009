package io.ganserve.evaluation;

import io.ganserve.registry.Metric;
import io.ganserve.registry.Scores;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.ganserve.data.Dataset;
import io.ganserve.data.DatasetCatalog;
import io.ganserve.data.DatasetLocations;
import io.ganserve.data.GaussianMixture;
import io.ganserve.gan.LatentInputs;
import io.ganserve.gan.NetworkSpec;
import io.ganserve.support.ShapeImages;
import io.ganserve.training.BatchSource;
import io.ganserve.training.GanTrainer;
import io.ganserve.engine.GradientCollectors;
import io.ganserve.registry.TrainingConfig;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluator end to end on data made in the test: shapes for image scores, ring8 for coverage. */
class EvaluatorTest {

    private static final int STEPS = Integer.getInteger("evaluator.steps", 1000);

    @TempDir
    static Path dir;

    private static NDManager manager;
    private static DatasetCatalog catalog;
    private static Evaluator evaluator;

    @BeforeAll
    static void setUp() throws Exception {
        Engine.getInstance();
        JniUtils.setGradMode(false);
        manager = NDManager.newBaseManager();
        ShapeImages.writeFolder(dir.resolve("datasets").resolve("shapes"), 28, 1000, 5);
        catalog = new DatasetCatalog(new DatasetLocations(dir.resolve("no-mnist"), dir.resolve("no-fashion"),
                dir.resolve("datasets"), 10_000));
        evaluator = new Evaluator(catalog, dir.resolve("evaluation"), manager, GradientCollectors.lock(),
                ClassifierSettings.DEFAULTS);
    }

    @AfterAll
    static void tearDown() {
        evaluator.close();
        manager.close();
    }

    private static SampleSource generatorOf(GanTrainer trainer, NetworkSpec spec) {
        return (m, n, seed) -> trainer.servedGenerator().forward(new ParameterStore(m, false),
                new NDList(m.create(LatentInputs.draw(spec, n, new Random(seed)), new Shape(n, spec.generatorInputDim()))),
                false).singletonOrThrow();
    }

    @Test
    void aTrainedGeneratorScoresAFrechetDistanceFarBelowAnUntrainedOne() {
        Dataset shapes = catalog.load("shapes", 1, 28);
        TrainingConfig config = TrainingConfig.builder("shapes").dcgan(16, 28).steps(STEPS).batchSize(64)
                .latentDim(16).seed(3).build();
        NetworkSpec spec = config.networkFor(shapes);
        try (GanTrainer trainer = new GanTrainer(config, spec, new BatchSource(shapes, 64, 1, 16, 3), manager,
                GradientCollectors.lock())) {
            Scores untrained = evaluator.evaluate("shapes", 28, generatorOf(trainer, spec), 1000, 7);
            for (int s = 0; s < config.steps(); s++) {
                trainer.step(s);
            }
            Scores trained = evaluator.evaluate("shapes", 28, generatorOf(trainer, spec), 1000, 7);
            System.out.printf("shapes: FD untrained %.2f, after %d steps %.2f, real-vs-real floor %.3f; IS %.3f; "
                    + "precision %.3f recall %.3f; Parzen %.1f ± %.1f (σ %.3f); timings %s%n",
                    untrained.frechetDistance(), STEPS, trained.frechetDistance(), trained.frechetFloor(),
                    trained.inceptionScore(), trained.precision(), trained.recall(), trained.parzenLogLikelihood(),
                    trained.parzenStandardError(), trained.parzenSigma(), trained.seconds());
            assertThat(trained.frechetDistance()).isLessThan(untrained.frechetDistance() / 2);
            assertThat(trained.frechetFloor()).isLessThan(trained.frechetDistance());
            assertThat(trained.inceptionScore()).as("two classes: between 1 and 2").isBetween(1.0, 2.0);
            assertThat(trained.precision()).isBetween(0.0, 1.0);
            // an untrained G puts nearly every sample in one spot, which covers none of the real manifold
            assertThat(trained.recall()).isBetween(0.0, 1.0).isGreaterThan(untrained.recall());
            assertThat(trained.parzenLogLikelihood()).isGreaterThan(untrained.parzenLogLikelihood());
            assertThat(trained.classifierAccuracy()).as("the feature network tells the classes apart").isGreaterThan(0.8);
            assertThat(trained.seconds()).containsKeys("generate", "fd", "is", "precisionRecall", "parzen");
            assertThat(trained.modesCovered()).isNull();
        }
        assertThat(evaluator.featureNetwork("shapes", 28)).as("the feature network is stored for next time")
                .hasValueSatisfying(info -> assertThat(info.numClasses()).isEqualTo(2));
    }

    @Test
    void pointMixturesAreScoredByModeCoverage() {
        GaussianMixture ring = GaussianMixture.ring8();
        SampleSource real = (m, n, seed) -> {
            float[][] points = ring.sample(n, new Random(seed));
            float[] flat = new float[2 * n];
            for (int i = 0; i < n; i++) {
                flat[2 * i] = points[i][0];
                flat[2 * i + 1] = points[i][1];
            }
            return m.create(flat, new Shape(n, 2));
        };
        Scores perfect = evaluator.evaluate("ring8", 0, real, 2500, 1);
        assertThat(perfect.modesCovered()).isEqualTo(8);
        assertThat(perfect.highQuality()).as("a 2-D Gaussian keeps 1 - exp(-4.5) = 98.9% within 3 std").isGreaterThan(0.98);
        assertThat(perfect.reverseKl()).isLessThan(0.01);
        assertThat(perfect.frechetDistance()).isNull();

        SampleSource collapsed = (m, n, seed) -> m.full(new Shape(n, 2), 0f).add(m.create(new float[] {1f, 0f}));
        Scores one = evaluator.evaluate("ring8", 0, collapsed, 2500, 1);
        assertThat(one.modesCovered()).isEqualTo(1);
        assertThat(one.reverseKl()).isCloseTo(Math.log(8), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(Metric.KL.improves(perfect.reverseKl(), one.reverseKl())).isTrue();
    }
}
