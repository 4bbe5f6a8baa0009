package io.ganserve.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Resolves dataset names: the synthetic mixtures "ring8" and "grid25", the IDX datasets "mnist"
 * and "fashion-mnist", the colour emoji "emoji-google" and "emoji-twitter", and otherwise a sub-folder of the image folder root, which holds either
 * images or, when uploaded that way, a {@code train-images-idx3-ubyte[.gz]} file (and labels).
 * Built-in names win over a folder of the same name.
 */
public final class DatasetCatalog {

    /** A single path segment that cannot start with a dot, so ".." and hidden folders are out. */
    private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final String MNIST = "mnist";
    private static final String FASHION_MNIST = "fashion-mnist";
    private static final String EMOJI_PREFIX = "emoji-";
    private static final List<String> EMOJI_VENDORS = List.of("google", "twitter");
    private static final List<String> BUILTIN_NAMES = List.of("ring8", "grid25", MNIST, FASHION_MNIST,
            EMOJI_PREFIX + "google", EMOJI_PREFIX + "twitter");
    private static final int MAX_IMAGE_SIZE = 1024;
    /** Fashion-MNIST's labels 0-9, as Xiao et al. (2017) name them. */
    private static final List<String> FASHION_MNIST_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    // Any fixed value works; it only has to give a held-out sample that is not the training one.
    private static final long TEST_SPLIT_SEED = 0x7E57_5EEDL;

    private final DatasetLocations locations;

    public DatasetCatalog(DatasetLocations locations) {
        this.locations = Objects.requireNonNull(locations, "locations");
    }

    public List<String> builtinNames() {
        return BUILTIN_NAMES;
    }

    public Optional<GaussianMixture> mixture(String name) {
        return switch (name) {
            case "ring8" -> Optional.of(GaussianMixture.ring8());
            case "grid25" -> Optional.of(GaussianMixture.grid25());
            case null, default -> Optional.empty();
        };
    }

    /** Checks that the dataset is there, reading as little as possible. */
    public DatasetInfo describe(String name) {
        requireValidName(name);
        if (mixture(name).isPresent()) {
            return new DatasetInfo(name, DataKind.POINTS, 0, true, null);
        }
        Optional<String> vendor = emojiVendor(name);
        if (vendor.isPresent()) {
            return new DatasetInfo(name, DataKind.IMAGES, 3, true, installedEmoji(name, vendor.get()));
        }
        Optional<Path> idxDirectory = idxDirectory(name);
        if (idxDirectory.isPresent()) {
            IdxSplit split = IdxSplit.locate(name, idxDirectory.get(), IdxSplit.TRAIN_PREFIX);
            return new DatasetInfo(name, DataKind.IMAGES, 1, split.labels() != null, idxDirectory.get());
        }
        Path folder = existingFolder(name);
        if (!ImageFolderLayout.hasAnyImage(folder)) {
            throw ImageFolderLoader.noImages(name, folder);
        }
        return new DatasetInfo(name, DataKind.IMAGES, -1, ImageFolderLayout.hasClassFolder(folder), folder);
    }

    /**
     * Loads the training split: points are drawn with {@code seed}; images come out as
     * {@code imageSize} x {@code imageSize} (points ignore {@code imageSize}).
     */
    public Dataset load(String name, long seed, int imageSize) {
        requireValidName(name);
        Optional<GaussianMixture> mixture = mixture(name);
        if (mixture.isPresent()) {
            return new PointDataset(mixture.get(), locations.pointCount(), seed);
        }
        return loadImages(name, IdxSplit.TRAIN_PREFIX, imageSize);
    }

    /**
     * Loads held-out data for evaluation: the t10k files of IDX datasets, a fresh sample for
     * points, and the same images for a folder, which has no separate split.
     */
    public Dataset loadTestSplit(String name, int imageSize) {
        requireValidName(name);
        Optional<GaussianMixture> mixture = mixture(name);
        if (mixture.isPresent()) {
            return new PointDataset(mixture.get(), locations.pointCount(), TEST_SPLIT_SEED);
        }
        return loadImages(name, IdxSplit.TEST_PREFIX, imageSize);
    }

