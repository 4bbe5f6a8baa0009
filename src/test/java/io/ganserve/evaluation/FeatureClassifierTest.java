package io.ganserve.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import io.ganserve.data.Dataset;
import io.ganserve.data.ImageFolderLoader;
import io.ganserve.support.ShapeImages;
import io.ganserve.engine.GradientCollectors;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The classifier on a small generated task: white discs against white squares on black, 28 x 28. */
class FeatureClassifierTest {

    private static final ClassifierSettings SETTINGS = new ClassifierSettings(8, 32, 2e-3f, 11);

    @TempDir
    static Path dir;

    private static NDManager manager;
    private static Dataset train;
    private static Dataset test;
    private static FeatureClassifier classifier;

    @BeforeAll
    static void trainOnShapes() throws IOException {
        Engine.getInstance();
        JniUtils.setGradMode(false); // as the service's worker threads run
        train = shapes("train", 28, 500, 1);
        test = shapes("test", 28, 100, 2);
        manager = NDManager.newBaseManager();
        classifier = FeatureClassifier.train(train, test, SETTINGS, manager, GradientCollectors.lock());
    }

    @AfterAll
    static void close() {
        classifier.close();
        manager.close();
    }

    private static Dataset shapes(String split, int side, int perClass, long seed) throws IOException {
        Path folder = dir.resolve(split + "-" + side);
        ShapeImages.writeFolder(folder, side, perClass, seed);
        return ImageFolderLoader.load("shapes", folder, side);
    }

    /** The first {@code n} test images as one N x 1 x 28 x 28 array on {@code owner}. */
    private static NDArray testImages(NDManager owner, int n) {
        int length = test.sampleLength();
        float[] pixels = new float[n * length];
        for (int i = 0; i < n; i++) {
            test.copySample(i, pixels, i * length);
        }
        return owner.create(pixels, new Shape(n, 1, 28, 28));
    }

    @Test
    void learnsToTellDiscsFromSquares() {
        assertThat(classifier.testAccuracy()).isGreaterThan(0.95);
        assertThat(classifier.accuracy(test)).isEqualTo(classifier.testAccuracy());
        assertThat(classifier.info()).isEqualTo(new ClassifierInfo("shapes", 1, 28, 2, 128,
                classifier.testAccuracy(), classifier.info().trainSeconds(), 8));
    }

    @Test
    void featuresAreNonNegativeRowsOfFeatureDimOnTheImagesManager() {
        try (NDManager request = manager.newSubManager()) {
            NDArray images = testImages(request, 7);

            NDArray features = classifier.features(images);

            assertThat(classifier.featureDim()).isEqualTo(128);
            assertThat(features.getShape()).isEqualTo(new Shape(7, classifier.featureDim()));
            assertThat(features.getManager()).isSameAs(request);
            assertThat(features.hasGradient()).isFalse();
            assertThat(features.min().getFloat()).isGreaterThanOrEqualTo(0f); // after ReLU
        }
    }

    @Test
    void probabilityRowsSumToOne() {
        try (NDManager request = manager.newSubManager()) {
            NDArray probabilities = classifier.probabilities(testImages(request, 9));

            assertThat(probabilities.getShape()).isEqualTo(new Shape(9, classifier.numClasses()));
            float[] p = probabilities.toFloatArray();
            for (int row = 0; row < 9; row++) {
                assertThat(p[2 * row] + p[2 * row + 1]).isCloseTo(1f, within(1e-6f));
            }
        }
    }

    @Test
    void savedAndLoadedGivesTheSameOutputs() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        classifier.save(new DataOutputStream(bytes));

