package io.ganserve.evaluation;

import io.ganserve.engine.GradModeOff;
import io.ganserve.engine.NativeArrays;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.ganserve.data.Dataset;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.locks.Lock;
import java.util.function.BiFunction;

/**
 * The feature network for evaluating generated images: a small CNN trained on a dataset's
 * labelled training split (Inception weights cannot be downloaded here). Its penultimate
 * activations are the features that Fréchet-style distances compare, its softmax the class
 * probabilities that Inception-style scores use.
 *
 * <p>The weights are read-only once trained or loaded, so {@link #features} and
 * {@link #probabilities} may be called from several threads at once; each call switches grad mode
 * off on its own thread and frees everything but its result before returning.
 */
public final class FeatureClassifier implements AutoCloseable {

    private static final int MAGIC = 0x47534643; // "GSFC"
    private static final int FORMAT_VERSION = 1;
    /** Test images per forward pass when measuring accuracy: bounds the native memory of one pass. */
    private static final int EVALUATION_BATCH = 500;

    private final NDManager manager;
    private final ClassifierNetwork network;
    private final ClassifierInfo info;

    private FeatureClassifier(NDManager manager, ClassifierNetwork network, ClassifierInfo info) {
        this.manager = manager;
        this.network = network;
        this.info = info;
    }