    /**
     * An emoji data set with each image's name (its code points), which pairs the same emoji across
     * vendors; the held-out tenth when {@code heldOut}.
     */
    public EmojiImages.Named loadEmoji(String name, int imageSize, boolean heldOut) {
        String vendor = emojiVendor(name).orElseThrow(() -> new IllegalArgumentException(
                "'" + name + "' is not an emoji data set; those are " + EMOJI_VENDORS.stream().map(v -> EMOJI_PREFIX + v).toList()));
        return EmojiImages.load(name, installedEmoji(name, vendor), vendor, imageSize, heldOut);
    }

    /**
     * A labelled image dataset's class names and training images per class, read from its label
     * file, its class folders or its index, without decoding an image; empty for points and for
     * unlabelled images.
     */
    public Optional<DatasetClasses> classes(String name) {
        DatasetInfo info = describe(name);
        if (info.kind() != DataKind.IMAGES || !info.labelled()) {
            return Optional.empty();
        }
        Optional<String> vendor = emojiVendor(name);
        if (vendor.isPresent()) {
            return Optional.of(new DatasetClasses(EmojiImages.CATEGORIES,
                    EmojiImages.trainingImagesPerCategory(info.location(), vendor.get())));
        }
        Optional<Path> idx = idxDirectory(name);
        if (idx.isPresent()) {
            IdxSplit split = IdxSplit.locate(name, idx.get(), IdxSplit.TRAIN_PREFIX);
            IdxFile labels = IdxReader.readLabels(split.labels());
            int[] counts = new int[256];
            int classes = 0;
            for (int i = 0; i < labels.length(); i++) {
                int label = labels.unsignedByte(i);
                counts[label]++;
                classes = Math.max(classes, label + 1);
            }
            List<String> names = FASHION_MNIST.equals(name) && classes == FASHION_MNIST_CLASSES.size()
                    ? FASHION_MNIST_CLASSES
                    : java.util.stream.IntStream.range(0, classes).mapToObj(Integer::toString).toList();
            return Optional.of(new DatasetClasses(names, java.util.Arrays.copyOf(counts, classes)));
        }
        ImageFolderLayout layout = ImageFolderLayout.scan(info.location());
        if (!layout.labelled()) {
            return Optional.empty();
        }
        int[] counts = new int[layout.classNames().size()];
        layout.files().forEach(f -> counts[f.label()]++);
        return Optional.of(new DatasetClasses(layout.classNames(), counts));
    }

    /** Whether {@code name} is one of the emoji data sets. */
    public boolean isEmoji(String name) {
        return emojiVendor(name).isPresent();
    }

    /** The side a built-in image set comes at (28 for the MNISTs, 64 for emoji); 0 where it has none of its own. */
    public int nativeImageSize(String name) {
        if (MNIST.equals(name) || FASHION_MNIST.equals(name)) {
            return 28;
        }
        return emojiVendor(name).isPresent() ? EmojiImages.SOURCE_SIDE : 0;
    }

    /** Why {@code name}'s images cannot be had at {@code side} x {@code side}, if they cannot. */
    public Optional<String> imageSizeProblem(String name, int side) {
        if (emojiVendor(name).isPresent() && (side <= 0 || EmojiImages.SOURCE_SIDE % side != 0)) {
            return Optional.of("emoji come at 64 x 64 and are box-averaged down: use 64, 32 or 16");
        }
        return Optional.empty();
    }

    private static Optional<String> emojiVendor(String name) {
        return name != null && name.startsWith(EMOJI_PREFIX) && EMOJI_VENDORS.contains(name.substring(EMOJI_PREFIX.length()))
                ? Optional.of(name.substring(EMOJI_PREFIX.length()))
                : Optional.empty();
    }

