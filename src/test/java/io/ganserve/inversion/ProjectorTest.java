package io.ganserve.inversion;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.ganserve.gan.ChunkedForward;
import io.ganserve.gan.GanModelZoo;
import io.ganserve.gan.NetworkSpec;
import java.util.List;
import java.util.Random;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

class ProjectorTest {

    private static final NetworkSpec SPEC = NetworkSpec.dcgan(8, List.of(1, 28, 28), 8);
    private static final int[] SHAPE = {1, 28, 28};
    private static final int LENGTH = 28 * 28;

    private static Block fixedGenerator(NDManager manager) {
        Engine.getInstance().setRandomSeed(11);
        Block g = GanModelZoo.generator(SPEC, manager);
        for (Parameter p : g.getParameters().values()) {
            p.getArray().setRequiresGradient(false);
        }
        return g;
    }

    private static Projector projector(Block g) {
        return new Projector(z -> g.forward(new ParameterStore(z.getManager(), false), new NDList(z), false)
                .singletonOrThrow(), null, SPEC.latentDim(), new ReentrantLock());
    }

    private static float[] noise(int n, long seed) {
        Random rng = new Random(seed);
        float[] z = new float[n * SPEC.latentDim()];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) rng.nextGaussian();
        }
        return z;
    }

    private static double meanSquare(float[] a, float[] b, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return s / (to - from);
    }

    @Test
    void projectionFindsALatentThatReproducesAGeneratedImage() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block g = fixedGenerator(manager);
            int n = 4;
            float[] truth = noise(n, 1);
            float[] targets = ChunkedForward.run(g, manager, truth, n, SPEC.latentDim(), 64).toFloatArray();
            float[] start = noise(n, 2);
            Projector.Result none = projector(g).project(manager, targets, SHAPE, null, start,
                    new Projector.Settings(0, 0.05f, 0));
            Projector.Result found = projector(g).project(manager, targets, SHAPE, null, start,
                    new Projector.Settings(200, 0.05f, 0));
            for (int i = 0; i < n; i++) {
                double before = meanSquare(none.images(), targets, i * LENGTH, (i + 1) * LENGTH);
                double after = meanSquare(found.images(), targets, i * LENGTH, (i + 1) * LENGTH);
                assertThat(after).as("image %d: pixel MSE from %s to %s", i, before, after).isLessThan(before / 10);
                assertThat(found.losses()[i]).isLessThanOrEqualTo(none.losses()[i]);
            }
            assertThat(none.latents()).as("no steps: the start itself").containsExactly(start);
        }
    }

    @Test
    void hiddenPixelsDoNotSteerTheProjection() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block g = fixedGenerator(manager);
            int n = 2;
            float[] targets = ChunkedForward.run(g, manager, noise(n, 3), n, SPEC.latentDim(), 64).toFloatArray();
            float[] visible = new float[targets.length];
            float[] scrambled = targets.clone();
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < LENGTH; p++) {
                    boolean upper = p / 28 < 14;
                    visible[i * LENGTH + p] = upper ? 1 : 0;
                    if (!upper) {
                        scrambled[i * LENGTH + p] = (p % 2 == 0) ? 1 : -1; // the lower half replaced by noise
                    }
                }
            }
            float[] start = noise(n, 4);
            Projector.Settings settings = new Projector.Settings(60, 0.05f, 0);
            Projector.Result a = projector(g).project(manager, targets, SHAPE, visible, start, settings);
            Projector.Result b = projector(g).project(manager, scrambled, SHAPE, visible, start, settings);
            assertThat(b.latents()).containsExactly(a.latents());
            Projector.Result unmasked = projector(g).project(manager, scrambled, SHAPE, null, start, settings);
            assertThat(unmasked.latents()).as("without the mask the noise does steer it").isNotEqualTo(a.latents());
        }
    }
}
