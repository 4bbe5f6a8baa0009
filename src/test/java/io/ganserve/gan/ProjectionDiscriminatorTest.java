package io.ganserve.gan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProjectionDiscriminatorTest {

    private static final int CHANNELS = 1;
    private static final int CLASSES = 3;
    private static final int SIDE = 2;
    private static final int FEATURES = CHANNELS * SIDE * SIDE;

    /** φ = flatten, ψ = linear: D(x, y) = w·x + b + V[:, y]·x exactly. */
    @Test
    void theScoreIsTheHeadPlusTheClassEmbeddingDottedWithTheFeatures() {
        Engine.getInstance();
        try (NDManager manager = NDManager.newBaseManager()) {
            ProjectionDiscriminator d = new ProjectionDiscriminator(CHANNELS, CLASSES,
                    new SequentialBlock().add(Blocks.batchFlattenBlock()), Linear.builder().setUnits(1).build(),
                    Linear.builder().setUnits(FEATURES).optBias(false).build());
            d.setInitializer(new NormalInitializer(1f), p -> true);
            d.initialize(manager, DataType.FLOAT32, new Shape(1, CHANNELS + CLASSES, SIDE, SIDE));
            float[] w = parameter(d, "head", "weight");
            float b = parameter(d, "head", "bias")[0];
            float[] v = parameter(d, "embedding", "weight"); // FEATURES x CLASSES, row-major

            float[] image = {0.5f, -1f, 0.25f, 2f};
            for (int y = 0; y < CLASSES; y++) {
                float expected = b;
                for (int f = 0; f < FEATURES; f++) {
                    expected += w[f] * image[f] + v[f * CLASSES + y] * image[f];
                }
                try (NDManager scratch = manager.newSubManager()) {
                    NDArray out = d.forward(new ParameterStore(scratch, false), new NDList(input(scratch, image, y)),
                            false).singletonOrThrow();
                    assertThat(out.getShape()).isEqualTo(new Shape(1, 1));
                    assertThat(out.getFloat()).as("class %d", y).isCloseTo(expected, within(1e-5f));
                }
            }
        }
    }

    @Test
    void aConditionalDcganDiscriminatorJudgesTheSameImageDifferentlyPerClass() {
        Engine.getInstance();
        NetworkSpec spec = NetworkSpec.dcgan(8, List.of(1, 28, 28), 8).withClasses(CLASSES);
        try (NDManager manager = NDManager.newBaseManager()) {
            var d = GanModelZoo.discriminator(spec, manager);
            assertThat(d).isInstanceOf(ProjectionDiscriminator.class);
            float[] image = new float[28 * 28];
            Random rng = new Random(1);
            for (int i = 0; i < image.length; i++) {
                image[i] = rng.nextFloat() * 2 - 1;
            }
            float[] scores = new float[CLASSES];
            for (int y = 0; y < CLASSES; y++) {
                try (NDManager scratch = manager.newSubManager()) {
                    NDArray x = scratch.create(image, new Shape(1, 1, 28, 28));
                    NDArray planes = scratch.zeros(new Shape(1, CLASSES, 28, 28));
                    planes.set(new ai.djl.ndarray.index.NDIndex(":, {}", y), 1f);
                    scores[y] = d.forward(new ParameterStore(scratch, false), new NDList(x.concat(planes, 1)), false)
                            .singletonOrThrow().getFloat();
                }
            }
            assertThat(scores[0]).isNotCloseTo(scores[1], within(1e-6f));
            assertThat(scores[1]).isNotCloseTo(scores[2], within(1e-6f));
        }
    }

    private static NDArray input(NDManager m, float[] image, int label) {
        NDArray x = m.create(image, new Shape(1, CHANNELS, SIDE, SIDE));
        NDArray planes = m.zeros(new Shape(1, CLASSES, SIDE, SIDE));
        planes.set(new ai.djl.ndarray.index.NDIndex(":, {}", label), 1f);
        return x.concat(planes, 1);
    }

    private static float[] parameter(ProjectionDiscriminator d, String child, String name) {
        // DJL prefixes child names with their position ("02head")
        return d.getChildren().stream().filter(c -> c.getKey().endsWith(child)).findFirst().orElseThrow().getValue()
                .getParameters().get(name).getArray().toFloatArray();
    }
}
