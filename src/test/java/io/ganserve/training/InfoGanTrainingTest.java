package io.ganserve.training;

import io.ganserve.engine.GradientCollectors;
import io.ganserve.registry.InfoGan;
import io.ganserve.registry.LearningRateSchedule;
import io.ganserve.registry.TrainingConfig;
import io.ganserve.registry.Variant;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.ganserve.data.GaussianMixture;
import io.ganserve.data.PointDataset;
import io.ganserve.evaluation.ModeCoverage;
import io.ganserve.gan.LatentCodes;
import io.ganserve.gan.NetworkSpec;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** InfoGAN on ring8: with a categorical code of eight values, each value should come to own a mode. */
class InfoGanTrainingTest {

    private static final int LATENT = 4;
    private static final int STEPS = Integer.getInteger("infogan.steps", 3000);
    private static final GaussianMixture RING = GaussianMixture.ring8();
    private static final LatentCodes CODES = new LatentCodes(8, 1);

    @BeforeAll
    static void engine() {
        Engine.getInstance();
        JniUtils.setGradMode(false);
    }

    private static GanTrainer trainer(NDManager m, int steps, int hidden, long seed) {
        Variant infoGan = Variant.builder()
                .infoGan(new InfoGan(CODES, InfoGan.DEFAULT_LAMBDA, InfoGan.DEFAULT_CONTINUOUS_LAMBDA)).build();
        TrainingConfig c = TrainingConfig.builder("ring8").hidden(hidden, 2).steps(steps).batchSize(256)
                .latentDim(LATENT).learningRates(1e-3f, 1e-3f).schedule(LearningRateSchedule.LINEAR).seed(seed)
                .variant(infoGan).build();
        PointDataset data = new PointDataset(RING, 10_000, seed);
        NetworkSpec spec = c.networkFor(data);
        return new GanTrainer(c, spec, new BatchSource(data, 256, 1, LATENT, seed), m, GradientCollectors.lock());
    }

    @Test
    void gTakesTheCodesAfterTheNoiseAndDGrowsAQHead() {
        try (NDManager m = NDManager.newBaseManager(); GanTrainer t = trainer(m, 10, 16, 1)) {
            List<Parameter> g = t.generator().getParameters().values();
            List<Parameter> d = t.discriminator().getParameters().values();
            assertThat(g.get(0).getArray().getShape().get(1)).isEqualTo(LATENT + 8 + 1);
            // the last layer's weight: the logit's row and the Q head's 8 + 1 rows share D's body
            assertThat(d.get(d.size() - 2).getArray().getShape().get(0)).isEqualTo(1 + 8 + 1);
            StepResult first = t.step(0);
            assertThat(first.isFinite()).isTrue();
            assertThat(first.mutualInformation()).isNotNull().isBetween(-5f, (float) Math.log(8));
        }
    }

    /**
     * Ring8's modes are its natural categories: after training, pinning c1 = v and reading the
     * nearest mode of each sample should mostly give one mode per value, a different one for each.
     */
    @Test
    void eachValueOfTheCategoricalCodeOwnsAMode() {
        int perValue = 200;
        try (NDManager m = NDManager.newBaseManager(); GanTrainer t = trainer(m, STEPS, 128, 7)) {
            long start = System.nanoTime();
            StepResult last = null;
            for (int s = 0; s < STEPS; s++) {
                last = t.step(s);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            int[][] counts = new int[8][8]; // code value x nearest mode
            float[][] all = new float[8 * perValue][];
            Random rng = new Random(11);
            try (NDManager request = m.newSubManager()) {
                int n = 8 * perValue;
                float[] input = new float[n * (LATENT + 9)];
                for (int i = 0; i < n; i++) {
                    int row = i * (LATENT + 9);
                    for (int j = 0; j < LATENT; j++) {
                        input[row + j] = (float) rng.nextGaussian();
                    }
                    input[row + LATENT + i / perValue] = 1;
                    input[row + LATENT + 8] = (float) (rng.nextDouble() * 2 - 1);
                }
                NDArray x = request.create(input, new Shape(n, LATENT + 9));
                float[] out = t.servedGenerator().forward(new ParameterStore(request, false), new NDList(x), false)
                        .singletonOrThrow().toFloatArray();
                for (int i = 0; i < n; i++) {
                    all[i] = new float[] {out[2 * i], out[2 * i + 1]};
                    counts[i / perValue][RING.nearestMode(out[2 * i], out[2 * i + 1])]++;
                }
            }
            int agreeing = 0;
            java.util.Set<Integer> owned = new java.util.HashSet<>();
            for (int v = 0; v < 8; v++) {
                int best = 0;
                for (int mode = 1; mode < 8; mode++) {
                    if (counts[v][mode] > counts[v][best]) {
                        best = mode;
                    }
                }
                agreeing += counts[v][best];
                owned.add(best);
            }
            double purity = agreeing / (8.0 * perValue);
            ModeCoverage.Result coverage = ModeCoverage.evaluate(RING, all);
            System.out.printf("infogan ring8: purity %.1f%% (chance 12.5%%), %d distinct modes owned, MI %.3f of %.3f nats,"
                    + " %d/8 modes, %.1f%% high quality, %d steps in %.1f s%n", 100 * purity, owned.size(),
                    last.mutualInformation(), Math.log(8), coverage.modesCovered(),
                    100 * coverage.highQualityFraction(), STEPS, seconds);
            assertThat(purity).as("share of samples at their code value's majority mode").isGreaterThanOrEqualTo(0.8);
            assertThat(owned).as("modes owned by some code value").hasSizeGreaterThanOrEqualTo(7);
        }
    }
}