    /**
     * Trains a classifier on {@code train} from seeded weights and a seeded shuffle, then measures
     * its accuracy on {@code test}. Run it on one thread; it takes {@code collectorLock} around every
     * gradient step.
     *
     * @param collectorLock the process-wide lock around gradient collectors
     *     ({@code io.ganserve.engine.GradientCollectors.lock()} in the service)
     */
    public static FeatureClassifier train(Dataset train, Dataset test, ClassifierSettings settings, NDManager parent,
            Lock collectorLock) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(collectorLock, "collectorLock");
        LabelledImages trainImages = new LabelledImages(train);
        requireSameGeometry(train, test);
        NDManager manager = parent.newSubManager();
        try {
            ClassifierNetwork network = new ClassifierNetwork(train.numClasses());
            collectorLock.lock(); // libtorch's generator is process-wide; see GanTrainer
            try {
                Engine.getInstance().setRandomSeed((int) settings.seed()); // fixes the initial weights
                network.initialize(manager, trainImages.channels(), trainImages.side());
            } finally {
                collectorLock.unlock();
            }
            long start = System.nanoTime();
            new ClassifierTrainer(network, manager, trainImages, collectorLock)
                    .train(settings.epochs(), settings.batchSize(), settings.learningRate(), settings.seed());
            double seconds = (System.nanoTime() - start) / 1e9;
            double accuracy = accuracy(network, manager, new LabelledImages(test));
            return new FeatureClassifier(manager, network, new ClassifierInfo(train.name(), trainImages.channels(),
                    trainImages.side(), train.numClasses(), ClassifierNetwork.FEATURE_DIM, accuracy, seconds,
                    settings.epochs()));
        } catch (RuntimeException | Error e) {
            manager.close();
            throw e;
        }
    }

    private static void requireSameGeometry(Dataset train, Dataset test) {
        LabelledImages.requireLabelledSquareImages(test);
        if (!Arrays.equals(train.sampleShape(), test.sampleShape()) || train.numClasses() != test.numClasses()) {
            throw new IllegalArgumentException("test split " + test.name() + " (" + Arrays.toString(test.sampleShape())
                    + ", " + test.numClasses() + " classes) does not match training split " + train.name() + " ("
                    + Arrays.toString(train.sampleShape()) + ", " + train.numClasses() + " classes)");
        }
    }

    /**
     * N x {@link #featureDim()} penultimate activations (after ReLU) of N x C x H x W float images in
     * [-1, 1], computed without autograd. The result belongs to {@code images}' manager; nothing else
     * of the call outlives it.
     */
    public NDArray features(NDArray images) {
        return inference(images, (x, scratch) -> network.features(x, scratch, false));
    }

    /**
     * The same features as {@link #features}, but as part of the caller's autograd graph, for
     * gradients with respect to the images (projection's feature distance). The weights take no
     * gradient (loaded ones never do); every array of the pass lands on {@code images}' manager, so
     * give it images on a per-step scratch manager, inside the caller's gradient collector.
     */
    public NDArray differentiableFeatures(NDArray images) {
        requireImages(images);
        return network.features(images, images.getManager(), false);
    }

    /** N x {@link #numClasses()} softmax class probabilities of the images, on {@code images}' manager. */
    public NDArray probabilities(NDArray images) {
        return inference(images, (x, scratch) -> network.logits(x, scratch, false).softmax(1));
    }

    private NDArray inference(NDArray images, BiFunction<NDArray, NDManager, NDArray> pass) {
        requireImages(images);
        NDManager owner = images.getManager();
        try (GradModeOff noGraph = new GradModeOff(); NDManager scratch = manager.newSubManager()) {
            // Each op's result joins its first operand's manager: a copy owned by scratch makes every
            // intermediate land in scratch, not in the caller's manager where it would pile up.
            NDArray input = images.duplicate();
            input.attach(scratch);
            NDArray result = pass.apply(input, scratch);
            result.attach(owner);
            return result;
        }
    }

    private void requireImages(NDArray images) {
        Shape shape = images.getShape();
        int side = info.imageSize();
        boolean matches = shape.dimension() == 4 && shape.get(1) == info.channels() && shape.get(2) == side
                && shape.get(3) == side && images.getDataType() == DataType.FLOAT32;
        if (!matches) {
            throw new IllegalArgumentException("expected float32 images shaped N x " + info.channels() + " x "
                    + side + " x " + side + ", got " + images.getDataType() + " " + shape);
        }
    }

    /** Fraction of {@code labelled}'s images whose most probable class is their label. */
    public double accuracy(Dataset labelled) {
        LabelledImages data = new LabelledImages(labelled);
        if (data.channels() != info.channels() || data.side() != info.imageSize()
                || data.numClasses() != info.numClasses()) {
            throw new IllegalArgumentException("dataset " + labelled.name() + " does not match the classifier's "
                    + info.channels() + " x " + info.imageSize() + " x " + info.imageSize() + " images of "
                    + info.numClasses() + " classes");
        }
        return accuracy(network, manager, data);
    }

    private static double accuracy(ClassifierNetwork network, NDManager manager, LabelledImages data) {
        int[] order = data.inOrder();
        long correct = 0;
        try (GradModeOff noGraph = new GradModeOff()) {
            for (int from = 0; from < order.length; from += EVALUATION_BATCH) {
                int count = Math.min(EVALUATION_BATCH, order.length - from);
                try (NDManager scratch = manager.newSubManager()) {
                    NDArray images = data.images(scratch, order, from, count);
                    long[] predicted = network.logits(images, scratch, false).argMax(1).toLongArray();
                    for (int i = 0; i < count; i++) {
                        if (predicted[i] == data.label(from + i)) {
                            correct++;
                        }
                    }
                }
            }
        }
        return (double) correct / order.length;
    }

    /** Accuracy on the test split it was trained beside, measured once after training. */
    public double testAccuracy() {
        return info.testAccuracy();
    }

    public int featureDim() {
        return info.featureDim();
    }

    public int numClasses() {
        return info.numClasses();
    }

    public ClassifierInfo info() {
        return info;
    }

    /** Writes a header describing the classifier ({@link ClassifierInfo}), then its parameters. */
    public void save(DataOutputStream out) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(FORMAT_VERSION);
        out.writeUTF(info.dataset());
        out.writeInt(info.channels());
        out.writeInt(info.imageSize());
        out.writeInt(info.numClasses());
        out.writeInt(info.featureDim());
        out.writeDouble(info.testAccuracy());
        out.writeDouble(info.trainSeconds());
        out.writeInt(info.epochs());
        network.block().saveParameters(out);
    }

    /** Reads what {@link #save} wrote into fresh native memory under {@code parent}. */
    public static FeatureClassifier load(DataInputStream in, NDManager parent) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException("not a saved feature classifier");
        }
        int version = in.readInt();
        if (version != FORMAT_VERSION) {
            throw new IOException("feature classifier format " + version + " is not " + FORMAT_VERSION);
        }
        ClassifierInfo info;
        try {
            info = new ClassifierInfo(in.readUTF(), in.readInt(), in.readInt(), in.readInt(), in.readInt(),
                    in.readDouble(), in.readDouble(), in.readInt());
        } catch (IllegalArgumentException e) {
            throw new IOException("corrupt feature classifier header: " + e.getMessage(), e);
        }
        if (info.featureDim() != ClassifierNetwork.FEATURE_DIM) {
            throw new IOException("saved classifier has " + info.featureDim() + " features, this network "
                    + ClassifierNetwork.FEATURE_DIM);
        }
        Engine.getInstance(); // loads libtorch before any native call below
        NDManager manager = parent.newSubManager();
        try {
            ClassifierNetwork network = new ClassifierNetwork(info.numClasses());
            NativeArrays.loadParameters(network.block(), manager, in);
            return new FeatureClassifier(manager, network, info);
        } catch (MalformedModelException | RuntimeException e) {
            manager.close();
            throw new IOException("cannot load the feature classifier: " + e.getMessage(), e);
        }
    }

    /** Frees the weights; arrays already returned by {@link #features} stay with their callers. */
    @Override
    public void close() {
        manager.close();
    }
}
