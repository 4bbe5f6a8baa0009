package io.ganserve.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import io.ganserve.data.Dataset;
import io.ganserve.data.DatasetCatalog;
import io.ganserve.gan.MultiplyAdds;
import io.ganserve.support.FashionMnist;
import io.ganserve.engine.GradientCollectors;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bar the evaluation metrics rely on: the default settings reach 0.88 on Fashion-MNIST's 10k test images. */
class FeatureClassifierFashionMnistTest {


    @TempDir
    Path dir;

    @Test
    void defaultSettingsReachTheAccuracyBarQuickly() {
        FashionMnist.assumeInstalled();
        Engine.getInstance();
        JniUtils.setGradMode(false);
        DatasetCatalog catalog = FashionMnist.catalog(dir);
        Dataset train = catalog.load("fashion-mnist", 0, 28);
        Dataset test = catalog.loadTestSplit("fashion-mnist", 28);

        try (NDManager manager = NDManager.newBaseManager();
             FeatureClassifier classifier = FeatureClassifier.train(train, test, ClassifierSettings.DEFAULTS, manager,
                     GradientCollectors.lock())) {
            ClassifierInfo info = classifier.info();
            long multiplyAdds = multiplyAddsPerImage(manager);
            System.out.printf("fashion-mnist classifier: test accuracy %.4f after %d epochs in %.1f s "
                    + "(%d multiply-adds per image forward)%n", info.testAccuracy(), info.epochs(), info.trainSeconds(),
                    multiplyAdds);

            assertThat(test.size()).isEqualTo(10_000);
            assertThat(info.testAccuracy()).isGreaterThanOrEqualTo(0.88);
            assertThat(info).extracting(ClassifierInfo::dataset, ClassifierInfo::numClasses, ClassifierInfo::imageSize)
                    .containsExactly("fashion-mnist", 10, 28);
        }
    }

    /** One 1 x 28 x 28 image through a freshly built network of the same shape: the work per forward pass. */
    static long multiplyAddsPerImage(NDManager manager) {
        ClassifierNetwork network = new ClassifierNetwork(10);
        try (NDManager weights = manager.newSubManager()) {
            network.initialize(weights, 1, 28);
            return MultiplyAdds.forward(network.featureBlock(), new Shape(1, 1, 28, 28))
                    + MultiplyAdds.forward(network.headBlock(), new Shape(1, ClassifierNetwork.FEATURE_DIM));
        }
    }
}
