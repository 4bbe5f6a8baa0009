package io.ganserve.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.pytorch.jni.JniUtils;
import io.ganserve.data.DataKind;
import io.ganserve.data.Dataset;
import io.ganserve.data.DatasetCatalog;
import io.ganserve.data.DatasetLocations;
import io.ganserve.data.EmojiImages;
import io.ganserve.engine.EngineProperties;
import io.ganserve.engine.GradientCollectors;
import io.ganserve.evaluation.ClassifierSettings;
import io.ganserve.evaluation.EvaluationCost;
import io.ganserve.evaluation.Evaluator;
import io.ganserve.evaluation.FeatureClassifier;
import io.ganserve.evaluation.SampleSource;
import io.ganserve.gan.ChunkedForward;
import io.ganserve.gan.GanModelZoo;
import io.ganserve.gan.LatentInputs;
import io.ganserve.gan.MultiplyAdds;
import io.ganserve.gan.NetworkSpec;
import io.ganserve.jobs.JobDefaults;
import io.ganserve.jobs.JobRequest;
import io.ganserve.registry.EvaluationPlan;
import io.ganserve.registry.Scores;
import io.ganserve.registry.TrainingConfig;
import io.ganserve.sampling.render.ImageBatch;
import io.ganserve.sampling.render.ImageGrid;
import io.ganserve.sampling.render.PngEncoder;
import io.ganserve.training.BatchSource;
import io.ganserve.training.GanTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import tools.jackson.databind.json.JsonMapper;

/**
 * A conditional DCGAN (class = emoji category) on {@code emoji-google} at 64 x 64 x 3, trained by
 * the service's trainer from a job request, then scored as the service scores a job (the
 * evaluation's feature network trained on the categories; FD against the held-out split and its
 * real-vs-real floor, precision/recall) and judged by category: the feature network's share of
 * conditional samples it calls the requested category, beside its accuracy on real held-out emoji.
 * Prints the training rate against the float32 matmul ceiling and writes a grid with a row per
 * category. Run with {@code ./mvnw -q test-compile exec:exec@emoji} (docs/evaluation.md); not a test.
 *
 * <p>Settings (system properties): {@code emoji.steps} (1600), {@code emoji.featureMaps} (32),
 * {@code emoji.batch} (64), {@code emoji.seed} (1), {@code emoji.threads} (1 intra-op thread),
 * {@code emoji.samples} (10,000 generated images for the scores, the service's default),
 * {@code emoji.perClass} (100 conditional samples per category for the category accuracy),
 * {@code emoji.judgeEpochs} (15: a second judge, the feature network trained longer; 0 for none),
 * {@code emoji.columns} (at most 8 samples per row of the grid, fewer where the PNG would pass
 * {@code emoji.pngBytes}, 300,000), {@code emoji.png} (docs/emoji-dcgan.png;
 * empty for none), {@code emoji.dir} (/usr/share/datasets/emoji), {@code emoji.trainOnly} (time
 * the training alone, for choosing a budget).
 */
public final class EmojiDcganBench {

    static final String DATASET = "emoji-google";
    static final int SIDE = 64;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Padding between grid tiles, as the service's grids have. */
    private static final int GRID_PADDING = 2;

    private EmojiDcganBench() {}

