package io.ganserve.training;

import io.ganserve.engine.GradientCollectors;
import io.ganserve.registry.LearningRateSchedule;
import io.ganserve.registry.TrainingConfig;
import io.ganserve.registry.Variant;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.ganserve.data.GaussianMixture;
import io.ganserve.data.PointDataset;
import io.ganserve.gan.NetworkSpec;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Mirza & Osindero's conditional GAN on ring8, whose classes are its eight modes. */
class ConditionalTrainingTest {

    private static final int LATENT = 4;
    /** 3,000 steps put every sample at its mode in about 10 s on 2 cores; overridable to explore. */
    private static final int STEPS = Integer.getInteger("cgan.steps", 3000);
    private static final GaussianMixture RING = GaussianMixture.ring8();

    private static final Variant CONDITIONAL = Variant.builder().conditional(true).build();

    @BeforeAll
    static void engine() {
        Engine.getInstance();
        JniUtils.setGradMode(false);
    }

    private static GanTrainer trainer(NDManager m, int steps, int batch, int hidden, int layers, float lr, long seed) {
        TrainingConfig c = TrainingConfig.builder("ring8").hidden(hidden, layers).steps(steps).batchSize(batch)
                .latentDim(LATENT).learningRates(lr, lr).schedule(LearningRateSchedule.LINEAR).seed(seed)
                .variant(CONDITIONAL).build();
        PointDataset data = new PointDataset(RING, 10_000, seed);
        NetworkSpec spec = NetworkSpec.mlp(LATENT, List.of(2), hidden, layers).withClasses(data.numClasses());
        return new GanTrainer(c, spec, new BatchSource(data, batch, 1, LATENT, seed), m, GradientCollectors.lock());
    }

    @Test
    void bothNetworksTakeTheOneHotClassBesideTheirInput() {
        try (NDManager m = NDManager.newBaseManager(); GanTrainer t = trainer(m, 10, 16, 16, 2, 1e-3f, 1)) {
            Parameter g = t.generator().getParameters().get(0).getValue();
            Parameter d = t.discriminator().getParameters().get(0).getValue();
            assertThat(g.getArray().getShape().get(1)).isEqualTo(LATENT + 8);
            assertThat(d.getArray().getShape().get(1)).isEqualTo(2 + 8);
            for (int s = 0; s < 5; s++) {
                assertThat(t.step(s).isFinite()).isTrue();
            }
        }
    }

    /** Two classes of 1 x 28 x 28 noise images: enough to check shapes and that a step runs. */
    private static io.ganserve.data.Dataset twoClassImages() {
        return new io.ganserve.data.Dataset() {
            public String name() { return "two-classes"; }
            public io.ganserve.data.DataKind kind() { return io.ganserve.data.DataKind.IMAGES; }
            public int[] sampleShape() { return new int[] {1, 28, 28}; }
            public int size() { return 32; }
            public int numClasses() { return 2; }
            public int label(int index) { return index % 2; }
            public void copySample(int index, float[] dst, int offset) {
                Random rng = new Random(index);
                for (int i = 0; i < 28 * 28; i++) {
                    dst[offset + i] = rng.nextFloat() * 2 - 1;
                }
            }
        };
    }

