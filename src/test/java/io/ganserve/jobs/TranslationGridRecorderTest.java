package io.ganserve.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import io.ganserve.gan.cyclegan.TranslatorCost;
import io.ganserve.gan.cyclegan.TranslatorSpec;
import io.ganserve.inversion.TranslationGrid;
import io.ganserve.inversion.TranslationService;
import io.ganserve.registry.ModelRegistry;
import io.ganserve.registry.TrainingConfig;
import io.ganserve.registry.TranslatorInfo;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a translator's progress grids cost, priced before the job starts as a GAN's are. */
class TranslationGridRecorderTest {

    @TempDir
    Path root;

    @BeforeAll
    static void engine() {
        Engine.getInstance();
    }

    private static TrainingConfig cycleGan(int side) {
        JobRequest request = ModelRegistry.storageMapper().readValue("""
                {"architecture":"cyclegan","dataset":"emoji-google","target":"emoji-twitter","imageSize":%d,
                 "cycleGan":{"generatorFilters":8,"residualBlocks":2}}""".formatted(side), JobRequest.class);
        return TranslationDefaults.resolve(request, PrecisionDefaults.FLOAT32_HOST);
    }

    private TranslationGridRecorder recorder(int maxGrids) {
        return new TranslationGridRecorder(new ModelRegistry(root, 3), null, null, maxGrids);
    }

    /**
     * The disk price holds one grid more than the bound, each at deflate's worst case: noise, the
     * least compressible picture, stays under it.
     */
    @ParameterizedTest
    @ValueSource(ints = {32, 64})
    void theDiskPriceHoldsTheGridsAtTheirLargest(int side) {
        TrainingConfig config = cycleGan(side);
        TranslatorSpec spec = TranslationRun.spec(config, 3);
        Random random = new Random(side);
        float[][] images = new float[3][TranslationGridRecorder.IMAGES * spec.imageLength()];
        for (float[] image : images) {
            for (int k = 0; k < image.length; k++) {
                image[k] = random.nextFloat() * 2 - 1;
            }
        }
        byte[] noise = TranslationGrid.png(new TranslationService.Translated(new TranslatorInfo("j", "emoji-google",
                "emoji-twitter", spec, 1, Instant.EPOCH), TranslationService.Direction.FORWARD, images[0], images[1],
                images[2], TranslationGridRecorder.IMAGES));
        long bound = TranslationGrid.pngBytesBound(spec, TranslationGridRecorder.IMAGES);
        System.out.printf("translator progress grid at %d px: noise %,d bytes, bound %,d%n", side, noise.length, bound);
        // at 32 px each pixel is drawn twice over, which deflate finds even in noise: there the bound is loose
        assertThat((long) noise.length).isLessThanOrEqualTo(bound).isGreaterThan(side == 64 ? bound * 9 / 10 : bound / 4);

        JobCost.Extra extra = recorder(100).costOf(config, null);
        assertThat(extra.diskBytes()).isEqualTo(101 * bound);
    }

    /** In the checkpoint's pause: a second copy of both generators and one pass of the grid's images. */
    @Test
    void thePauseHoldsBothGeneratorsAndOnePass() {
        TrainingConfig config = cycleGan(32);
        TranslatorCost net = TranslatorCost.of(TranslationRun.spec(config, 3));
        JobCost.Extra extra = recorder(10).costOf(config, null);
        long weights = Float.BYTES * 2L * net.generatorParameters();
        long pass = Float.BYTES * (long) TranslationGridRecorder.IMAGES * net.generatorActivations();
        assertThat(extra.pauseMemoryBytes()).isGreaterThanOrEqualTo(weights + pass).isLessThan(2 * (weights + pass));
        assertThat(extra.diskBytes()).isEqualTo(11 * TranslationGrid.pngBytesBound(TranslationRun.spec(config, 3), 8));
    }

    @Test
    void aGanCostsItNothing() {
        TrainingConfig gan = TrainingConfig.builder("ring8").hidden(8, 1).steps(10).batchSize(10).latentDim(2).build();
        assertThat(recorder(10).costOf(gan, null)).isEqualTo(JobCost.Extra.NONE);
    }
}
