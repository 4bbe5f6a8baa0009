package io.ganserve.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.ganserve.data.DataKind;
import io.ganserve.data.Dataset;
import io.ganserve.data.DatasetCatalog;
import io.ganserve.data.DatasetLocations;
import io.ganserve.engine.GradModeOff;
import io.ganserve.engine.GradientCollectors;
import io.ganserve.engine.NativeArrays;
import io.ganserve.evaluation.ClassifierSettings;
import io.ganserve.evaluation.FeatureClassifier;
import io.ganserve.gan.ChunkedForward;
import io.ganserve.gan.EncoderNetwork;
import io.ganserve.gan.GanModelZoo;
import io.ganserve.gan.NetworkSpec;
import io.ganserve.inversion.Projector;
import io.ganserve.jobs.JobDefaults;
import io.ganserve.jobs.JobRequest;
import io.ganserve.registry.TrainingConfig;
import io.ganserve.training.BatchSource;
import io.ganserve.training.EncoderSettings;
import io.ganserve.training.EncoderTrainer;
import io.ganserve.training.GanTrainer;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import tools.jackson.databind.json.JsonMapper;

/**
 * Learned inference and projection on Fashion-MNIST (docs/inference.md): trains the default
 * DCGAN-28 for {@code inversion.ganSteps} steps, the feature network and an encoder (each cached
 * under {@code inversion.dir}, so a second run only measures), then on the first
 * {@code inversion.images} test images, which no network trained on, reports the mean per-pixel L1
 * and feature distance of E alone, of projection from a random start and of projection from E
 * (same step count), the time per projection, and inpainting of the lower half against filling
 * it with the mean training image or with a random sample's lower half. Fixed seeds throughout.
 * Run with {@code ./mvnw -q test-compile exec:exec@inversion}, one intra-op thread.
 */
public final class InversionBench {

    private static final int BATCH = 50;