    public static void main(String[] args) throws IOException {
        int steps = Integer.getInteger("emoji.steps", 1600);
        int featureMaps = Integer.getInteger("emoji.featureMaps", 32);
        int batch = Integer.getInteger("emoji.batch", 64);
        long seed = Long.getLong("emoji.seed", 1);
        int threads = Integer.getInteger("emoji.threads", 1);
        int samples = Integer.getInteger("emoji.samples", EvaluationPlan.IMAGE_SAMPLES);
        int perClass = Integer.getInteger("emoji.perClass", 100);
        int columns = Integer.getInteger("emoji.columns", 8);
        int pngBytes = Integer.getInteger("emoji.pngBytes", 300_000);
        String png = System.getProperty("emoji.png", "docs/emoji-dcgan.png");
        Path emojiDir = Path.of(System.getProperty("emoji.dir", DatasetLocations.DEFAULT_EMOJI_DIR.toString()));
        boolean trainOnly = Boolean.getBoolean("emoji.trainOnly");
        int judgeEpochs = Integer.getInteger("emoji.judgeEpochs", 15);

        System.setProperty("ai.djl.offline", "true");
        System.setProperty("java.awt.headless", "true");
        new EngineProperties(EngineProperties.DeviceChoice.AUTO, threads).applyToEngine();
        Engine engine = Engine.getEngine("PyTorch");
        JniUtils.setGradMode(false);
        System.out.printf("engine %s %s, device %s, %d CPU cores, %s intra-op threads; load average %s%n",
                engine.getEngineName(), engine.getVersion(), engine.defaultDevice(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("ai.djl.pytorch.num_threads"),
                loadAverage());

        Path work = Files.createTempDirectory("ganserve-emoji-bench");
        DatasetCatalog catalog = new DatasetCatalog(new DatasetLocations(Path.of("/usr/share/datasets/mnist"),
                Path.of("/usr/share/datasets/fashion-mnist"), work.resolve("folders"), 100_000, emojiDir));
        Dataset train = catalog.load(DATASET, 0, SIDE);
        Dataset heldOut = catalog.loadTestSplit(DATASET, SIDE);
        System.out.printf("%s at %d px: %d training images, %d held out, %d categories%n", DATASET, SIDE, train.size(),
                heldOut.size(), train.numClasses());

        double ceilingBefore = Bench.matmulRate();
        System.out.printf("ceiling: float32 matrix multiply (1024 x 1024) %.1f GFLOP/s; load average %s%n",
                ceilingBefore, loadAverage());

        TrainingConfig config = JobDefaults.resolve(JSON.readValue("""
                {"dataset":"%s","conditional":true,"imageSize":%d,"featureMaps":%d,"batchSize":%d,"steps":%d,"seed":%d}"""
                .formatted(DATASET, SIDE, featureMaps, batch, steps, seed), JobRequest.class), DataKind.IMAGES, SIDE, 0);
        NetworkSpec spec = config.networkFor(train);

        try (NDManager manager = NDManager.newBaseManager();
             Evaluator evaluator = new Evaluator(catalog, work.resolve("evaluation"), manager,
                     GradientCollectors.lock(), ClassifierSettings.DEFAULTS);
             GanTrainer trainer = new GanTrainer(config, spec, new BatchSource(train, config.batchSize(),
                     config.discriminatorSteps(), config.latentDim(), config.seed()), manager, GradientCollectors.lock())) {
            long g = MultiplyAdds.forward(trainer.generator(), GanModelZoo.latentShape(spec, 1));
            long d = discriminatorMultiplyAdds(trainer.discriminator(), spec);
            long perImage = MultiplyAdds.trainingIteration(g, d, config.discriminatorSteps());
            System.out.printf("conditional DCGAN, featureMaps %d, batch %d, seed %d, %s loss: G %.1f M, D %.1f M "
                            + "multiply-adds per image forward, %.1f M per training image%n", featureMaps, config.batchSize(),
                    config.seed(), config.loss(), g / 1e6, d / 1e6, perImage / 1e6);

            if (!trainOnly) {
                // the untrained generator's scores: the other end of the scale, and the feature network trained here
                long start = System.nanoTime();
                Scores untrained = evaluator.evaluate(DATASET, SIDE, samplesOf(trainer, spec), samples, seed);
                System.out.printf("step 0 (untrained G), %d samples: FD %.2f, floor %.2f, precision %.3f, recall %.3f; "
                                + "feature network trained and scored in %.1f s%n", samples, untrained.frechetDistance(),
                        untrained.frechetFloor(), untrained.precision(), untrained.recall(), seconds(start));
            }

            String loadBefore = loadAverage();
            long start = System.nanoTime();
            long timedFrom = 0;
            for (long s = 0; s < config.steps(); s++) {
                if (s == Math.min(5, config.steps() - 1)) {
                    timedFrom = System.nanoTime(); // the first steps warm libtorch's kernels and allocator
                }
                trainer.step(s);
                if ((s + 1) % 100 == 0 || s + 1 == config.steps()) {
                    System.out.printf("  step %d: %.1f s%n", s + 1, seconds(start));
                }
            }
            double trainSeconds = seconds(start);
            double steadySeconds = seconds(timedFrom);
            long steadySteps = config.steps() - Math.min(5, config.steps() - 1);
            String loadAfter = loadAverage();
            double ceilingAfter = Bench.matmulRate();
            double imagesPerSecond = (double) config.steps() * config.batchSize() / trainSeconds;
            double steadyImagesPerSecond = (double) steadySteps * config.batchSize() / steadySeconds;
            double achieved = steadyImagesPerSecond * perImage * 2 / 1e9;
            System.out.printf("%ntrained %d steps of %d in %.1f s (%.2f s/step): %.1f images/s overall, %.1f images/s "
                            + "after the first 5 steps = %.2f GFLOP/s; load average %s before, %s after%n",
                    config.steps(), config.batchSize(), trainSeconds, trainSeconds / config.steps(), imagesPerSecond,
                    steadyImagesPerSecond, achieved, loadBefore, loadAfter);
            System.out.printf("matmul ceiling %.1f GFLOP/s before, %.1f after: %.0f%% / %.0f%% of it; the ceiling "
                            + "would allow %.1f images/s%n", ceilingBefore, ceilingAfter, 100 * achieved / ceilingBefore,
                    100 * achieved / ceilingAfter, ceilingBefore * 1e9 / (2.0 * perImage));
            if (trainOnly) {
                return;
            }

            start = System.nanoTime();
            Scores scores = evaluator.evaluate(DATASET, SIDE, samplesOf(trainer, spec), samples, seed);
            System.out.printf("%nstep %d, %d samples vs %d held-out images: FD %.2f, floor (%d train vs held out) %.2f, "
                            + "precision %.3f, recall %.3f, IS %.2f +- %.2f; feature network's held-out accuracy %.3f "
                            + "(%.1f s)%n", config.steps(), samples, heldOut.size(), scores.frechetDistance(),
                    train.size(), scores.frechetFloor(), scores.precision(), scores.recall(), scores.inceptionScore(),
                    scores.inceptionScoreStd(), scores.classifierAccuracy(), seconds(start));

            int classes = spec.numClasses();
            int[] wanted = new int[classes * perClass];
            for (int i = 0; i < wanted.length; i++) {
                wanted[i] = i / perClass;
            }
            int[] heldOutLabels = labels(heldOut);
            int[] sizes = new int[classes];
            for (int label : heldOutLabels) {
                sizes[label]++;
            }
            System.out.printf("held-out categories: %s; always answering the largest is right on %.1f%%%n",
                    Arrays.toString(sizes), 100.0 * Arrays.stream(sizes).max().orElse(0) / heldOut.size());
            try (NDManager scratch = manager.newSubManager()) {
                NDArray images = conditional(trainer, spec, scratch, wanted, new Random(seed * 31 + 7));
                try (FeatureClassifier featureNetwork = evaluator.featureNetworkCopy(DATASET, SIDE, scratch)
                        .orElseThrow(() -> new IllegalStateException("the evaluation trained no feature network"))) {
                    judge("the evaluation's feature network (" + ClassifierSettings.DEFAULTS.epochs() + " epochs)",
                            featureNetwork, images, wanted, heldOut, heldOutLabels, scratch);
                }
                if (judgeEpochs > 0) {
                    // the service's 3 epochs were sized for 60,000 Fashion-MNIST images: a judge trained longer
                    // on the same network shows whether a weak reading is the generator's or the judge's
                    start = System.nanoTime();
                    try (FeatureClassifier longer = FeatureClassifier.train(train, heldOut,
                            ClassifierSettings.DEFAULTS.withEpochs(judgeEpochs), scratch, GradientCollectors.lock())) {
                        judge("the same network trained " + judgeEpochs + " epochs (" + Math.round(seconds(start))
                                + " s)", longer, images, wanted, heldOut, heldOutLabels, scratch);
                    }
                }
            }
            if (!png.isEmpty()) {
                writeGrid(trainer, spec, manager, columns, seed, pngBytes, Path.of(png));
            }
        }
    }

    /**
     * The discriminator's multiply-adds per image. {@link MultiplyAdds#forward} reads a sequence of
     * layers; a conditional DCGAN's projection discriminator is three blocks (φ, ψ, the class
     * embedding), so each is counted on its own input.
     */
    static long discriminatorMultiplyAdds(Block discriminator, NetworkSpec spec) {
        if (discriminator instanceof SequentialBlock) {
            return MultiplyAdds.forward(discriminator, GanModelZoo.sampleShape(spec, 1));
        }
        List<Block> parts = new ArrayList<>(discriminator.getChildren().values()); // φ, ψ, embedding
        Shape imageShape = GanModelZoo.sampleShape(spec, 1); // φ sees the image alone; the label planes go to the embedding
        Shape features = parts.get(0).getOutputShapes(new Shape[] {imageShape})[0];
        return MultiplyAdds.forward(parts.get(0), imageShape) + MultiplyAdds.forward(parts.get(1), features)
                + MultiplyAdds.forward(parts.get(2), new Shape(1, spec.numClasses()));
    }

    /** The served generator as the service's evaluations draw from it: z and a uniformly drawn category. */
    private static SampleSource samplesOf(GanTrainer trainer, NetworkSpec spec) {
        return (target, n, seed) -> ChunkedForward.run(trainer.servedGenerator(), target,
                LatentInputs.draw(spec, n, new Random(seed)), n, spec.generatorInputDim(), EvaluationCost.GENERATOR_PASS);
    }

    /** Images of the requested categories, one per entry of {@code wanted}, z drawn from {@code rng}. */
    private static NDArray conditional(GanTrainer trainer, NetworkSpec spec, NDManager target, int[] wanted, Random rng) {
        int width = spec.generatorInputDim();
        int latent = spec.latentDim();
        float[] input = new float[wanted.length * width];
        for (int i = 0; i < wanted.length; i++) {
            for (int j = 0; j < latent; j++) {
                input[i * width + j] = (float) rng.nextGaussian();
            }
            input[i * width + latent + wanted[i]] = 1; // G's input: z, then the one-hot category
        }
        return ChunkedForward.run(trainer.servedGenerator(), target, input, wanted.length, width,
                EvaluationCost.GENERATOR_PASS);
    }

    private static int[] labels(Dataset data) {
        int[] labels = new int[data.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = data.label(i);
        }
        return labels;
    }

    private static long[] judgeReal(FeatureClassifier judge, Dataset data, NDManager manager) {
        int length = data.sampleLength();
        float[] pixels = new float[data.size() * length];
        for (int i = 0; i < data.size(); i++) {
            data.copySample(i, pixels, i * length);
        }
        int[] shape = data.sampleShape();
        try (NDManager scratch = manager.newSubManager()) {
            NDArray images = scratch.create(pixels, new Shape(data.size(), shape[0], shape[1], shape[2]));
            return judge.probabilities(images).argMax(1).toLongArray();
        }
    }

    /** The judge's category accuracy on real held-out emoji and on the conditional samples, per category. */
    private static void judge(String name, FeatureClassifier judge, NDArray conditionalImages, int[] wanted,
                              Dataset heldOut, int[] heldOutLabels, NDManager manager) {
        System.out.printf("%njudged by %s:%n", name);
        report("real held-out emoji", confusion(heldOutLabels, judgeReal(judge, heldOut, manager), judge.numClasses()));
        try (NDManager scratch = manager.newSubManager()) {
            NDArray probabilities = judge.probabilities(conditionalImages);
            probabilities.attach(scratch); // lands on the images' manager; freed here
            report("conditional samples (" + wanted.length / judge.numClasses() + " per category)",
                    confusion(wanted, probabilities.argMax(1).toLongArray(), judge.numClasses()));
        }
    }

    /** counts[wanted][judged] over all images. */
    static int[][] confusion(int[] wanted, long[] judged, int classes) {
        if (wanted.length != judged.length) {
            throw new IllegalArgumentException(wanted.length + " requested classes but " + judged.length + " judgements");
        }
        int[][] counts = new int[classes][classes];
        for (int i = 0; i < wanted.length; i++) {
            counts[wanted[i]][(int) judged[i]]++;
        }
        return counts;
    }

    /** The share of images judged the class they were asked for (or have): the diagonal over the total. */
    static double accuracy(int[][] confusion) {
        long right = 0;
        long all = 0;
        for (int c = 0; c < confusion.length; c++) {
            right += confusion[c][c];
            all += Arrays.stream(confusion[c]).sum();
        }
        return all == 0 ? Double.NaN : (double) right / all;
    }

    private static void report(String what, int[][] confusion) {
        StringBuilder perClass = new StringBuilder();
        for (int c = 0; c < confusion.length; c++) {
            perClass.append(String.format("%n    %-18s %4d / %4d", EmojiImages.CATEGORIES.get(c), confusion[c][c],
                    Arrays.stream(confusion[c]).sum()));
        }
        System.out.printf("category accuracy of %s: %.1f%%; per category:%s%n", what, 100 * accuracy(confusion), perClass);
    }

    /**
     * A row per category, the same latents in every row: the most columns, up to {@code maxColumns},
     * whose PNG stays within {@code maxBytes} (a picture for the docs; generated backgrounds are
     * never quite white, so the size is known only once it is encoded).
     */
    private static void writeGrid(GanTrainer trainer, NetworkSpec spec, NDManager manager, int maxColumns, long seed,
                                  int maxBytes, Path file) throws IOException {
        int classes = spec.numClasses();
        int width = spec.generatorInputDim();
        int latent = spec.latentDim();
        Random rng = new Random(seed * 1_000_003L + 11);
        float[] z = new float[maxColumns * latent];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) rng.nextGaussian();
        }
        float[] input = new float[classes * maxColumns * width];
        for (int c = 0; c < classes; c++) {
            for (int k = 0; k < maxColumns; k++) {
                int row = (c * maxColumns + k) * width;
                System.arraycopy(z, k * latent, input, row, latent);
                input[row + latent + c] = 1;
            }
        }
        float[] pixels;
        try (NDManager scratch = manager.newSubManager()) {
            pixels = ChunkedForward.run(trainer.servedGenerator(), scratch, input, classes * maxColumns, width,
                    EvaluationCost.GENERATOR_PASS).add(1).div(2).clip(0, 1).toFloatArray();
        }
        int length = 3 * SIDE * SIDE;
        for (int columns = maxColumns; columns >= 1; columns--) {
            float[] kept = new float[classes * columns * length];
            for (int c = 0; c < classes; c++) { // each row's first {@code columns} samples
                System.arraycopy(pixels, c * maxColumns * length, kept, c * columns * length, columns * length);
            }
            byte[] encoded = PngEncoder.encode(ImageGrid.grid(new ImageBatch(classes * columns, 3, SIDE, SIDE, kept),
                    columns, GRID_PADDING, 1));
            if (encoded.length <= maxBytes || columns == 1) {
                Files.write(file, encoded);
                System.out.printf("%nwrote %s: %d rows (categories, in the order above) x %d samples, %d bytes%n", file,
                        classes, columns, encoded.length);
                return;
            }
        }
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
