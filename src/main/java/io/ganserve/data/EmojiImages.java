package io.ganserve.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * One vendor's emoji (the npm packages {@code emoji-datasource-<vendor>}, as
 * {@code scripts/install-emoji.sh} lays them out: {@code <dir>/emoji.json} and {@code <dir>/64/*.png})
 * as RGB images on white, labelled by category, each named by its file's code points.
 *
 * <p>The split is a function of the file name alone, so an emoji is held out for every vendor
 * or for none: translations between vendors can be checked against the true image of the other.
 */
public final class EmojiImages {

    /** The categories of {@code emoji.json} in its own order; "Component" (skin-tone swatches) is left out. */
    public static final List<String> CATEGORIES = List.of("Smileys & Emotion", "People & Body", "Animals & Nature",
            "Food & Drink", "Travel & Places", "Activities", "Objects", "Symbols", "Flags");
    /** The side of the packages' images; smaller sizes are box-averaged from it. */
    public static final int SOURCE_SIDE = 64;
    /** One emoji in ten is held out, by a hash of its name. */
    static final int HELD_OUT_ONE_IN = 10;

    private static final System.Logger LOG = System.getLogger(EmojiImages.class.getName());
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** Images, and each image's name (the code points, as in {@code 1f600} or {@code 1f44b-1f3fd}). */
    public record Named(ImageDataset images, List<String> names) {}

    private EmojiImages() {}

    /** Whether {@code dir} holds an installed vendor: its {@code emoji.json} and the {@code 64/} folder. */
    public static boolean installed(Path dir) {
        return Files.isRegularFile(dir.resolve("emoji.json")) && Files.isDirectory(dir.resolve("64"));
    }

    /**
     * @param vendor {@code google} or {@code twitter}: which {@code has_img_<vendor>} flag counts
     * @param side 64, 32 or 16
     * @param heldOut the held-out tenth instead of the rest
     */
    public static Named load(String name, Path dir, String vendor, int side, boolean heldOut) {
        if (side <= 0 || SOURCE_SIDE % side != 0) {
            throw new IllegalArgumentException("emoji come at 64x64: imageSize must divide 64 (64, 32 or 16), was "
                    + side);
        }
        List<String> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (JsonNode entry : readIndex(dir)) {
            int label = CATEGORIES.indexOf(entry.path("category").asString(""));
            if (label < 0) {
                continue;
            }
            add(entry, vendor, label, files, labels);
            JsonNode skins = entry.path("skin_variations");
            for (JsonNode skin : skins) {
                add(skin, vendor, label, files, labels);
            }
        }
        int length = 3 * side * side;
        byte[] pixels = new byte[files.size() * length];
        List<String> names = new ArrayList<>();
        List<Integer> kept = new ArrayList<>();
        int count = 0;
        for (int i = 0; i < files.size(); i++) {
            String file = files.get(i);
            if (isHeldOut(file) != heldOut) {
                continue;
            }
            Path png = dir.resolve("64").resolve(file);
            try {
                BufferedImage image = ImageIO.read(png.toFile());
                if (image == null || image.getWidth() != SOURCE_SIDE || image.getHeight() != SOURCE_SIDE) {
                    throw new IOException("not a 64x64 image");
                }
                onWhite(image, side, pixels, count * length);
            } catch (IOException | RuntimeException damaged) {
                LOG.log(System.Logger.Level.WARNING, "skipping emoji " + png + ": " + damaged.getMessage());
                continue;
            }
            names.add(file.substring(0, file.length() - ".png".length()));
            kept.add(labels.get(i));
            count++;
        }
        if (count == 0) {
            throw new DatasetUnavailableException(name, List.of(dir), "dataset '" + name + "': no readable "
                    + vendor + " emoji in " + dir);
        }
        byte[] exact = count * length == pixels.length ? pixels : java.util.Arrays.copyOf(pixels, count * length);
        int[] labelArray = kept.stream().mapToInt(Integer::intValue).toArray();
        return new Named(new ImageDataset(name, 3, side, side, exact, labelArray, CATEGORIES.size()), List.copyOf(names));
    }

    /**
     * Training (not held-out) images per category, from the index alone: an image that turns out
     * damaged when loaded is skipped then, so a count can be a few too high.
     */
    public static int[] trainingImagesPerCategory(Path dir, String vendor) {
        List<String> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (JsonNode entry : readIndex(dir)) {
            int label = CATEGORIES.indexOf(entry.path("category").asString(""));
            if (label < 0) {
                continue;
            }
            add(entry, vendor, label, files, labels);
            for (JsonNode skin : entry.path("skin_variations")) {
                add(skin, vendor, label, files, labels);
            }
        }
        int[] counts = new int[CATEGORIES.size()];
        for (int i = 0; i < files.size(); i++) {
            if (!isHeldOut(files.get(i))) {
                counts[labels.get(i)]++;
            }
        }
        return counts;
    }

    /** Whether the emoji in {@code file} (e.g. {@code 1f600.png}) belongs to the held-out tenth. */
    public static boolean isHeldOut(String file) {
        CRC32 crc = new CRC32();
        crc.update(file.getBytes(StandardCharsets.US_ASCII));
        return crc.getValue() % HELD_OUT_ONE_IN == 0;
    }

    private static void add(JsonNode entry, String vendor, int label, List<String> files, List<Integer> labels) {
        String image = entry.path("image").asString("");
        if (entry.path("has_img_" + vendor).asBoolean(false) && image.matches("[0-9a-f-]+\\.png")) {
            files.add(image);
            labels.add(label);
        }
    }

    private static JsonNode readIndex(Path dir) {
        Path index = dir.resolve("emoji.json");
        try {
            JsonNode root = JSON.readTree(index.toFile());
            if (!root.isArray()) {
                throw new IOException("expected a JSON array");
            }
            return root;
        } catch (IOException | RuntimeException e) {
            throw new UncheckedIOException(new IOException("cannot read " + index + ": " + e.getMessage(), e));
        }
    }

    /**
     * Composites the RGBA image onto white and box-averages it down to {@code side}, writing the
     * R, G and B planes (C x H x W) into {@code out} at {@code offset}.
     */
    static void onWhite(BufferedImage image, int side, byte[] out, int offset) {
        int factor = SOURCE_SIDE / side;
        int[] argb = image.getRGB(0, 0, SOURCE_SIDE, SOURCE_SIDE, null, 0, SOURCE_SIDE);
        int plane = side * side;
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int r = 0;
                int g = 0;
                int b = 0;
                for (int dy = 0; dy < factor; dy++) {
                    for (int dx = 0; dx < factor; dx++) {
                        int p = argb[(y * factor + dy) * SOURCE_SIDE + x * factor + dx];
                        int alpha = p >>> 24;
                        r += onWhite((p >> 16) & 0xFF, alpha);
                        g += onWhite((p >> 8) & 0xFF, alpha);
                        b += onWhite(p & 0xFF, alpha);
                    }
                }
                int n = factor * factor;
                int at = offset + y * side + x;
                out[at] = (byte) ((r + n / 2) / n);
                out[at + plane] = (byte) ((g + n / 2) / n);
                out[at + 2 * plane] = (byte) ((b + n / 2) / n);
            }
        }
    }

    private static int onWhite(int component, int alpha) {
        return (component * alpha + 255 * (255 - alpha) + 127) / 255;
    }
}
