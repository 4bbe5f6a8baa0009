package io.ganserve.evaluation;

import ai.djl.ndarray.NDManager;
import io.ganserve.data.Dataset;
import io.ganserve.data.DatasetCatalog;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.Lock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One feature network per (dataset, image size), trained on the dataset's labelled training split
 * the first time an evaluation needs it and kept in the registry ({@code evaluation/} beside
 * {@code jobs/}), so later evaluations and restarts reuse it. Keeps the reference data of the
 * last few datasets in memory. Not thread-safe: the {@link Evaluator} serialises its callers.
 */
final class FeatureNetworks implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FeatureNetworks.class);
    private static final int KEEP_IN_MEMORY = 2;

    private final DatasetCatalog catalog;
    private final Path directory;
    private final NDManager manager;
    private final Lock collectorLock;
    private final ClassifierSettings settings;
    private final Map<String, ReferenceData> loaded = new LinkedHashMap<>(4, 0.75f, true);

    FeatureNetworks(DatasetCatalog catalog, Path directory, NDManager manager, Lock collectorLock,
                    ClassifierSettings settings) {
        this.catalog = catalog;
        this.directory = directory;
        this.manager = manager;
        this.collectorLock = collectorLock;
        this.settings = settings;
    }

    /** The reference data for {@code dataset} at {@code imageSize}, training its classifier if none is stored. */
    ReferenceData reference(String dataset, int imageSize) {
        String key = dataset + "-" + imageSize;
        ReferenceData data = loaded.get(key);
        if (data != null) {
            return data;
        }
        Dataset train = catalog.load(dataset, 0, imageSize);
        Dataset test = catalog.loadTestSplit(dataset, imageSize);
        // images too small for the network's two poolings are scored like an unlabelled set: no features
        FeatureClassifier classifier = Evaluator.scoresFeatures(train.numClasses() >= 2, imageSize)
                ? classifier(key, train, test) : null;
        data = new ReferenceData(train, test, classifier, manager);
        loaded.put(key, data);
        var it = loaded.entrySet().iterator();
        while (loaded.size() > KEEP_IN_MEMORY && it.hasNext()) {
            ReferenceData evicted = it.next().getValue();
            it.remove();
            closeQuietly(evicted);
        }
        return data;
    }

    /** The stored classifier's description, if one has been trained for this dataset and size. */
    java.util.Optional<ClassifierInfo> stored(String dataset, int imageSize) {
        Path file = file(dataset + "-" + imageSize);
        if (!Files.isRegularFile(file)) {
            return java.util.Optional.empty();
        }
        try (NDManager scratch = manager.newSubManager();
             DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)));
             FeatureClassifier c = FeatureClassifier.load(in, scratch)) {
            return java.util.Optional.of(c.info());
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    /** A copy of the stored classifier in memory of {@code parent}'s, for a caller to own and close; empty when none is stored. */
    java.util.Optional<FeatureClassifier> loadCopy(String dataset, int imageSize, NDManager parent) {
        Path file = file(dataset + "-" + imageSize);
        if (!Files.isRegularFile(file)) {
            return java.util.Optional.empty();
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            return java.util.Optional.of(FeatureClassifier.load(in, parent));
        } catch (IOException e) {
            log.warn("cannot load the feature network {} for inference: {}", file, e.getMessage());
            return java.util.Optional.empty();
        }
    }

    private FeatureClassifier classifier(String key, Dataset train, Dataset test) {
        Path file = file(key);
        if (Files.isRegularFile(file)) {
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
                return FeatureClassifier.load(in, manager);
            } catch (IOException e) {
                log.warn("retraining the feature network for {}: {} is unreadable ({})", key, file, e.getMessage());
            }
        }
        log.info("training the feature network for {} on {} labelled images", key, train.size());
        FeatureClassifier trained = FeatureClassifier.train(train, test, settings, manager, collectorLock);
        log.info("feature network for {}: test accuracy {} after {} s", key,
                String.format("%.4f", trained.testAccuracy()), String.format("%.1f", trained.info().trainSeconds()));
        save(file, trained);
        return trained;
    }

    private static void save(Path file, FeatureClassifier classifier) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
                classifier.save(out);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("could not store the feature network at " + file, e);
        }
    }

    private Path file(String key) {
        return directory.resolve(key + ".classifier");
    }

    private static void closeQuietly(ReferenceData data) {
        if (data.classifier() != null) {
            data.classifier().close();
        }
        data.close();
    }

    @Override
    public void close() {
        loaded.values().forEach(FeatureNetworks::closeQuietly);
        loaded.clear();
    }
}