        try (NDManager request = manager.newSubManager();
             FeatureClassifier loaded = FeatureClassifier.load(
                     new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), manager)) {
            NDArray images = testImages(request, 50);

            assertThat(loaded.info()).isEqualTo(classifier.info());
            assertThat(loaded.features(images).toFloatArray())
                    .containsExactly(classifier.features(images).toFloatArray(), within(1e-6f));
            assertThat(loaded.probabilities(images).toFloatArray())
                    .containsExactly(classifier.probabilities(images).toFloatArray(), within(1e-6f));
            assertThat(loaded.accuracy(test)).isEqualTo(classifier.testAccuracy());
        }
    }

    @Test
    void loadRejectsOtherBytes() {
        byte[] garbage = {1, 2, 3, 4, 5, 6, 7, 8};

        assertThatThrownBy(() -> FeatureClassifier.load(new DataInputStream(new ByteArrayInputStream(garbage)), manager))
                .isInstanceOf(IOException.class)
                .hasMessage("not a saved feature classifier");
    }

    @Test
    void repeatedCallsLeaveNoNativeArraysBehind() {
        try (NDManager request = manager.newSubManager()) {
            NDArray images = testImages(request, 16);
            int before = manager.getManagedArrays().size();

            for (int i = 0; i < 100; i++) {
                classifier.features(images).close();
                classifier.probabilities(images).close();
            }

            assertThat(manager.getManagedArrays()).hasSize(before);
        }
    }

    @Test
    void inferenceLeavesTheCallersGradModeAsItWas() {
        try (NDManager request = manager.newSubManager()) {
            NDArray images = testImages(request, 2);
            JniUtils.setGradMode(true);
            try {
                NDArray features = classifier.features(images);

                assertThat(features.hasGradient()).isFalse();
                assertThat(JniUtils.isGradMode()).isTrue();
            } finally {
                JniUtils.setGradMode(false);
            }
        }
    }

    @Test
    void aSeededRunIsReproducible() {
        try (NDManager request = manager.newSubManager();
             FeatureClassifier again = FeatureClassifier.train(train, test, SETTINGS, manager,
                     GradientCollectors.lock())) {
            NDArray images = testImages(request, 20);

            assertThat(again.testAccuracy()).isEqualTo(classifier.testAccuracy());
            assertThat(again.features(images).toFloatArray())
                    .containsExactly(classifier.features(images).toFloatArray(), within(1e-5f));
        }
    }

    @Test
    void takesLargerImagesToo() throws IOException {
        for (int side : new int[] {32, 64}) {
            Dataset small = shapes("train", side, 16, 3);
            try (NDManager request = manager.newSubManager();
                 FeatureClassifier sized = FeatureClassifier.train(small, small, SETTINGS.withEpochs(1), manager,
                         GradientCollectors.lock())) {
                NDArray images = request.zeros(new Shape(3, 1, side, side));

                assertThat(sized.info().imageSize()).isEqualTo(side);
                assertThat(sized.features(images).getShape()).isEqualTo(new Shape(3, 128));
                assertThat(sized.probabilities(images).getShape()).isEqualTo(new Shape(3, 2));
            }
        }
    }

    @Test
    void rejectsImagesOfAnotherShape() {
        try (NDManager request = manager.newSubManager()) {
            NDArray wrongSide = request.zeros(new Shape(2, 1, 32, 32));

            assertThatThrownBy(() -> classifier.features(wrongSide))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("expected float32 images shaped N x 1 x 28 x 28, got float32 (2, 1, 32, 32)");
        }
    }

    @Test
    void costsAboutAMillionMultiplyAddsPerImage() {
        long perImage = FeatureClassifierFashionMnistTest.multiplyAddsPerImage(manager);

        // conv 16·25·24² + conv 32·16·25·8² + dense 512·128 + 128·10
        assertThat(perImage).isEqualTo(16L * 25 * 24 * 24 + 32L * 16 * 25 * 8 * 8 + 512L * 128 + 128L * 10);
    }

    @Test
    void rejectsATestSplitOfAnotherGeometry() throws IOException {
        Dataset larger = shapes("test", 32, 4, 5);

        assertThatThrownBy(() -> FeatureClassifier.train(train, larger, SETTINGS, manager, GradientCollectors.lock()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not match training split shapes");
    }

    @Test
    void crossEntropyOfEqualLogitsIsLogK() {
        try (NDManager scratch = manager.newSubManager()) {
            NDArray logits = scratch.zeros(new Shape(4, 10));
            NDArray labels = scratch.eye(10).get("0:4");

            assertThat(ClassifierTrainer.crossEntropy(logits, labels).getFloat()).isCloseTo((float) Math.log(10),
                    within(1e-6f));
        }
    }
}