    private Path installedEmoji(String name, String vendor) {
        Path dir = locations.emojiDir().resolve(vendor);
        if (!EmojiImages.installed(dir)) {
            throw new DatasetUnavailableException(name, List.of(dir), "dataset '" + name + "' is not installed: "
                    + "run scripts/install-emoji.sh " + locations.emojiDir() + " (it fetches the npm packages "
                    + "emoji-datasource-google and emoji-datasource-twitter)");
        }
        return dir;
    }

    private Dataset loadImages(String name, String idxPrefix, int imageSize) {
        if (imageSize <= 0 || imageSize > MAX_IMAGE_SIZE) {
            throw new IllegalArgumentException("image size must be in 1.." + MAX_IMAGE_SIZE + ", was " + imageSize);
        }
        if (emojiVendor(name).isPresent()) {
            return loadEmoji(name, imageSize, IdxSplit.TEST_PREFIX.equals(idxPrefix)).images();
        }
        Optional<Path> idxDirectory = idxDirectory(name);
        if (idxDirectory.isPresent()) {
            // an uploaded IDX set has no t10k split; like an image folder it is its own test set
            String prefix = builtin(name) || IdxSplit.present(idxDirectory.get(), idxPrefix) ? idxPrefix : IdxSplit.TRAIN_PREFIX;
            IdxSplit split = IdxSplit.locate(name, idxDirectory.get(), prefix);
            // resizedTo keeps images already at the size, and crops and scales any other IDX side
            return ImageDataset.fromIdx(name, split.images(), split.labels()).resizedTo(imageSize);
        }
        return ImageFolderLoader.load(name, existingFolder(name), imageSize);
    }

    private Optional<Path> idxDirectory(String name) {
        return switch (name) {
            case MNIST -> Optional.of(locations.mnistDir());
            case FASHION_MNIST -> Optional.of(locations.fashionMnistDir());
            default -> folder(name).filter(folder -> IdxSplit.present(folder, IdxSplit.TRAIN_PREFIX));
        };
    }

    private boolean builtin(String name) {
        return BUILTIN_NAMES.contains(name);
    }

    /** The sub-folder of the image folder root a non-built-in name stands for, if it exists. */
    public Optional<Path> folder(String name) {
        if (name == null || !VALID_NAME.matcher(name).matches() || builtin(name)) {
            return Optional.empty();
        }
        Path folder = imageFolderRoot().resolve(name).normalize();
        return Files.isDirectory(folder) ? Optional.of(folder) : Optional.empty();
    }

    public Path imageFolderRoot() {
        return locations.imageFolderRoot().toAbsolutePath().normalize();
    }

    /**
     * Names of the image folder root's sub-folders that can be datasets, sorted; hidden ones (such
     * as an upload being imported) are left out.
     */
    public List<String> folderNames() {
        Path root = imageFolderRoot();
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (java.util.stream.Stream<Path> entries = Files.list(root)) {
            return entries.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> VALID_NAME.matcher(n).matches() && !builtin(n))
                    .sorted()
                    .toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot list " + root, e);
        }
    }

    private Path existingFolder(String name) {
        Path root = imageFolderRoot();
        Path folder = root.resolve(name).normalize();
        // The name pattern already forbids separators; this guards against a future loosening of it.
        if (!root.equals(folder.getParent())) {
            throw new IllegalArgumentException("dataset name '" + name + "' escapes " + root);
        }
        if (!Files.isDirectory(folder)) {
            throw new DatasetUnavailableException(name, List.of(folder), "dataset '" + name
                    + "' not found: it is not one of the built-in datasets " + BUILTIN_NAMES
                    + " and there is no folder " + folder);
        }
        return folder;
    }

    private static void requireValidName(String name) {
        if (name == null || !VALID_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid dataset name '" + name
                    + "': use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }
}
