package io.ganserve.inversion;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.ganserve.data.DatasetCatalog;
import io.ganserve.engine.MemoryBudget;
import io.ganserve.engine.NativeArrays;
import io.ganserve.engine.ResourceBudgets;
import io.ganserve.gan.cyclegan.CycleGanNetworks;
import io.ganserve.gan.cyclegan.Translation;
import io.ganserve.gan.cyclegan.TranslatorCost;
import io.ganserve.gan.cyclegan.TranslatorSpec;
import io.ganserve.registry.Checkpoint;
import io.ganserve.registry.ModelRegistry;
import io.ganserve.registry.TranslatorInfo;
import io.ganserve.sampling.NoModelException;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.Optional;

/**
 * Translation with a CycleGAN job's generators: an uploaded image in either direction, or a grid
 * of held-out images with their translations and round trips. A finished job translates with its
 * final generators; a running one with its newest checkpoint's.
 */
public final class TranslationService implements AutoCloseable {

    /** forward: the job's dataset to its target (G); backward: target to dataset (F). */
    public enum Direction { FORWARD, BACKWARD }

    /**
     * @param input the image as translated (C x H x W in [-1, 1])
     * @param output its translation
     * @param roundTrip the translation translated back
     */
    public record Translated(TranslatorInfo translator, Direction direction, float[] input, float[] output,
                             float[] roundTrip, int count) {

        public String from() {
            return direction == Direction.FORWARD ? translator.source() : translator.target();
        }

        public String to() {
            return direction == Direction.FORWARD ? translator.target() : translator.source();
        }
    }

    /** @param cost the networks' size, counted once when loaded (it builds a zero-filled copy of them) */
    private record Loaded(TranslatorInfo info, NDManager manager, Block forward, Block backward, TranslatorCost cost) {}

    private static final int CACHED = 2;

    private final ModelRegistry registry;
    private final DatasetCatalog catalog;
    private final ResourceBudgets budgets;
    private final NDManager manager;
    private final ImageUploads uploads;
    private final LoadedModels<Loaded> loaded;

    public TranslationService(ModelRegistry registry, DatasetCatalog catalog, ResourceBudgets budgets,
                              NDManager engineManager, InversionProperties properties) {
        this.registry = registry;
        this.catalog = catalog;
        this.budgets = budgets;
        this.manager = engineManager.newSubManager();
        this.uploads = new ImageUploads(properties.maxUploadBytes().toBytes());
        this.loaded = new LoadedModels<>(manager, CACHED, Loaded::manager);
    }

    // One translation at a time (a 32 px pass takes milliseconds): a cache eviction then never closes
    // the arrays of a pass in flight.

    /** Translates an uploaded PNG or JPEG (composited on white when transparent) of the translator's size. */
    public synchronized Translated translate(String jobId, Direction direction, byte[] image) {
        Loaded model = model(jobId);
        TranslatorSpec spec = model.info().spec();
        float[] pixels = uploads.image("image", image, spec.channels(), spec.side(), true);
        return run(model, direction, pixels, 1);
    }

    /** The first {@code n} held-out images of the direction's source domain, translated and back. */
    public synchronized Translated heldOut(String jobId, Direction direction, int n) {
        Loaded model = model(jobId);
        float[] pixels = heldOutImages(catalog, model.info(), direction, n);
        return run(model, direction, pixels, pixels.length / model.info().spec().imageLength());
    }

    /**
     * The first {@code n} held-out images of the job's dataset, translated forward and back by the
     * generators of {@code checkpoint}: the same images at every checkpoint, for a progress grid. The
     * generators are read into a manager of their own and closed at once, on the caller's thread,
     * outside the request budget and the cache: training pauses for it, and the job's price holds its
     * memory (a progress grid is no request, and must not push a translator people use out of the cache).
     */
    public static Translated heldOutAt(ModelRegistry registry, DatasetCatalog catalog, NDManager manager,
                                       TranslatorInfo run, Checkpoint checkpoint, int n) {
        TranslatorInfo info = new TranslatorInfo(run.jobId(), run.source(), run.target(), run.spec(),
                checkpoint.step(), run.createdAt());
        float[] pixels = heldOutImages(catalog, info, Direction.FORWARD, n);
        int count = pixels.length / info.spec().imageLength();
        try (NDManager own = manager.newSubManager()) {
            Generators g = read(registry, info, checkpoint, own);
            float[] output = Translation.run(g.forward(), info.spec(), own, pixels, count);
            float[] roundTrip = Translation.run(g.backward(), info.spec(), own, output, count);
            return new Translated(info, Direction.FORWARD, pixels, output, roundTrip, count);
        }
    }

