package io.ganserve.inversion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.ganserve.engine.GradModeOff;
import io.ganserve.engine.GradientCollectors;
import io.ganserve.engine.MemoryBudget;
import io.ganserve.engine.NativeArrays;
import io.ganserve.engine.ResourceBudgets;
import io.ganserve.evaluation.Evaluator;
import io.ganserve.evaluation.FeatureClassifier;
import io.ganserve.gan.EncoderNetwork;
import io.ganserve.gan.LatentCodes;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.index.NDIndex;
import io.ganserve.gan.NetworkSpec;
import io.ganserve.registry.EncoderRecord;
import io.ganserve.registry.ModelInfo;
import io.ganserve.registry.ModelRegistry;
import io.ganserve.sampling.GeneratorSnapshot;
import io.ganserve.sampling.ServingModels;
import io.ganserve.sampling.latent.LatentPath;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * From image to latent, for a served generator: projection ({@link Projector}) started from the
 * job's encoder when it has one (unconditional generators; a conditional one is projected once per
 * class from random noise, and the class that comes closest is the answer) ({@code POST /jobs/{id}/encoder}) or from random noise, morphs
 * between two projected images, and inpainting by projecting on the visible pixels only. The
 * feature distance uses the evaluation's feature network for the job's dataset when one is stored
 * (every image job's evaluation trains it); without one, projection uses pixels alone and says so.
 *
 * <p>Every request prices its native memory ({@link InversionCost}) and reserves it before it runs:
 * what can never fit is refused, what fits but not now waits briefly and then is refused as busy.
 * The work runs on one thread of its own: its autograd passes take the process-wide gradient lock
 * step by step anyway, and one thread keeps its tensors in one allocator arena.
 */
public final class InversionService implements AutoCloseable {

    /** Where a projection starts. */
    public enum Start { AUTO, ENCODER, RANDOM }

    /** @param steps Adam steps on z; @param seed draws the random start */
    public record Options(int steps, Start start, long seed) {}

    /**
     * One image's projection.
     *
     * @param start {@code encoder} or {@code random}: where it actually started
     * @param reconstruction G(latent), C x H x W pixels in [0, 1]
     * @param pixelL1 mean |G(z) − x| per pixel on [0, 1] (over the visible pixels for inpainting)
     * @param featureDistance Euclidean distance between the feature network's features of G(z) and x; null without one
     * @param startPixelL1 the same error at the start, before any step
     * @param label a conditional model's class whose projection came closest; null for an unconditional one
     * @param category an InfoGAN model's categorical code value that came closest; null without one
     * @param continuous an InfoGAN model's continuous codes found with z; empty without them
     */
    public record Projection(ModelInfo model, long step, String start, int steps, float[] latent,
                             float[] reconstruction, double pixelL1, Double featureDistance, double startPixelL1,
                             double seconds, Integer label, Integer category, float[] continuous) {

        /** InfoGAN's codes as {@code GET /samples?code=} names them (c1 the categorical one, then the continuous); null without. */
        public java.util.Map<String, Double> codes() {
            if (category == null && continuous.length == 0) {
                return null;
            }
            java.util.Map<String, Double> named = new java.util.LinkedHashMap<>();
            int index = 1;
            if (category != null) {
                named.put("c" + index++, (double) category);
            }
            for (float value : continuous) {
                named.put("c" + index++, (double) value);
            }
            return named;
        }
    }

    /** @param images the two uploads at the ends and the generated path between them, each C x H x W in [0, 1] */
    public record Morph(ModelInfo model, long step, int count, float[] images, Projection from, Projection to) {}

    /**
     * @param completion G(z*) in full
     * @param composite the upload's visible pixels with G(z*)'s in the hidden ones
     */
    public record Inpainting(Projection projection, float[] completion, float[] composite, int hiddenPixels) {}

    private final ServingModels models;
    private final ModelRegistry registry;
    private final Evaluator evaluator;
    private final ResourceBudgets budgets;
    private final NDManager manager;
    private final InversionProperties properties;
    private final ImageUploads uploads;
    private final LoadedModels<LoadedEncoder> encoders;
    private final Map<String, FeatureClassifier> features = new LinkedHashMap<>(4, 0.75f, true);
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "gan-inversion");
        t.setDaemon(true);
        return t;
    });

    private record LoadedEncoder(EncoderRecord record, NDManager manager, Block block) {}

    private static final int CACHED = 4;

    public InversionService(ServingModels models, ModelRegistry registry, Evaluator evaluator, ResourceBudgets budgets,
                            NDManager engineManager, InversionProperties properties) {
        this.models = models;
        this.registry = registry;
        this.evaluator = evaluator;
        this.budgets = budgets;
        this.manager = engineManager.newSubManager();
        this.encoders = new LoadedModels<>(manager, CACHED, LoadedEncoder::manager);
        this.properties = properties;
        this.uploads = new ImageUploads(properties.maxUploadBytes().toBytes());
    }

    public InversionProperties properties() {
        return properties;
    }

    /** Whether the job has a trained encoder to start from. */
    public boolean hasEncoder(String jobId) {
        return registry.encoderRecord(jobId).filter(r -> EncoderRecord.SUCCEEDED.equals(r.status())).isPresent()
                && registry.hasEncoder(jobId);
    }

    public Projection project(String jobId, byte[] image, Options options) {
        try (ServingModels.Lease lease = lease(jobId)) {
            GeneratorSnapshot g = supported(lease.snapshot());
            float[] x = uploads.image("image", image, channels(g), side(g));
            return run(g, copies(g), () -> projectAll(g, x, null, 1, options)[0]);
        }
    }

    public Morph morph(String jobId, byte[] a, byte[] b, int outputs, LatentPath.Method method, Options options) {
        try (ServingModels.Lease lease = lease(jobId)) {
            GeneratorSnapshot g = supported(lease.snapshot());
            float[] xa = uploads.image("a", a, channels(g), side(g));
            float[] xb = uploads.image("b", b, channels(g), side(g));
            float[] both = new float[xa.length * 2];
            System.arraycopy(xa, 0, both, 0, xa.length);
            System.arraycopy(xb, 0, both, xa.length, xb.length);
            return run(g, Math.max(2 * copies(g), outputs), () -> {
                Projection[] ends = projectAll(g, both, null, 2, options);
                float[][] path = LatentPath.path(ends[0].latent(), ends[1].latent(), outputs, method);
                float[] latents = new float[outputs * g.latentDim()];
                for (int i = 0; i < outputs; i++) {
                    System.arraycopy(path[i], 0, latents, i * g.latentDim(), g.latentDim());
                }
                float[] generated = g.numClasses() == 0 && !g.codes().isPresent() ? g.generate(latents, outputs)
                        : blendedPath(g, path, ends[0], ends[1]);
                int length = xa.length;
                float[] strip = new float[(outputs + 2) * length];
                System.arraycopy(unit(xa), 0, strip, 0, length);
                System.arraycopy(generated, 0, strip, length, generated.length);
                System.arraycopy(unit(xb), 0, strip, (outputs + 1) * length, length);
                return new Morph(g.model(), g.step(), outputs + 2, strip, ends[0], ends[1]);
            });
        }
    }

    /**
     * A conditional or InfoGAN generator's walk: the noise along the path, the one-hot class and
     * categorical code and the continuous codes blended linearly from a's to b's.
     */
    private float[] blendedPath(GeneratorSnapshot g, float[][] path, Projection a, Projection b) {
        int d = g.latentDim();
        int k = g.numClasses();
        LatentCodes codes = g.codes();
        int width = g.model().network().generatorInputDim();
        int outputs = path.length;
        float[] inputs = new float[outputs * width];
        for (int i = 0; i < outputs; i++) {
            float t = (float) i / (outputs - 1);
            int row = i * width;
            System.arraycopy(path[i], 0, inputs, row, d);
            if (k > 0) {
                inputs[row + d + a.label()] += 1 - t;
                inputs[row + d + b.label()] += t;
            }
            int at = row + d + k;
            if (codes.categorical() > 0) {
                inputs[at + a.category()] += 1 - t;
                inputs[at + b.category()] += t;
            }
            for (int j = 0; j < codes.continuous(); j++) {
                inputs[at + codes.categorical() + j] = (1 - t) * a.continuous()[j] + t * b.continuous()[j];
            }
        }
        try (NDManager pass = manager.newSubManager()) {
            return unit(g.forward(pass, inputs, outputs).toFloatArray());
        }
    }

    /** A hidden rectangle, in pixels from the top left. */
    public record Rectangle(int x, int y, int width, int height) {}

    /** @param mask a mask image (white = hidden), or null when {@code rectangle} says what is hidden */
    public Inpainting inpaint(String jobId, byte[] image, byte[] mask, Rectangle rectangle, Options options) {
        try (ServingModels.Lease lease = lease(jobId)) {
            GeneratorSnapshot g = supported(lease.snapshot());
            int channels = channels(g);
            int side = side(g);
            float[] x = uploads.image("image", image, channels, side);
            float[] visible = mask != null ? uploads.mask("mask", mask, channels, side) : rectangle(rectangle, channels, side);
            int hidden = 0;
            for (float v : visible) {
                hidden += v == 0 ? 1 : 0;
            }
            if (hidden == visible.length) {
                throw new InvalidImageException(mask != null ? "mask" : "rectangle",
                        "hides every pixel: nothing is left to project on");
            }
            int hiddenPixels = hidden / channels;
            float[] known = x.clone();
            for (int i = 0; i < known.length; i++) {
                if (visible[i] == 0) {
                    known[i] = 0; // what lies under the mask never steers anything
                }
            }
            return run(g, copies(g), () -> {
                Projection p = projectAll(g, known, visible, 1, options)[0];
                float[] completion = p.reconstruction();
                float[] composite = unit(known);
                for (int i = 0; i < composite.length; i++) {
                    if (visible[i] == 0) {
                        composite[i] = completion[i];
                    }
                }
                return new Inpainting(p, completion, composite, hiddenPixels);
            });
        }
    }

    private static float[] rectangle(Rectangle r, int channels, int side) {
        if (r == null) {
            throw new InvalidImageException("mask", "is required unless x, y, width and height name the hidden rectangle");
        }
        if (r.x() < 0 || r.y() < 0 || r.width() < 1 || r.height() < 1 || r.x() + r.width() > side
                || r.y() + r.height() > side) {
            throw new InvalidImageException("rectangle", "x, y, width and height must lie within the " + side + " x "
                    + side + " image, with width and height at least 1; got " + r);
        }
        float[] visible = new float[channels * side * side];
        java.util.Arrays.fill(visible, 1);
        for (int c = 0; c < channels; c++) {
            for (int y = r.y(); y < r.y() + r.height(); y++) {
                for (int x = r.x(); x < r.x() + r.width(); x++) {
                    visible[(c * side + y) * side + x] = 0;
                }
            }
        }
        return visible;
    }

    private ServingModels.Lease lease(String jobId) {
        return jobId == null ? models.leaseLatest() : models.lease(jobId);
    }

    /**
     * Image generators: a conditional one is projected once per class, an InfoGAN one once per value
     * of its categorical code, its continuous codes found with z.
     */
    private static GeneratorSnapshot supported(GeneratorSnapshot g) {
        NetworkSpec spec = g.model().network();
        String reason = !spec.isImage() ? "it generates points, not images" : null;
        if (reason != null) {
            throw new UnsupportedModelException("the generator of job " + g.model().jobId() + " cannot be inverted: "
                    + reason);
        }
        return g;
    }

    /** Projections one upload costs: one per class and categorical code value. */
    private static int copies(GeneratorSnapshot g) {
        return Math.max(1, g.numClasses()) * Math.max(1, g.codes().categorical());
    }

    private static int channels(GeneratorSnapshot g) {
        return g.model().network().sampleShape().get(0);
    }

    private static int side(GeneratorSnapshot g) {
        return g.model().network().sampleShape().get(1);
    }

    /** Prices, reserves and runs {@code work} on the inversion thread. */
    private <T> T run(GeneratorSnapshot g, int images, java.util.function.Supplier<T> work) {
        long bytes = InversionCost.nativeBytes(g.model().network(), images);
        MemoryBudget memory = budgets.requestMemory();
        memory.checkCanEverFit(bytes, "this request (" + images + " images)");
        try (MemoryBudget.Reservation reserved = memory.reserve(bytes, budgets.requestWait(), "a projection")) {
            return io.ganserve.engine.Futures.await(worker.submit(work::get), "projecting");
        }
    }

    /** On the inversion thread: starts, projects and measures {@code n} images (model range) at once. */
    private Projection[] projectAll(GeneratorSnapshot g, float[] targets, float[] visible, int n, Options options) {
        long begin = System.nanoTime();
        NetworkSpec spec = g.model().network();
        int d = g.latentDim();
        int[] shape = {spec.sampleShape().get(0), spec.sampleShape().get(1), spec.sampleShape().get(2)};
        int length = spec.sampleLength();
        String jobId = g.model().jobId();
        LoadedEncoder encoder = options.start() == Start.RANDOM ? null : encoder(jobId);
        if (encoder != null && encoder.record().generatorStep() != g.step()) {
            encoder = null; // trained for other weights of this job than the ones served: not a guess for these
        }
        if (options.start() == Start.ENCODER && encoder == null) {
            throw new UnsupportedModelException("job " + jobId + " has no trained encoder: POST /jobs/" + jobId
                    + "/encoder trains one, or ask for start=random");
        }
        FeatureClassifier f = featureNetwork(g.model());
        int k = g.numClasses();
        LatentCodes codes = g.codes();
        int categories = Math.max(1, codes.categorical());
        int continuous = codes.continuous();
        int v = d + continuous; // what Adam moves: the noise, then InfoGAN's continuous codes
        try (NDManager work = manager.newSubManager()) {
            float[] start;
            if (encoder != null) {
                try (NDManager pass = work.newSubManager(); GradModeOff off = new GradModeOff()) {
                    // for inpainting the encoder sees the hidden pixels at the mid grey the upload's zeros are
                    NDArray x = pass.create(targets, new Shape(n, shape[0], shape[1], shape[2]));
                    start = encoder.block().forward(new ParameterStore(pass, false), new NDList(x), false)
                            .singletonOrThrow().toFloatArray();
                }
            } else {
                Random rng = new Random(options.seed());
                start = new float[n * v];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < v; j++) {
                        start[i * v + j] = j < d ? (float) rng.nextGaussian() : (float) (rng.nextDouble() * 2 - 1);
                    }
                }
            }
            int copies = copies(g);
            int m = n * copies;
            // one candidate per class and categorical value: row i·copies + c is image i under choice c
            float[] candidates = repeat(targets, length, copies);
            float[] candidateMask = visible == null ? null : repeat(visible, length, copies);
            float[] candidateStart = repeat(start, v, copies);
            Projector.Generator generator = g::differentiableForward;
            if (k > 0 || codes.isPresent()) {
                float[] classes = new float[m * Math.max(1, k)];
                float[] values = new float[m * Math.max(1, codes.categorical())];
                for (int r = 0; r < m; r++) {
                    int c = r % copies;
                    classes[r * Math.max(1, k) + c / categories] = 1;
                    values[r * Math.max(1, codes.categorical()) + c % categories] = 1;
                }
                generator = z -> {
                    NDManager on = z.getManager();
                    NDList parts = new NDList(continuous > 0 ? z.get(new NDIndex(":, 0:" + d)) : z);
                    if (k > 0) {
                        parts.add(owned(on, classes, new Shape(m, k)));
                    }
                    if (codes.categorical() > 0) {
                        parts.add(owned(on, values, new Shape(m, codes.categorical())));
                    }
                    if (continuous > 0) {
                        parts.add(z.get(new NDIndex(":, " + d + ":")));
                    }
                    return g.differentiableForward(NDArrays.concat(parts, 1));
                };
            }
            Projector projector = new Projector(generator, f == null ? null : f::differentiableFeatures, v,
                    GradientCollectors.lock());
            Projector.Settings settings = new Projector.Settings(options.steps(), properties.learningRate(),
                    properties.featureWeight());
            Projector.Result all = projector.project(work, candidates, shape, candidateMask, candidateStart, settings);
            int[] chosen = new int[n];
            float[] found = new float[n * v];
            float[] images = new float[n * length];
            for (int i = 0; i < n; i++) {
                int best = 0;
                for (int c = 1; c < copies; c++) {
                    if (all.losses()[i * copies + c] < all.losses()[i * copies + best]) {
                        best = c;
                    }
                }
                chosen[i] = best;
                System.arraycopy(all.latents(), (i * copies + best) * v, found, i * v, v);
                System.arraycopy(all.images(), (i * copies + best) * length, images, i * length, length);
            }
            float[] startImages = startImages(g, work, start, chosen, v, categories);
            double[] featureDistances = f == null ? null : featureDistances(f, work, images, targets, visible,
                    n, shape);
            double seconds = (System.nanoTime() - begin) / 1e9;
            Projection[] out = new Projection[n];
            for (int i = 0; i < n; i++) {
                float[] latent = java.util.Arrays.copyOfRange(found, i * v, i * v + d);
                float[] codesFound = java.util.Arrays.copyOfRange(found, i * v + d, (i + 1) * v);
                float[] image = unit(java.util.Arrays.copyOfRange(images, i * length, (i + 1) * length));
                float[] target = unit(java.util.Arrays.copyOfRange(targets, i * length, (i + 1) * length));
                float[] mask = visible == null ? null : java.util.Arrays.copyOfRange(visible, i * length, (i + 1) * length);
                float[] first = java.util.Arrays.copyOfRange(startImages, i * length, (i + 1) * length);
                out[i] = new Projection(g.model(), g.step(), encoder != null ? "encoder" : "random", options.steps(),
                        latent, image, l1(image, target, mask), featureDistances == null ? null : featureDistances[i],
                        l1(first, target, mask), seconds, k == 0 ? null : chosen[i] / categories,
                        codes.categorical() == 0 ? null : chosen[i] % categories, codesFound);
            }
            return out;
        }
    }

    /** G at each image's start, under the class and categorical value its projection chose; pixels in [0, 1]. */
    private static float[] startImages(GeneratorSnapshot g, NDManager work, float[] start, int[] chosen, int v,
                                       int categories) {
        int n = chosen.length;
        int d = g.latentDim();
        int k = g.numClasses();
        LatentCodes codes = g.codes();
        int width = g.model().network().generatorInputDim();
        float[] inputs = new float[n * width];
        for (int i = 0; i < n; i++) {
            int row = i * width;
            System.arraycopy(start, i * v, inputs, row, d);
            if (k > 0) {
                inputs[row + d + chosen[i] / categories] = 1;
            }
            if (codes.categorical() > 0) {
                inputs[row + d + k + chosen[i] % categories] = 1;
            }
            System.arraycopy(start, i * v + d, inputs, row + d + k + codes.categorical(), v - d);
        }
        try (NDManager pass = work.newSubManager()) {
            return unit(g.forward(pass, inputs, n).toFloatArray());
        }
    }

    /** Each row of {@code width} values repeated {@code copies} times in place. */
    private static float[] repeat(float[] rows, int width, int copies) {
        if (copies == 1) {
            return rows;
        }
        int n = rows.length / width;
        float[] out = new float[rows.length * copies];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < copies; c++) {
                System.arraycopy(rows, i * width, out, (i * copies + c) * width, width);
            }
        }
        return out;
    }

    /** A libtorch-owned copy, safe to keep in an autograd graph (see NativeArrays). */
    private static NDArray owned(NDManager manager, float[] values, Shape shape) {
        NDArray wrapped = manager.create(values, shape);
        NDArray copy = wrapped.duplicate();
        wrapped.close();
        return copy;
    }

    /** ‖f(G(z)) − f(x)‖ per image; with a mask, both with the hidden pixels blanked, as the projection compared them. */
    private static double[] featureDistances(FeatureClassifier f, NDManager work, float[] images, float[] targets,
                                             float[] visible, int n, int[] shape) {
        try (NDManager pass = work.newSubManager(); GradModeOff off = new GradModeOff()) {
            Shape s = new Shape(n, shape[0], shape[1], shape[2]);
            NDArray a = pass.create(images, s);
            NDArray b = pass.create(targets, s);
            if (visible != null) {
                NDArray mask = pass.create(visible, s);
                NDArray fill = NativeArrays.plus(mask, -1f);
                a = a.mul(mask).add(fill);
                b = b.mul(mask).add(fill);
            }
            float[] d = f.features(a).sub(f.features(b)).square().sum(new int[] {1}).sqrt().toFloatArray();
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = d[i];
            }
            return out;
        }
    }

    private static double l1(float[] image, float[] target, float[] visible) {
        double sum = 0;
        int count = 0;
        for (int i = 0; i < image.length; i++) {
            if (visible == null || visible[i] != 0) {
                sum += Math.abs(image[i] - target[i]);
                count++;
            }
        }
        return count == 0 ? 0 : sum / count;
    }

    /** The model's [−1, 1] to pixels in [0, 1]. */
    private static float[] unit(float[] modelRange) {
        float[] out = new float[modelRange.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.min(1f, Math.max(0f, (modelRange[i] + 1f) / 2f));
        }
        return out;
    }

    /** The job's encoder, loaded once per trained record; null when it has none. On the inversion thread only. */
    private LoadedEncoder encoder(String jobId) {
        EncoderRecord record = registry.encoderRecord(jobId)
                .filter(r -> EncoderRecord.SUCCEEDED.equals(r.status())).orElse(null);
        if (record == null || !registry.hasEncoder(jobId)) {
            return null;
        }
        LoadedEncoder cached = encoders.get(jobId);
        if (cached != null && cached.record().equals(record)) {
            return cached;
        }
        NetworkSpec spec = registry.model(jobId).map(ModelInfo::network).orElse(null);
        if (spec == null) {
            return null;
        }
        return encoders.load(jobId, own -> {
            Block block = EncoderNetwork.empty(spec, own);
            registry.readEncoder(jobId, in -> {
                try {
                    NativeArrays.loadParameters(block, own, in);
                } catch (ai.djl.MalformedModelException e) {
                    throw new java.io.IOException("the encoder does not match the generator's network: "
                            + e.getMessage(), e);
                }
                return block;
            });
            return new LoadedEncoder(record, own, block);
        });
    }

    /** The feature network for the model's dataset, once one is stored. On the inversion thread only. */
    private FeatureClassifier featureNetwork(ModelInfo model) {
        if (!(properties.featureWeight() > 0)) {
            return null;
        }
        String key = model.config().dataset() + "-" + model.config().imageSize();
        FeatureClassifier cached = features.get(key);
        if (cached != null) {
            return cached;
        }
        FeatureClassifier loaded = evaluator.featureNetworkCopy(model.config().dataset(), model.config().imageSize(),
                manager).orElse(null);
        if (loaded == null) {
            return null;
        }
        if (loaded.info().channels() != model.network().sampleShape().get(0)) {
            loaded.close();
            return null;
        }
        features.put(key, loaded);
        while (features.size() > CACHED) {
            var eldest = features.entrySet().iterator();
            eldest.next().getValue().close();
            eldest.remove();
        }
        return loaded;
    }

    /** Waits for the request in progress, then frees the cached encoders and feature networks. */
    @Override
    public void close() {
        worker.shutdownNow();
        try {
            worker.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        features.values().forEach(FeatureClassifier::close);
        manager.close();
    }
}