    private InversionBench() {}

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        new io.ganserve.engine.EngineProperties(io.ganserve.engine.EngineProperties.DeviceChoice.AUTO,
                Integer.getInteger("bench.threads", 1)).applyToEngine();
        Engine.getEngine("PyTorch");
        JniUtils.setGradMode(false);
        int ganSteps = Integer.getInteger("inversion.ganSteps", 1500);
        int encoderSteps = Integer.getInteger("inversion.encoderSteps", EncoderSettings.DEFAULTS.steps());
        int images = Integer.getInteger("inversion.images", 1000);
        int steps = Integer.getInteger("inversion.steps", 100);
        float rate = Float.parseFloat(System.getProperty("inversion.rate", "0.05"));
        float weight = Float.parseFloat(System.getProperty("inversion.featureWeight", "0.02"));
        Path dir = Path.of(System.getProperty("inversion.dir", "target/inversion-bench"));
        Files.createDirectories(dir);
        Path scratch = Files.createTempDirectory("inversion-bench");
        DatasetCatalog catalog = new DatasetCatalog(new DatasetLocations(scratch.resolve("no-mnist"),
                Path.of("/usr/share/datasets/fashion-mnist"), scratch, 1000));
        Dataset train = catalog.load("fashion-mnist", 0, 28);
        Dataset test = catalog.loadTestSplit("fashion-mnist", 28);
        JobRequest request = JsonMapper.builder().build().readValue(
                "{\"dataset\":\"fashion-mnist\",\"steps\":" + ganSteps + ",\"seed\":1}", JobRequest.class);
        TrainingConfig config = JobDefaults.resolve(request, DataKind.IMAGES, 28, 0);
        NetworkSpec spec = config.networkFor(train);
        System.out.printf("load average %s; DCGAN-28 latent %d, featureMaps %d, %d GAN steps, %d encoder steps, "
                        + "%d projection steps (rate %.3f, feature weight %.3f), %d test images%n",
                Files.readString(Path.of("/proc/loadavg")).trim(), spec.latentDim(), spec.featureMaps(), ganSteps,
                encoderSteps, steps, rate, weight, images);
        try (NDManager m = NDManager.newBaseManager()) {
            Block g = generator(config, spec, train, m, dir.resolve("generator-" + ganSteps + ".bin"));
            FeatureClassifier features = featureNetwork(train, test, m, dir.resolve("fashion-mnist-28.classifier"));
            Block e = encoder(spec, g, m, dir.resolve("encoder-" + ganSteps + "-" + encoderSteps + ".bin"), encoderSteps);
            measure(spec, g, e, features, train, test, m, images, new Projector.Settings(steps, rate, weight));
        }
    }

    private static Block generator(TrainingConfig config, NetworkSpec spec, Dataset train, NDManager m, Path file)
            throws Exception {
        if (!Files.exists(file)) {
            BatchSource batches = new BatchSource(train, config.batchSize(), config.discriminatorSteps(),
                    config.latentDim(), config.seed());
            long start = System.nanoTime();
            try (GanTrainer trainer = new GanTrainer(config, spec, batches, m, GradientCollectors.lock());
                 DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
                for (long s = 0; s < config.steps(); s++) {
                    trainer.step(s);
                    if ((s + 1) % 250 == 0) {
                        System.out.printf("  GAN step %d, %.0f s%n", s + 1, (System.nanoTime() - start) / 1e9);
                    }
                }
                trainer.servedGenerator().saveParameters(out);
            }
            System.out.printf("trained the GAN in %.0f s%n", (System.nanoTime() - start) / 1e9);
        }
        Block g = GanModelZoo.emptyGenerator(spec, m);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            NativeArrays.loadParameters(g, m, in); // loaded weights take no gradient: projection moves z only
        }
        return g;
    }

    private static FeatureClassifier featureNetwork(Dataset train, Dataset test, NDManager m, Path file) throws Exception {
        if (!Files.exists(file)) {
            long start = System.nanoTime();
            try (FeatureClassifier trained = FeatureClassifier.train(train, test, ClassifierSettings.DEFAULTS, m,
                    GradientCollectors.lock());
                 DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
                trained.save(out);
                System.out.printf("trained the feature network in %.0f s, test accuracy %.4f%n",
                        (System.nanoTime() - start) / 1e9, trained.testAccuracy());
            }
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            return FeatureClassifier.load(in, m);
        }
    }

    private static Block encoder(NetworkSpec spec, Block g, NDManager m, Path file, int steps) throws Exception {
        if (!Files.exists(file)) {
            EncoderSettings settings = new EncoderSettings(steps, EncoderSettings.DEFAULTS.batchSize(),
                    EncoderSettings.DEFAULTS.learningRate(), 1);
            long start = System.nanoTime();
            try (EncoderTrainer trainer = new EncoderTrainer(spec, settings, (target, z, n) ->
                    ChunkedForward.run(g, target, z, n, spec.generatorInputDim(), 64), m, GradientCollectors.lock());
                 DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
                double before = trainer.validationError();
                for (long s = 0; s < steps; s++) {
                    float loss = trainer.step(s);
                    if ((s + 1) % 500 == 0) {
                        System.out.printf("  encoder step %d, batch latent MSE %.4f, %.0f s%n", s + 1, loss,
                                (System.nanoTime() - start) / 1e9);
                    }
                }
                System.out.printf("trained the encoder in %.0f s; held-out latent MSE %.4f (untrained %.4f)%n",
                        (System.nanoTime() - start) / 1e9, trainer.validationError(), before);
                trainer.saveEncoder(out);
            }
        }
        Block e = EncoderNetwork.empty(spec, m);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            NativeArrays.loadParameters(e, m, in);
        }
        return e;
    }

    /** Sums of per-image errors over the images measured. */
    private static final class Tally {
        double l1;
        double feature;
        double hiddenL1;
        int n;

        void add(float[] images, float[] truth, NDArray truthFeatures, FeatureClassifier f, NDManager m, int length,
                 boolean lowerOnly) {
            int count = images.length / length;
            try (NDManager s = m.newSubManager()) {
                NDArray x = s.create(images, new Shape(count, 1, 28, 28));
                float[] d = f.features(x).sub(truthFeatures).square().sum(new int[] {1}).sqrt().toFloatArray();
                for (int i = 0; i < count; i++) {
                    feature += d[i];
                    double sum = 0;
                    double hidden = 0;
                    for (int p = 0; p < length; p++) {
                        double diff = Math.abs(images[i * length + p] - truth[i * length + p]) / 2; // [0, 1] pixels
                        sum += diff;
                        if (p >= length / 2) {
                            hidden += diff;
                        }
                    }
                    l1 += sum / length;
                    hiddenL1 += hidden / (length / 2.0);
                }
            }
            n += count;
        }

        Figure figure() {
            return new Figure(l1 / n, feature / n);
        }

        String row(String name, double seconds) {
            return String.format("%-44s %10.4f %12.3f %12.4f %10.1f", name, l1 / n, feature / n, hiddenL1 / n,
                    1000 * seconds);
        }
    }

    /** Mean pixel L1 and feature distance of one method over the images measured. */
    public record Figure(double pixelL1, double featureDistance) {}

    /** Every method's figures: E alone, projection from random and from E, inpainting and its two baselines. */
    public record Figures(Figure encoder, Figure fromRandom, Figure fromEncoder, Figure inpainting, Figure meanFill,
                          Figure sampleFill) {}

    /**
     * Measures the methods on the first {@code count} images of {@code test} (see the class comment)
     * and prints the table; {@code g} and {@code e} must hold loaded (gradient-free) weights.
     */
    public static Figures measure(NetworkSpec spec, Block g, Block e, FeatureClassifier features, Dataset train,
                                  Dataset test, NDManager m, int count, Projector.Settings settings) {
        int length = test.sampleLength();
        int d = spec.latentDim();
        float[] mean = new float[length];
        float[] one = new float[length];
        for (int i = 0; i < train.size(); i++) {
            train.copySample(i, one, 0);
            for (int p = 0; p < length; p++) {
                mean[p] += one[p] / train.size();
            }
        }
        Projector.Generator differentiable = z -> g.forward(new ParameterStore(z.getManager(), false), new NDList(z),
                false).singletonOrThrow();
        Projector withFeatures = new Projector(differentiable, features::differentiableFeatures, d,
                GradientCollectors.lock());
        Tally encoderOnly = new Tally();
        Tally fromRandom = new Tally();
        Tally fromEncoder = new Tally();
        Tally inpaint = new Tally();
        Tally meanFill = new Tally();
        Tally sampleFill = new Tally();
        double[] seconds = new double[4];
        Random rng = new Random(17);
        for (int from = 0; from < count; from += BATCH) {
            int n = Math.min(BATCH, count - from);
            float[] truth = new float[n * length];
            for (int i = 0; i < n; i++) {
                test.copySample(from + i, truth, i * length);
            }
            try (NDManager s = m.newSubManager()) {
                NDArray truthFeatures = features.features(s.create(truth, new Shape(n, 1, 28, 28)));
                long t0 = System.nanoTime();
                float[] encoded = encode(e, s, truth, n);
                float[] encodedImages = generate(g, s, encoded, n, d);
                seconds[0] += (System.nanoTime() - t0) / 1e9;
                encoderOnly.add(encodedImages, truth, truthFeatures, features, s, length, false);

                float[] noise = new float[n * d];
                for (int i = 0; i < noise.length; i++) {
                    noise[i] = (float) rng.nextGaussian();
                }
                t0 = System.nanoTime();
                Projector.Result random = withFeatures.project(s, truth, new int[] {1, 28, 28}, null, noise, settings);
                seconds[1] += (System.nanoTime() - t0) / 1e9;
                fromRandom.add(random.images(), truth, truthFeatures, features, s, length, false);
                t0 = System.nanoTime();
                Projector.Result started = withFeatures.project(s, truth, new int[] {1, 28, 28}, null, encoded, settings);
                seconds[2] += (System.nanoTime() - t0) / 1e9;
                fromEncoder.add(started.images(), truth, truthFeatures, features, s, length, false);

                // inpainting the lower half: only the upper half is known
                float[] visible = new float[n * length];
                float[] meanFilled = truth.clone();
                float[] sampleFilled = truth.clone();
                float[] samples = generate(g, s, noise, n, d);
                for (int i = 0; i < n; i++) {
                    for (int p = 0; p < length; p++) {
                        boolean upper = p < length / 2;
                        visible[i * length + p] = upper ? 1 : 0;
                        if (!upper) {
                            meanFilled[i * length + p] = mean[p];
                            sampleFilled[i * length + p] = samples[i * length + p];
                        }
                    }
                }
                meanFill.add(meanFilled, truth, truthFeatures, features, s, length, true);
                sampleFill.add(sampleFilled, truth, truthFeatures, features, s, length, true);
                t0 = System.nanoTime();
                float[] known = truth.clone();
                for (int i = 0; i < known.length; i++) {
                    if (visible[i] == 0) {
                        known[i] = 0; // as the service does: hidden pixels become mid grey and steer nothing
                    }
                }
                float[] guess = encode(e, s, known, n); // the encoder's guess, as the service starts it
                Projector.Result completed = withFeatures.project(s, known, new int[] {1, 28, 28}, visible, guess,
                        settings);
                seconds[3] += (System.nanoTime() - t0) / 1e9;
                float[] composite = truth.clone();
                for (int i = 0; i < composite.length; i++) {
                    if (visible[i] == 0) {
                        composite[i] = completed.images()[i];
                    }
                }
                inpaint.add(composite, truth, truthFeatures, features, s, length, true);
            }
            System.out.printf("  %d images: E %.4f / %.3f, random %.4f / %.3f, from E %.4f / %.3f%n", from + n,
                    encoderOnly.l1 / encoderOnly.n, encoderOnly.feature / encoderOnly.n, fromRandom.l1 / fromRandom.n,
                    fromRandom.feature / fromRandom.n, fromEncoder.l1 / fromEncoder.n, fromEncoder.feature / fromEncoder.n);
        }
        double single = singleImageSeconds(withFeatures, e, g, test, m, d, settings);
        System.out.printf("%n%-44s %10s %12s %12s %10s%n", "method (" + count + " test images)", "pixel L1",
                "feature dist", "lower-half L1", "ms/image");
        System.out.println(encoderOnly.row("encoder alone, E(x)", seconds[0] / count));
        System.out.println(fromRandom.row("projection from random, " + settings.steps() + " steps", seconds[1] / count));
        System.out.println(fromEncoder.row("projection from E(x), " + settings.steps() + " steps", seconds[2] / count));
        System.out.println(inpaint.row("inpaint lower half: projection on upper", seconds[3] / count));
        System.out.println(meanFill.row("inpaint lower half: mean training image", 0));
        System.out.println(sampleFill.row("inpaint lower half: random sample's", 0));
        System.out.printf("one image alone (batch 1), from E, %d steps: %.3f s per projection (median of 20)%n",
                settings.steps(), single);
        return new Figures(encoderOnly.figure(), fromRandom.figure(), fromEncoder.figure(), inpaint.figure(),
                meanFill.figure(), sampleFill.figure());
    }

    private static double singleImageSeconds(Projector projector, Block e, Block g, Dataset test, NDManager m, int d,
                                             Projector.Settings settings) {
        double[] times = new double[20];
        float[] x = new float[test.sampleLength()];
        for (int i = 0; i < times.length; i++) {
            test.copySample(5000 + i, x, 0);
            try (NDManager s = m.newSubManager()) {
                long t0 = System.nanoTime();
                projector.project(s, x, new int[] {1, 28, 28}, null, encode(e, s, x, 1), settings);
                times[i] = (System.nanoTime() - t0) / 1e9;
            }
        }
        java.util.Arrays.sort(times);
        return times[times.length / 2];
    }

    private static float[] encode(Block e, NDManager s, float[] images, int n) {
        try (NDManager one = s.newSubManager(); GradModeOff off = new GradModeOff()) {
            return e.forward(new ParameterStore(one, false), new NDList(one.create(images, new Shape(n, 1, 28, 28))),
                    false).singletonOrThrow().toFloatArray();
        }
    }

    private static float[] generate(Block g, NDManager s, float[] z, int n, int d) {
        try (NDManager one = s.newSubManager(); GradModeOff off = new GradModeOff()) {
            return ChunkedForward.run(g, one, z, n, d, 64).toFloatArray();
        }
    }
}
