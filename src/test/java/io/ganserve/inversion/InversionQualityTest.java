package io.ganserve.inversion;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.ganserve.bench.InversionBench;
import io.ganserve.data.Dataset;
import io.ganserve.data.DatasetCatalog;
import io.ganserve.engine.GradientCollectors;
import io.ganserve.engine.NativeArrays;
import io.ganserve.evaluation.ClassifierSettings;
import io.ganserve.evaluation.FeatureClassifier;
import io.ganserve.gan.ChunkedForward;
import io.ganserve.gan.EncoderNetwork;
import io.ganserve.gan.GanModelZoo;
import io.ganserve.gan.NetworkSpec;
import io.ganserve.registry.TrainingConfig;
import io.ganserve.support.FashionMnist;
import io.ganserve.training.BatchSource;
import io.ganserve.training.EncoderSettings;
import io.ganserve.training.EncoderTrainer;
import io.ganserve.training.GanTrainer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order docs/inference.md reports, on a smaller and shorter setting (DCGAN-28 with 32 feature
 * maps, 600 GAN and encoder steps, 100 test images, 60 projection steps), fixed seeds: projection
 * from E beats E alone and projection from random at the same steps, in pixels and features, and
 * inpainting the lower half beats the mean image and a random sample's half in features.
 * About four minutes on two cores: run by hand.
 */
@Tag("quality")
class InversionQualityTest {

    @TempDir
    Path dir;

    @Test
    void projectionFromTheEncoderBeatsBothAndInpaintingBeatsItsBaselines() throws Exception {
        FashionMnist.assumeInstalled();
        DatasetCatalog catalog = FashionMnist.catalog(dir);
        Dataset train = catalog.load("fashion-mnist", 0, 28);
        Dataset test = catalog.loadTestSplit("fashion-mnist", 28);
        TrainingConfig config = TrainingConfig.builder("fashion-mnist").architecture(io.ganserve.gan.Architecture.DCGAN)
                .dcgan(32, 28).steps(600).batchSize(64).latentDim(64).seed(2).build();
        NetworkSpec spec = config.networkFor(train);
        try (NDManager m = NDManager.newBaseManager()) {
            ByteArrayOutputStream saved = new ByteArrayOutputStream();
            try (GanTrainer trainer = new GanTrainer(config, spec, new BatchSource(train, 64, 1, spec.latentDim(), 2),
                    m, GradientCollectors.lock())) {
                for (long s = 0; s < config.steps(); s++) {
                    trainer.step(s);
                }
                trainer.servedGenerator().saveParameters(new DataOutputStream(saved));
            }
            Block g = GanModelZoo.emptyGenerator(spec, m);
            NativeArrays.loadParameters(g, m, new DataInputStream(new ByteArrayInputStream(saved.toByteArray())));
            FeatureClassifier features = FeatureClassifier.train(train, test, new ClassifierSettings(1, 64, 2e-3f, 42),
                    m, GradientCollectors.lock());
            ByteArrayOutputStream encoderBytes = new ByteArrayOutputStream();
            try (EncoderTrainer trainer = new EncoderTrainer(spec, new EncoderSettings(600, 64, 2e-4f, 2),
                    (target, z, n) -> ChunkedForward.run(g, target, z, n, spec.latentDim(), 64), m,
                    GradientCollectors.lock())) {
                for (long s = 0; s < 600; s++) {
                    trainer.step(s);
                }
                trainer.saveEncoder(new DataOutputStream(encoderBytes));
            }
            Block e = EncoderNetwork.empty(spec, m);
            NativeArrays.loadParameters(e, m, new DataInputStream(new ByteArrayInputStream(encoderBytes.toByteArray())));

            InversionBench.Figures f = InversionBench.measure(spec, g, e, features, train, test, m, 100,
                    new Projector.Settings(60, 0.05f, 0.02f));
            assertThat(f.fromEncoder().pixelL1()).as("%s", f).isLessThan(f.fromRandom().pixelL1())
                    .isLessThan(f.encoder().pixelL1());
            assertThat(f.fromEncoder().featureDistance()).isLessThan(f.fromRandom().featureDistance())
                    .isLessThan(f.encoder().featureDistance());
            assertThat(f.inpainting().featureDistance()).isLessThan(f.meanFill().featureDistance())
                    .isLessThan(f.sampleFill().featureDistance());
        }
    }
}