    @Test
    void aConditionalDcganProjectsTheClassOntoTheImagesFeatures() {
        io.ganserve.data.Dataset images = twoClassImages();
        TrainingConfig c = TrainingConfig.builder("two-classes").dcgan(8, 28).steps(2).batchSize(8).latentDim(8)
                .seed(1).checkpointEvery(10).variant(CONDITIONAL).build();
        NetworkSpec spec = NetworkSpec.dcgan(8, List.of(1, 28, 28), 8).withClasses(2);
        try (NDManager m = NDManager.newBaseManager();
             GanTrainer t = new GanTrainer(c, spec, new BatchSource(images, 8, 1, 8, 1), m, GradientCollectors.lock())) {
            Parameter g = t.generator().getParameters().get(0).getValue();
            Parameter d = t.discriminator().getParameters().get(0).getValue();
            assertThat(g.getArray().getShape().get(1)).isEqualTo(8 + 2);
            assertThat(d.getArray().getShape().get(1)).as("the features see the image channel alone").isEqualTo(1);
            var embedding = t.discriminator().getParameters().stream()
                    .filter(p -> p.getKey().contains("embedding")).toList();
            assertThat(embedding).as("the class embedding V of D(x, y) = ψ(φ(x)) + V[:, y]·φ(x)").hasSize(1);
            assertThat(embedding.get(0).getValue().getArray().getShape())
                    .isEqualTo(new ai.djl.ndarray.types.Shape(16 * 7 * 7, 2)); // features x classes
            assertThat(t.step(0).isFinite()).isTrue();
            assertThat(t.step(1).isFinite()).isTrue();
        }
    }

    @Test
    void realLabelsNameTheClassesOfTheRealBatch() {
        PointDataset data = new PointDataset(RING, 500, 3);
        BatchSource batches = new BatchSource(data, 32, 2, LATENT, 3);
        try (NDManager m = NDManager.newBaseManager()) {
            for (long step : new long[] {0, 7, 40}) { // 40 crosses into later epochs
                float[] points = batches.realBatch(m, step, 1).toFloatArray();
                int[] labels = batches.realLabelIndices(step, 1);
                for (int i = 0; i < labels.length; i++) {
                    assertThat(RING.nearestMode(points[2 * i], points[2 * i + 1])).isEqualTo(labels[i]);
                }
                NDArray oneHot = batches.realLabels(m, step, 1);
                assertThat(oneHot.getShape()).isEqualTo(new Shape(32, 8));
                assertThat(oneHot.argMax(1).toType(DataType.INT32, false).toIntArray())
                        .containsExactly(labels);
            }
            assertThat(batches.fakeLabelIndices(5, 1)).containsExactly(batches.fakeLabelIndices(5, 1))
                    .isNotEqualTo(batches.fakeLabelIndices(5, 2));
        }
    }

    /**
     * The nearest mode is the Bayes classifier for ring8, so asking G for class c and checking the
     * nearest mode of what comes back measures how well G obeys its condition.
     */
    @Test
    void theGeneratorDrawsFromTheModeItIsAskedFor() {
        int perClass = 100;
        try (NDManager m = NDManager.newBaseManager(); GanTrainer t = trainer(m, STEPS, 256, 64, 2, 1e-3f, 7)) {
            long start = System.nanoTime();
            for (int s = 0; s < STEPS; s++) {
                t.step(s);
            }
            int hits = 0;
            Random rng = new Random(11);
            try (NDManager request = m.newSubManager()) {
                float[] z = new float[8 * perClass * LATENT];
                for (int i = 0; i < z.length; i++) {
                    z[i] = (float) rng.nextGaussian();
                }
                long[] classes = new long[8 * perClass];
                for (int i = 0; i < classes.length; i++) {
                    classes[i] = i / perClass;
                }
                NDArray oneHot = request.create(classes).oneHot(8).toType(DataType.FLOAT32, false);
                NDArray input = request.create(z, new Shape(classes.length, LATENT)).concat(oneHot, 1);
                float[] out = t.servedGenerator().forward(new ParameterStore(request, false), new NDList(input), false)
                        .singletonOrThrow().toFloatArray();
                for (int i = 0; i < classes.length; i++) {
                    if (RING.nearestMode(out[2 * i], out[2 * i + 1]) == classes[i]) {
                        hits++;
                    }
                }
            }
            double accuracy = hits / (8.0 * perClass);
            System.out.printf("conditional ring8: %.1f%% of samples at the requested mode after %d steps (%.1f s)%n",
                    100 * accuracy, STEPS, (System.nanoTime() - start) / 1e9);
            assertThat(accuracy).isGreaterThanOrEqualTo(0.8);
        }
    }
}
