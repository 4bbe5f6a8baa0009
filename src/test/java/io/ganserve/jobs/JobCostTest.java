package io.ganserve.jobs;

import io.ganserve.engine.GradientCollectors;
import io.ganserve.registry.OptimizerKind;
import io.ganserve.registry.TrainingConfig;
import io.ganserve.registry.Variant;
import io.ganserve.training.BatchSource;
import io.ganserve.training.GanTrainer;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.ganserve.data.GaussianMixture;
import io.ganserve.data.PointDataset;
import io.ganserve.gan.NetworkSpec;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A job's price, held to what its training really writes and to the order its parts must keep. */
class JobCostTest {

    @BeforeAll
    static void engine() {
        Engine.getInstance();
        JniUtils.setGradMode(false);
    }

    static Stream<Arguments> variants() {
        return Stream.of(
                Arguments.of("adam", Variant.NONE),
                Arguments.of("rmsprop, clipped", Variant.builder().optimizer(OptimizerKind.RMSPROP).clipValue(0.01f)
                        .build()),
                Arguments.of("adam, ema", Variant.builder().emaDecay(0.999f).build()),
                Arguments.of("pack 2, spectral", Variant.builder().spectralNorm(true).pack(2).build()));
    }

    /** The disk check at submission uses this figure: it must not fall short of the file, nor overshoot by much. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void aCheckpointIsAsLargeAsPriced(String name, Variant variant) throws Exception {
        TrainingConfig config = config(256, 3, variant);
        NetworkSpec spec = NetworkSpec.mlp(8, List.of(2), 256, 3).withPack(variant.pack()).withSpectralNorm(variant.spectralNorm());
        JobCost cost = JobCost.of(config, spec);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (NDManager m = NDManager.newBaseManager();
             GanTrainer t = new GanTrainer(config, spec, new BatchSource(new PointDataset(GaussianMixture.ring8(), 500, 1),
                     32, 1, 8, 1), m, GradientCollectors.lock())) {
            t.step(0); // optimiser buffers exist from the first update on
            t.saveState(new DataOutputStream(bytes));
        }
        long written = bytes.size();
        assertThat(cost.checkpointBytes()).as("priced vs written %d", written)
                .isGreaterThanOrEqualTo(written)
                .isLessThanOrEqualTo(written + written / 10 + (128 << 10));
    }

    @Test
    void memoryGrowsWithTheBatchAndTheNetworkAndDiskWithTheCheckpointsKept() {
        NetworkSpec small = NetworkSpec.mlp(8, List.of(2), 256, 3);
        NetworkSpec wide = NetworkSpec.mlp(8, List.of(2), 1024, 3);
        JobCost base = JobCost.of(config(256, 64, Variant.NONE), small);
        assertThat(JobCost.of(config(256, 1024, Variant.NONE), small).memoryBytes()).isGreaterThan(base.memoryBytes());
        assertThat(JobCost.of(config(1024, 64, Variant.NONE), wide).memoryBytes()).isGreaterThan(base.memoryBytes());
        assertThat(base.diskBytes(3)).isEqualTo(4 * base.checkpointBytes() + 2 * base.generatorBytes());
    }

    private static TrainingConfig config(int units, int batch, Variant variant) {
        return TrainingConfig.builder("ring8").hidden(units, 3).steps(10).batchSize(batch).latentDim(8)
                .learningRates(1e-3f, 1e-3f).seed(1).checkpointEvery(10).variant(variant).build();
    }

    /** Both classifiers' and the generator's state, and the served classifier, as the two trainers write them. */
    @Test
    void aSemiSupervisedCheckpointAndItsClassifierAreAsLargeAsPriced(@org.junit.jupiter.api.io.TempDir
                                                                     java.nio.file.Path root) throws Exception {
        java.nio.file.Path images = root.resolve("images");
        io.ganserve.support.ShapeImages.writeFolder(images.resolve("shapes"), 28, 4, 1,
                io.ganserve.support.ShapeImages.FOUR);
        io.ganserve.data.DatasetCatalog catalog = new io.ganserve.data.DatasetCatalog(
                new io.ganserve.data.DatasetLocations(root.resolve("a"), root.resolve("b"), images, 100));
        TrainingConfig config = new JobPreview(catalog).resolve(tools.jackson.databind.json.JsonMapper.builder().build()
                .readValue("{\"architecture\":\"semi-supervised\",\"dataset\":\"shapes\",\"labels\":8,"
                        + "\"imageSize\":28,\"featureMaps\":16,\"latentDim\":20,\"batchSize\":8}", JobRequest.class));
        io.ganserve.data.Dataset train = catalog.load("shapes", 1, 28);
        JobCost cost = JobCost.semiSupervised(config, SemiSupervisedRun.classifierSpec(config, 1),
                SemiSupervisedRun.generatorSpec(config, 1), SemiSupervisedRun.EVALUATION_CHUNK);
        ByteArrayOutputStream state = new ByteArrayOutputStream();
        ByteArrayOutputStream served = new ByteArrayOutputStream();
        NetworkSpec generator = SemiSupervisedRun.generatorSpec(config, 1);
        try (NDManager m = NDManager.newBaseManager();
             io.ganserve.training.SemiSupervisedTrainer semi = new io.ganserve.training.SemiSupervisedTrainer(train,
                     generator, SemiSupervisedRun.settings(config, false), m, GradientCollectors.lock());
             io.ganserve.training.SemiSupervisedTrainer alone = new io.ganserve.training.SemiSupervisedTrainer(train,
                     generator, SemiSupervisedRun.settings(config, true), m, GradientCollectors.lock())) {
            semi.step(0);
            alone.step(0);
            semi.saveState(new DataOutputStream(state));
            alone.saveState(new DataOutputStream(state));
            semi.saveClassifier(new DataOutputStream(served));
        }
        for (long[] pricedWritten : new long[][] {{cost.checkpointBytes(), state.size()},
                                                  {cost.generatorBytes(), served.size()}}) {
            long written = pricedWritten[1];
            assertThat(pricedWritten[0]).as("priced vs written %d", written).isGreaterThanOrEqualTo(written)
                    .isLessThanOrEqualTo(written + written / 10 + (128 << 10));
        }
        assertThat(cost.memoryBytes()).isGreaterThan(cost.stepBytes());
    }
}
