package io.ganserve.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Lists, describes and imports datasets: the catalog's built-in ones, uploads (a folder with a
 * {@link DatasetImporter#MANIFEST}) and folders put under the image folder root by hand.
 */
public final class DatasetLibrary {

    private static final System.Logger LOG = System.getLogger(DatasetLibrary.class.getName());

    private final DatasetCatalog catalog;
    private final DatasetImporter importer;
    private final int pointCount;
    // lenient like the model registry's: a manifest from another version still reads
    private final ObjectMapper json = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public DatasetLibrary(DatasetCatalog catalog, DatasetImporter importer, int pointCount) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.importer = Objects.requireNonNull(importer, "importer");
        this.pointCount = pointCount;
    }

    /** Built-in datasets first, in catalog order, then folders by name. Cheap: no image is opened. */
    public List<DatasetSummary> list() {
        List<DatasetSummary> all = new ArrayList<>();
        catalog.builtinNames().forEach(name -> all.add(summary(name, false)));
        catalog.folderNames().forEach(name -> all.add(summary(name, false)));
        return all;
    }

    /** One dataset; for a hand-made folder this counts its images and classes. */
    public DatasetSummary describe(String name) {
        if (!catalog.builtinNames().contains(name) && catalog.folder(name).isEmpty()) {
            throw new UnknownDatasetException(name, catalog.imageFolderRoot());
        }
        return summary(name, true);
    }

    /** Imports an upload (see {@link DatasetImporter#importDataset}) and describes the new dataset. */
    public DatasetSummary upload(String name, DatasetImporter.Part file, DatasetImporter.Part labels) {
        importer.importDataset(name, file, labels);
        return summary(name, true);
    }

    public UploadLimits uploadLimits() {
        return importer.limits();
    }

    private DatasetSummary summary(String name, boolean detailed) {
        Optional<GaussianMixture> mixture = catalog.mixture(name);
        if (mixture.isPresent()) {
            return new DatasetSummary(name, "points", "builtin", true, "mixture", true, pointCount,
                    mixture.get().modeCount(), null, null, null, null, null, null, null);
        }
        boolean builtin = catalog.builtinNames().contains(name);
        Optional<DatasetManifest> manifest = builtin ? Optional.empty() : catalog.folder(name).flatMap(this::manifest);
        String source = builtin ? "builtin" : manifest.isPresent() ? "uploaded" : "folder";
        DatasetInfo info;
        try {
            info = catalog.describe(name);
        } catch (DatasetUnavailableException | IdxFormatException | UncheckedIOException e) {
            return new DatasetSummary(name, "images", source, false, manifest.map(DatasetManifest::format).orElse(null),
                    null, null, null, null, null, null, null, null, null, e.getMessage());
        }
        if (catalog.isEmoji(name)) {
            return emojiSummary(name, info);
        }
        if (manifest.isPresent()) {
            DatasetManifest m = manifest.get();
            return new DatasetSummary(name, "images", source, true, m.format(), !m.classes().isEmpty(), m.images(),
                    m.classes().size(), m.classes(), positive(m.width()), positive(m.height()), m.bytes(),
                    m.uploadedAt(), m.filename(), null);
        }
        if (IdxSplit.present(info.location(), IdxSplit.TRAIN_PREFIX)) {
            return idxSummary(name, source, info);
        }
        Integer samples = null;
        List<String> classNames = null;
        if (detailed) {
            ImageFolderLayout layout = ImageFolderLayout.scan(info.location());
            samples = layout.files().size();
            classNames = layout.classNames();
        }
        return new DatasetSummary(name, "images", source, true, "images", info.labelled(), samples,
                classNames == null ? null : classNames.size(), classNames, null, null, null, null, null, null);
    }

    /** Counted from the folder, not decoded: listing stays cheap. */
    private static DatasetSummary emojiSummary(String name, DatasetInfo info) {
        int files;
        try (java.util.stream.Stream<java.nio.file.Path> pngs = java.nio.file.Files.list(info.location().resolve("64"))) {
            files = (int) pngs.filter(p -> p.getFileName().toString().endsWith(".png")).count();
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
        int side = EmojiImages.SOURCE_SIDE;
        return new DatasetSummary(name, "images", "builtin", true, "emoji", true, files,
                EmojiImages.CATEGORIES.size(), EmojiImages.CATEGORIES, side, side, null, null, null, null);
    }

    private DatasetSummary idxSummary(String name, String source, DatasetInfo info) {
        try {
            IdxSplit split = IdxSplit.locate(name, info.location(), IdxSplit.TRAIN_PREFIX);
            int[] dims = IdxReader.readDimensions(split.images(), IdxReader.IMAGES_MAGIC);
            Integer classes = 0;
            if (split.labels() != null) {
                IdxFile labels = IdxReader.readLabels(split.labels());
                int largest = -1;
                for (int i = 0; i < labels.length(); i++) {
                    largest = Math.max(largest, labels.unsignedByte(i));
                }
                classes = largest + 1;
            }
            return new DatasetSummary(name, "images", source, true, "idx", split.labels() != null, dims[0], classes,
                    null, dims[2], dims[1], null, null, null, null);
        } catch (IdxFormatException | DatasetUnavailableException | UncheckedIOException e) {
            return new DatasetSummary(name, "images", source, false, "idx", null, null, null, null, null, null, null,
                    null, null, e.getMessage());
        }
    }

    private Optional<DatasetManifest> manifest(Path folder) {
        Path file = folder.resolve(DatasetImporter.MANIFEST);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(Files.readAllBytes(file), DatasetManifest.class));
        } catch (IOException | JacksonException e) {
            LOG.log(System.Logger.Level.WARNING, "ignoring unreadable manifest {0}: {1}", file, e.toString());
            return Optional.empty();
        }
    }

    private static Integer positive(int value) {
        return value > 0 ? value : null;
    }
}
