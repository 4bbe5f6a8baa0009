package io.ganserve.inversion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.ganserve.data.DatasetCatalog;
import io.ganserve.engine.GradModeOff;
import io.ganserve.engine.MemoryBudget;
import io.ganserve.engine.NativeArrays;
import io.ganserve.engine.ResourceBudgets;
import io.ganserve.gan.SemiSupervisedNetwork;
import io.ganserve.registry.Checkpoint;
import io.ganserve.registry.ModelRegistry;
import io.ganserve.registry.SemiSupervisedInfo;
import io.ganserve.sampling.NoModelException;
import java.io.IOException;
import java.util.Comparator;
import java.util.Optional;

/**
 * Classifies uploaded images with a semi-supervised job's classifier (Salimans et al.'s K-class
 * discriminator, docs/inference.md). A finished job answers with its final classifier; a running
 * one with its newest checkpoint's.
 */
public final class ClassificationService implements AutoCloseable {

    /**
     * @param probabilities over the K real classes: the softmax of the classifier's logits
     * @param real D(x) = Z / (Z + 1), Z = Σ exp(logit): the discriminator's belief that the image is a
     *     real one rather than a generated one (the implicit (K+1)-th class)
     */
    public record Classified(SemiSupervisedInfo classifier, double[] probabilities, double real) {

        /** The most probable class (the lowest label among equals). */
        public int predicted() {
            int best = 0;
            for (int k = 1; k < probabilities.length; k++) {
                if (probabilities[k] > probabilities[best]) {
                    best = k;
                }
            }
            return best;
        }
    }

    private record Loaded(SemiSupervisedInfo info, NDManager manager, SemiSupervisedNetwork network,
                          SemiSupervisedNetwork.Cost cost) {}

    private static final int CACHED = 2;

    private final ModelRegistry registry;
    private final DatasetCatalog catalog;
    private final ResourceBudgets budgets;
    private final NDManager manager;
    private final ImageUploads uploads;
    private final LoadedModels<Loaded> loaded;

    public ClassificationService(ModelRegistry registry, DatasetCatalog catalog, ResourceBudgets budgets,
                                 NDManager engineManager, InversionProperties properties) {
        this.registry = registry;
        this.catalog = catalog;
        this.budgets = budgets;
        this.manager = engineManager.newSubManager();
        this.uploads = new ImageUploads(properties.maxUploadBytes().toBytes());
        this.loaded = new LoadedModels<>(manager, CACHED, Loaded::manager);
    }

    // One classification at a time (one small forward pass): a cache eviction then never closes the
    // arrays of a pass in flight.

    /**
     * Classifies a PNG or JPEG of the classifier's size and channels; an emoji classifier's
     * transparent pixels are composited on white first, as its training images were.
     *
     * @param jobId the semi-supervised job; null for the newest finished one
     */
    public synchronized Classified classify(String jobId, byte[] image) {
        Loaded model = model(jobId);
        SemiSupervisedNetwork.Spec spec = model.info().spec();
        float[] pixels = uploads.image("image", image, spec.channels(), spec.side(), catalog.isEmoji(model.info().dataset()));
        long bytes = (long) Float.BYTES * (model.cost().activationsPerExample() + spec.imageLength());
        MemoryBudget lane = budgets.requestMemory();
        float[] logits;
        try (MemoryBudget.Reservation held = lane.reserve(bytes, budgets.requestWait(), "this classification");
             NDManager pass = manager.newSubManager();
             GradModeOff noGraph = new GradModeOff()) {
            NDArray x = pass.create(pixels, new Shape(1, spec.channels(), spec.side(), spec.side()));
            SemiSupervisedNetwork network = model.network();
            logits = network.logits(network.features(x, pass, false), pass, false).toFloatArray();
        }
        return classified(model.info(), logits);
    }

    /** Softmax over the K logits, and D(x) = σ(logsumexp(logits)), in doubles. */
    static Classified classified(SemiSupervisedInfo info, float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int k = 0; k < logits.length; k++) {
            p[k] = Math.exp(logits[k] - max);
            sum += p[k];
        }
        for (int k = 0; k < p.length; k++) {
            p[k] /= sum;
        }
        double logZ = max + Math.log(sum);
        double real = 1 / (1 + Math.exp(-logZ));
        return new Classified(info, p, real);
    }

    /** The job's classifier: final when it finished, else its newest checkpoint's. */
    private Loaded model(String jobId) {
        String id = jobId != null ? jobId : newestFinished().orElseThrow(() -> new NoModelException(
                "no semi-supervised job has finished yet; name a running one with job, or POST /jobs with "
                        + "architecture semi-supervised"));
        Optional<SemiSupervisedInfo> finished = registry.classifier(id);
        SemiSupervisedInfo info;
        Checkpoint checkpoint = null;
        if (finished.isPresent()) {
            info = finished.get();
        } else {
            SemiSupervisedInfo run = registry.classifierRun(id).orElseThrow(() -> new NoModelException(
                    "job " + id + " has no classifier: it is not a semi-supervised job, or it has not started"));
            checkpoint = registry.latestCheckpoint(id).orElseThrow(() -> new NoModelException(
                    "job " + id + " has no checkpoint yet; try again after its first one"));
            info = new SemiSupervisedInfo(run.jobId(), run.dataset(), run.spec(), run.classNames(), run.labels(),
                    checkpoint.step(), run.createdAt());
        }
        String key = id + "@" + info.step();
        Loaded cached = loaded.get(key);
        if (cached != null) {
            return cached;
        }
        Checkpoint from = checkpoint;
        return loaded.load(key, own -> {
            SemiSupervisedNetwork network = SemiSupervisedNetwork.empty(info.spec(), own);
            ModelRegistry.Reader<Void> read = in -> {
                try {
                    NativeArrays.loadParameters(network.block(), own, in);
                } catch (ai.djl.MalformedModelException e) {
                    throw new IOException("the file does not match the classifier: " + e.getMessage(), e);
                }
                return null;
            };
            if (from == null) {
                registry.readClassifier(id, read);
            } else {
                registry.readCheckpoint(from, read); // a checkpoint starts with the classifier, as the served file
            }
            return new Loaded(info, own, network, SemiSupervisedNetwork.cost(info.spec()));
        });
    }

    private Optional<String> newestFinished() {
        return registry.jobIds().stream()
                .map(registry::classifier)
                .flatMap(Optional::stream)
                .max(Comparator.comparing(SemiSupervisedInfo::createdAt))
                .map(SemiSupervisedInfo::jobId);
    }

    @Override
    public synchronized void close() {
        loaded.clear();
        manager.close();
    }
}