    private static float[] heldOutImages(DatasetCatalog catalog, TranslatorInfo info, Direction direction, int n) {
        TranslatorSpec spec = info.spec();
        String source = direction == Direction.FORWARD ? info.source() : info.target();
        var images = catalog.loadEmoji(source, spec.side(), true).images();
        int count = Math.min(n, images.size());
        float[] pixels = new float[count * spec.imageLength()];
        for (int i = 0; i < count; i++) {
            images.copySample(i, pixels, i * spec.imageLength());
        }
        return pixels;
    }

    private Translated run(Loaded model, Direction direction, float[] pixels, int count) {
        TranslatorSpec spec = model.info().spec();
        TranslatorCost cost = model.cost();
        // two passes one after the other, a chunk each: the larger chunk's arrays at a time
        long bytes = (long) Float.BYTES * (Math.min(count, Translation.CHUNK) * cost.generatorActivations()
                + 2L * count * spec.imageLength());
        MemoryBudget lane = budgets.requestMemory();
        try (MemoryBudget.Reservation held = lane.reserve(bytes, budgets.requestWait(), "this translation")) {
            Block there = direction == Direction.FORWARD ? model.forward() : model.backward();
            Block back = direction == Direction.FORWARD ? model.backward() : model.forward();
            float[] output = Translation.run(there, spec, manager, pixels, count);
            float[] roundTrip = Translation.run(back, spec, manager, output, count);
            return new Translated(model.info(), direction, pixels, output, roundTrip, count);
        }
    }

    /** The job's generators: final when it finished, else its newest checkpoint's. */
    private synchronized Loaded model(String jobId) {
        String id = jobId != null ? jobId : newestFinished().orElseThrow(() -> new NoModelException(
                "no CycleGAN job has finished yet; name a running one with job, or POST /jobs with architecture cyclegan"));
        Optional<TranslatorInfo> finished = registry.translator(id);
        TranslatorInfo info;
        Checkpoint checkpoint = null;
        if (finished.isPresent()) {
            info = finished.get();
        } else {
            TranslatorInfo run = registry.translatorRun(id).orElseThrow(() -> new NoModelException(
                    "job " + id + " has no translator: it is not a CycleGAN job, or it has not started"));
            checkpoint = registry.latestCheckpoint(id).orElseThrow(() -> new NoModelException(
                    "job " + id + " has no checkpoint yet; try again after its first one"));
            info = new TranslatorInfo(run.jobId(), run.source(), run.target(), run.spec(), checkpoint.step(),
                    run.createdAt());
        }
        String key = id + "@" + info.step();
        Loaded cached = loaded.get(key);
        if (cached != null) {
            return cached;
        }
        Checkpoint from = checkpoint;
        return loaded.load(key, own -> {
            Generators g = read(registry, info, from, own);
            return new Loaded(info, own, g.forward(), g.backward(), TranslatorCost.of(info.spec()));
        });
    }

    private record Generators(Block forward, Block backward) {}

    /** G and F from the served file ({@code checkpoint} null) or from a checkpoint, their weights in {@code own}. */
    private static Generators read(ModelRegistry registry, TranslatorInfo info, Checkpoint checkpoint, NDManager own) {
        Block g = CycleGanNetworks.emptyGenerator(info.spec(), own);
        Block f = CycleGanNetworks.emptyGenerator(info.spec(), own);
        ModelRegistry.Reader<Void> read = in -> {
            load(g, own, in);
            load(f, own, in);
            return null;
        };
        if (checkpoint == null) {
            registry.readTranslator(info.jobId(), read);
        } else {
            registry.readCheckpoint(checkpoint, read); // a checkpoint starts with G and F, as the served file
        }
        return new Generators(g, f);
    }

    private static void load(Block block, NDManager manager, DataInputStream in) throws IOException {
        try {
            NativeArrays.loadParameters(block, manager, in);
        } catch (ai.djl.MalformedModelException e) {
            throw new IOException("the file does not match the translator's networks: " + e.getMessage(), e);
        }
    }

    /** The translator {@code POST /translations} uses without {@code job}: the newest finished one. */
    public Optional<String> newestFinished() {
        return registry.translators().stream().findFirst().map(TranslatorInfo::jobId);
    }

    @Override
    public synchronized void close() {
        loaded.clear();
        manager.close();
    }
}
