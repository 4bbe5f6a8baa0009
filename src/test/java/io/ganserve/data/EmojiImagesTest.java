package io.ganserve.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmojiImagesTest {

    private static final Path INSTALLED = DatasetLocations.DEFAULT_EMOJI_DIR;

    @TempDir
    Path dir;

    /** A 64 x 64 image whose left half is opaque red and right half fully transparent. */
    private static BufferedImage halfRed() {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 32; x++) {
                image.setRGB(x, y, 0xFFFF0000);
            }
        }
        return image;
    }

    private void writeVendor(Path vendorDir, String json, Map<String, BufferedImage> images) throws IOException {
        Files.createDirectories(vendorDir.resolve("64"));
        Files.writeString(vendorDir.resolve("emoji.json"), json);
        for (Map.Entry<String, BufferedImage> e : images.entrySet()) {
            ImageIO.write(e.getValue(), "png", vendorDir.resolve("64").resolve(e.getKey()).toFile());
        }
    }

    @Test
    void compositesOnWhiteLabelsByCategoryAndKeepsSkinVariationsButNotComponents() throws IOException {
        // which of these names is held out is fixed by their hash; the test finds two of each kind
        String json = """
                [{"image":"1f600.png","category":"Smileys & Emotion","has_img_google":true},
                 {"image":"1f44b.png","category":"People & Body","has_img_google":true,
                  "skin_variations":{"1F3FB":{"image":"1f44b-1f3fb.png","has_img_google":true},
                                     "1F3FC":{"image":"1f44b-1f3fc.png","has_img_google":false}}},
                 {"image":"1f3fb.png","category":"Component","has_img_google":true},
                 {"image":"1f4a9.png","category":"Objects","has_img_google":false},
                 {"image":"2764-fe0f.png","category":"Symbols","has_img_google":true}]""";
        Map<String, BufferedImage> images = new HashMap<>();
        for (String name : List.of("1f600.png", "1f44b.png", "1f44b-1f3fb.png", "1f44b-1f3fc.png", "1f3fb.png",
                "1f4a9.png")) {
            images.put(name, halfRed());
        }
        writeVendor(dir.resolve("google"), json, images);
        Files.writeString(dir.resolve("google/64/2764-fe0f.png"), "not a png"); // damaged: reported and skipped

        List<String> readable = List.of("1f600", "1f44b", "1f44b-1f3fb");
        Set<String> loaded = new HashSet<>();
        EmojiImages.Named any = null;
        for (boolean heldOut : new boolean[] {false, true}) {
            long expected = readable.stream().filter(n -> EmojiImages.isHeldOut(n + ".png") == heldOut).count();
            if (expected == 0) {
                assertThatThrownBy(() -> EmojiImages.load("emoji-google", dir.resolve("google"), "google", 32, heldOut))
                        .isInstanceOf(DatasetUnavailableException.class);
                continue;
            }
            EmojiImages.Named split = EmojiImages.load("emoji-google", dir.resolve("google"), "google", 32, heldOut);
            assertThat(split.names()).hasSize((int) expected)
                    .allSatisfy(n -> assertThat(EmojiImages.isHeldOut(n + ".png")).isEqualTo(heldOut));
            loaded.addAll(split.names());
            any = split;
        }
        assertThat(loaded).containsExactlyInAnyOrderElementsOf(readable);
        ImageDataset images32 = any.images();
        assertThat(images32.sampleShape()).containsExactly(3, 32, 32);
        assertThat(images32.numClasses()).isEqualTo(EmojiImages.CATEGORIES.size());
        float[] pixels = new float[images32.sampleLength()];
        images32.copySample(0, pixels, 0);
        // [-1, 1]: red on the left (R 1, G -1, B -1), white where the image was transparent
        assertThat(pixels[0]).isCloseTo(1f, within(1e-6f));
        assertThat(pixels[1024]).isCloseTo(-1f, within(1e-6f));
        assertThat(pixels[2048]).isCloseTo(-1f, within(1e-6f));
        assertThat(pixels[31]).isCloseTo(1f, within(1e-6f));
        assertThat(pixels[1024 + 31]).isCloseTo(1f, within(1e-6f));
        int label = images32.label(0);
        String name = any.names().get(0);
        assertThat(EmojiImages.CATEGORIES.get(label)).isEqualTo(name.equals("1f600") ? "Smileys & Emotion" : "People & Body");
    }

    @Test
    void theCatalogNamesTheInstallScriptWhenTheEmojiAreAbsentAndRefusesSizesThatDoNotDivide64() {
        DatasetCatalog catalog = new DatasetCatalog(new DatasetLocations(dir.resolve("m"), dir.resolve("f"),
                dir.resolve("datasets"), 1000, dir.resolve("no-emoji")));
        assertThat(catalog.builtinNames()).contains("emoji-google", "emoji-twitter");
        assertThatThrownBy(() -> catalog.describe("emoji-google"))
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining("scripts/install-emoji.sh");
        assertThat(catalog.nativeImageSize("emoji-twitter")).isEqualTo(64);
        assertThat(catalog.imageSizeProblem("emoji-google", 28)).hasValueSatisfying(p -> assertThat(p).contains("64, 32 or 16"));
        assertThat(catalog.imageSizeProblem("emoji-google", 32)).isEmpty();
        assertThat(catalog.imageSizeProblem("fashion-mnist", 28)).isEmpty();
    }

    /**
     * On the installed packages: a tenth held out by name in both vendors alike, and the hidden
     * pairing is real — the same emoji's Google and Twitter images are much closer than two random
     * emoji (per-pixel L1 on white in [0, 1]).
     */
    @Test
    void theInstalledVendorsShareTheirHeldOutEmojiAndPairedImagesAreCloserThanRandomOnes() {
        assumeTrue(EmojiImages.installed(INSTALLED.resolve("google")) && EmojiImages.installed(INSTALLED.resolve("twitter")),
                "the emoji are not installed at " + INSTALLED + " (scripts/install-emoji.sh)");
        DatasetCatalog catalog = new DatasetCatalog(new DatasetLocations(dir.resolve("m"), dir.resolve("f"),
                dir.resolve("datasets"), 1000, INSTALLED));
        EmojiImages.Named googleTrain = catalog.loadEmoji("emoji-google", 64, false);
        EmojiImages.Named google = catalog.loadEmoji("emoji-google", 64, true);
        EmojiImages.Named twitter = catalog.loadEmoji("emoji-twitter", 64, true);
        int total = googleTrain.names().size() + google.names().size();
        System.out.printf("emoji-google: %d images (%d held out); emoji-twitter held out: %d%n", total,
                google.names().size(), twitter.names().size());
        assertThat(total).isBetween(3700, 3786); // 3,786 files less the Component swatches
        assertThat((double) google.names().size() / total).isBetween(0.08, 0.12);

        Map<String, Integer> twitterIndex = new HashMap<>();
        for (int i = 0; i < twitter.names().size(); i++) {
            twitterIndex.put(twitter.names().get(i), i);
        }
        int length = google.images().sampleLength();
        float[] a = new float[length];
        float[] b = new float[length];
        double paired = 0;
        double random = 0;
        int pairs = 0;
        Random rng = new Random(1);
        for (int i = 0; i < google.names().size(); i++) {
            Integer j = twitterIndex.get(google.names().get(i));
            if (j == null) {
                continue;
            }
            google.images().copySample(i, a, 0);
            twitter.images().copySample(j, b, 0);
            paired += l1(a, b);
            twitter.images().copySample(rng.nextInt(twitter.names().size()), b, 0);
            random += l1(a, b);
            pairs++;
        }
        paired /= pairs;
        random /= pairs;
        System.out.printf("held-out pairs %d: mean L1 paired %.3f, random %.3f%n", pairs, paired, random);
        assertThat(pairs).isGreaterThan(300);
        assertThat(paired).isLessThan(0.7 * random);
    }

    /** Mean absolute difference of two [-1, 1] images, on the [0, 1] scale. */
    private static double l1(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs(a[i] - b[i]) / 2;
        }
        return sum / a.length;
    }
}
