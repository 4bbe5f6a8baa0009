package io.ganserve.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ganserve.support.UploadFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatasetImporterTest {

    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
    private static final UploadLimits LIMITS = new UploadLimits(1 << 20, 60, 4 << 20, 50, 256, 256 * 256 * 8, 64L << 20);

    @TempDir
    Path dir;

    private Path root;
    private Path outside;
    private DatasetCatalog catalog;
    private DatasetImporter importer;

    @BeforeEach
    void setUp() throws IOException {
        root = dir.resolve("datasets");
        outside = Files.createDirectories(dir.resolve("outside"));
        catalog = new DatasetCatalog(new DatasetLocations(dir.resolve("no-mnist"), dir.resolve("no-fashion"), root, 1000));
        importer = new DatasetImporter(root, LIMITS, catalog.builtinNames(), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    /** Whatever a test did, nothing was written beside the datasets, and no import folder is left. */
    @AfterEach
    void nothingLeftBehind() throws IOException {
        assertThat(listing(outside)).isEmpty();
        assertThat(listing(root)).noneMatch(name -> name.startsWith("."));
    }

    private static List<String> listing(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private DatasetManifest upload(String name, byte[] file) {
        return importer.importDataset(name, new DatasetImporter.Part("upload.bin", new ByteArrayInputStream(file)), null);
    }

    private DatasetManifest upload(String name, byte[] file, byte[] labels) {
        return importer.importDataset(name, new DatasetImporter.Part("images.gz", new ByteArrayInputStream(file)),
                new DatasetImporter.Part("labels", new ByteArrayInputStream(labels)));
    }

    /** The upload is refused naming {@code field}, and the datasets folder is as it was. */
    private AbstractThrowableAssert<?, ?> refused(String field, Runnable upload) throws IOException {
        List<String> before = listing(root);
        var thrown = assertThatThrownBy(upload::run).isInstanceOf(InvalidUploadException.class)
                .satisfies(e -> assertThat(((InvalidUploadException) e).field()).isEqualTo(field));
        assertThat(listing(root)).isEqualTo(before);
        return thrown;
    }

    private static byte[] shapesZip(String enclosing) {
        return UploadFiles.zip(UploadFiles.shapeEntries(enclosing, List.of("disc", "square"), 6, 12, 1));
    }

    @Test
    void zipOfClassFoldersBecomesALabelledImageFolder() {
        DatasetManifest manifest = upload("shapes", shapesZip(null));

        assertThat(manifest.format()).isEqualTo("zip");
        assertThat(manifest.images()).isEqualTo(12);
        assertThat(manifest.classes()).containsExactly("disc", "square");
        assertThat(manifest.uploadedAt()).isEqualTo(NOW);
        assertThat(manifest.bytes()).isPositive();
        assertThat(root.resolve("shapes").resolve("disc").resolve("disc-0.png")).isRegularFile();
        assertThat(root.resolve("shapes").resolve(DatasetImporter.MANIFEST)).isRegularFile();

        DatasetInfo info = catalog.describe("shapes");
        assertThat(info.labelled()).isTrue();
        Dataset loaded = catalog.load("shapes", 0, 8);
        assertThat(loaded.size()).isEqualTo(12);
        assertThat(loaded.numClasses()).isEqualTo(2);
        assertThat(loaded.sampleShape()).containsExactly(1, 8, 8);
    }

    @Test
    void oneEnclosingFolderIsStrippedAndMacMetadataSkipped() {
        Map<String, byte[]> entries = new LinkedHashMap<>(UploadFiles.shapeEntries("my-shapes", List.of("disc", "square"),
                3, 12, 2));
        entries.put("__MACOSX/my-shapes/disc/._disc-0.png", new byte[] {0, 5, 22, 7});
        entries.put("my-shapes/.DS_Store", new byte[] {1, 2, 3});
        entries.put("my-shapes/disc/", null);

        DatasetManifest manifest = upload("wrapped", UploadFiles.zip(entries));

        assertThat(manifest.classes()).containsExactly("disc", "square");
        assertThat(manifest.images()).isEqualTo(6);
        assertThat(root.resolve("wrapped").resolve("square").resolve("square-2.png")).isRegularFile();
        assertThat(root.resolve("wrapped").resolve("__MACOSX")).doesNotExist();
        assertThat(root.resolve("wrapped").resolve(".DS_Store")).doesNotExist();
    }

    @Test
    void flatZipIsUnlabelled() {
        Random rng = new Random(3);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            entries.put("img-" + i + ".png", UploadFiles.shapePng(10, "disc", rng));
        }
        DatasetManifest manifest = upload("flat", UploadFiles.zip(entries));

        assertThat(manifest.classes()).isEmpty();
        assertThat(catalog.describe("flat").labelled()).isFalse();
        assertThat(catalog.load("flat", 0, 8).size()).isEqualTo(5);
    }

    @Test
    void idxImagesAndLabelsGzippedOrNotLoadThroughTheCatalog() {
        DatasetManifest manifest = upload("digits", UploadFiles.gzip(UploadFiles.idxImages(30, 12)),
                UploadFiles.idxLabels(30, 3));

        assertThat(manifest.format()).isEqualTo("idx");
        assertThat(manifest.images()).isEqualTo(30);
        assertThat(manifest.classes()).containsExactly("0", "1", "2");
        assertThat(manifest.width()).isEqualTo(12);
        assertThat(catalog.describe("digits")).isEqualTo(new DatasetInfo("digits", DataKind.IMAGES, 1, true,
                root.toAbsolutePath().normalize().resolve("digits")));
        Dataset native12 = catalog.load("digits", 0, 12);
        assertThat(native12.sampleShape()).containsExactly(1, 12, 12);
        assertThat(native12.label(4)).isEqualTo(1);
        float[] first = new float[144];
        native12.copySample(0, first, 0);
        assertThat(first[0]).isEqualTo(1f); // row 0 of image 0 is the bright bar
        assertThat(first[12]).isEqualTo(-1f);
        // another side is cropped and resized, and the missing t10k split falls back to train
        assertThat(catalog.load("digits", 0, 8).sampleShape()).containsExactly(1, 8, 8);
        assertThat(catalog.loadTestSplit("digits", 8).size()).isEqualTo(30);
    }

    @Test
    void idxWithoutLabelsIsUnlabelled() {
        DatasetManifest manifest = upload("bars", UploadFiles.idxImages(4, 9));
        assertThat(manifest.classes()).isEmpty();
        assertThat(catalog.describe("bars").labelled()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../escape.png", "ok/../../escape.png", "..\\escape.png", "/tmp/escape.png",
        "C:/escape.png", "C:\\escape.png", "a/..", ".."})
    void zipSlipIsRefused(String entryName) throws IOException {
        byte[] zip = UploadFiles.zip(Map.of(entryName, UploadFiles.png(4, 4)));
        refused("file", () -> upload("slip", zip)).hasMessageMatching(".*(climbs out|absolute path).*");
        assertThat(dir.resolve("escape.png")).doesNotExist();
        assertThat(root.resolve("slip")).doesNotExist();
    }

    @Test
    void zipBombIsStoppedByTheBytesActuallyInflated() throws IOException {
        byte[] bomb = UploadFiles.zipBomb("zeros.png", 64L << 20);
        assertThat(bomb.length).isLessThan(128 * 1024); // 64 MB of zeros in under 128 KB
        refused("file", () -> upload("bomb", bomb)).hasMessageContaining("max-uncompressed-bytes");
    }

    @Test
    void aBombInASkippedEntryCountsToo() throws IOException {
        byte[] bomb = UploadFiles.zipBomb("__MACOSX/zeros", 8L << 20);
        refused("file", () -> upload("hidden-bomb", bomb)).hasMessageContaining("max-uncompressed-bytes");
    }

    @Test
    void tooManyEntriesAndTooManyImages() throws IOException {
        Map<String, byte[]> folders = new LinkedHashMap<>();
        for (int i = 0; i < 61; i++) {
            folders.put("folder-" + i + "/", null);
        }
        refused("file", () -> upload("entries", UploadFiles.zip(folders))).hasMessageContaining("max-entries");

        Map<String, byte[]> images = new LinkedHashMap<>();
        byte[] png = UploadFiles.png(4, 4);
        for (int i = 0; i < 51; i++) {
            images.put("img-" + i + ".png", png);
        }
        refused("file", () -> upload("images", UploadFiles.zip(images))).hasMessageContaining("max-images");
    }

    @Test
    void nonImagesAndUndecodableImagesAreRefused() throws IOException {
        Map<String, byte[]> text = new LinkedHashMap<>();
        text.put("a.png", UploadFiles.png(4, 4));
        text.put("readme.txt", "hello".getBytes());
        refused("file", () -> upload("text", UploadFiles.zip(text))).hasMessageContaining("'readme.txt' is not a PNG or JPEG");

        byte[] png = UploadFiles.png(20, 20);
        byte[] truncated = java.util.Arrays.copyOf(png, png.length / 2);
        refused("file", () -> upload("cut", UploadFiles.zip(Map.of("cut.png", truncated))))
                .hasMessageContaining("does not decode");

        byte[] gif = new byte[] {'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0};
        refused("file", () -> upload("gif", UploadFiles.zip(Map.of("x.gif", gif)))).hasMessageContaining("not a PNG or JPEG");
    }

    /** Decoded size counts channels and bit depth, not just pixels: 64 x 64 is 4 KB grey, 32 KB 16-bit RGBA. */
    @Test
    void decodedSizeCountsChannelsAndBitDepth() throws IOException {
        importer = new DatasetImporter(root, new UploadLimits(1 << 20, 60, 4 << 20, 50, 256, 64 * 64 * 4, 64 * 64 * 6),
                catalog.builtinNames(), Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(upload("rgba8", UploadFiles.zip(Map.of("a.png", UploadFiles.zeroPng(64, 64, 6, 8)))).images())
                .isEqualTo(1);
        var perImage = refused("file", () -> upload("rgba16",
                UploadFiles.zip(Map.of("a.png", UploadFiles.zeroPng(64, 64, 6, 16)))));
        perImage.isInstanceOf(UploadTooLargeException.class).hasMessageContaining("'a.png' is 64 x 64 pixels")
                .hasMessageContaining("decodes to 32768 bytes, more than 16384")
                .hasMessageContaining("max-decoded-bytes-per-image");
        // two images under the per-image limit, together over the data set's
        Map<String, byte[]> two = new java.util.TreeMap<>(Map.of("a.png", UploadFiles.zeroPng(64, 64, 6, 8),
                "b.png", UploadFiles.zeroPng(64, 64, 6, 8)));
        refused("file", () -> upload("two", UploadFiles.zip(two))).isInstanceOf(UploadTooLargeException.class)
                .hasMessageContaining("'b.png' decode to 32768 bytes, more than 24576")
                .hasMessageContaining("max-decoded-bytes)");
        // IDX images are one byte a pixel, so 10 of 16 x 16 fit and 40 of 28 x 28 (31360 bytes) do not
        assertThat(upload("idx-small", UploadFiles.idxImages(10, 16)).images()).isEqualTo(10);
        refused("file", () -> upload("idx-big", UploadFiles.idxImages(40, 28)))
                .isInstanceOf(UploadTooLargeException.class).hasMessageContaining("max-decoded-bytes)");
    }

    @Test
    void hugeImagesAreRefusedFromTheirHeaderBeforeDecoding() throws IOException {
        // 100,000 x 100,000 pixels would be 10 GB to decode; the header alone refuses it
        byte[] claims = UploadFiles.pngClaiming(100_000, 100_000);
        refused("file", () -> upload("huge", UploadFiles.zip(Map.of("huge.png", claims))))
                .hasMessageContaining("100000 x 100000").hasMessageContaining("max-image-side");
        refused("file", () -> upload("wide", UploadFiles.zip(Map.of("wide.png", UploadFiles.png(257, 2)))))
                .hasMessageContaining("257 x 2");
    }

    @Test
    void layoutsTheLoaderCouldNotReadAreRefused() throws IOException {
        byte[] png = UploadFiles.png(4, 4);
        Map<String, byte[]> mixed = new LinkedHashMap<>();
        mixed.put("loose.png", png);
        mixed.put("cls/inside.png", png);
        refused("file", () -> upload("mixed", UploadFiles.zip(mixed))).hasMessageContaining("mixes loose images");

        refused("file", () -> upload("deep", UploadFiles.zip(Map.of("a/b/c/d.png", png)))).hasMessageContaining("nested too deep");

        Map<String, byte[]> unevenlyDeep = new LinkedHashMap<>();
        unevenlyDeep.put("a/b/c.png", png);
        unevenlyDeep.put("d/e.png", png);
        refused("file", () -> upload("uneven", UploadFiles.zip(unevenlyDeep))).hasMessageContaining("nested too deep");

        Map<String, byte[]> clash = new LinkedHashMap<>();
        clash.put("x.png", png);
        clash.put("x.png/y.png", png);
        refused("file", () -> upload("clash", UploadFiles.zip(clash))).hasMessageContaining("clashes");

        refused("file", () -> upload("empty-zip", UploadFiles.zip(Map.of()))).hasMessageContaining("no PNG or JPEG");
        refused("file", () -> upload("only-folders", UploadFiles.zip(Map.of("a/", new byte[0]))))
                .hasMessageContaining("no PNG or JPEG");
    }

    @Test
    void brokenZipsAndUnknownFilesAreRefused() throws IOException {
        byte[] zip = shapesZip(null);
        byte[] cut = java.util.Arrays.copyOf(zip, zip.length / 2);
        refused("file", () -> upload("cut-zip", cut)).hasMessageContaining("zip");
        refused("file", () -> upload("nothing", new byte[0])).hasMessageContaining("is empty");
        refused("file", () -> upload("pdf", "%PDF-1.4 ...".getBytes())).hasMessageContaining("neither");
        // a bare PNG is not a dataset either
        refused("file", () -> upload("one-png", UploadFiles.png(4, 4))).hasMessageContaining("neither");
    }

    @Test
    void invalidAndMismatchedIdxFilesAreRefused() throws IOException {
        byte[] images = UploadFiles.idxImages(10, 8);
        byte[] truncated = java.util.Arrays.copyOf(images, images.length - 5);
        refused("file", () -> upload("short", truncated)).hasMessageContaining("truncated");
        byte[] longer = java.util.Arrays.copyOf(images, images.length + 3);
        refused("file", () -> upload("long", longer)).hasMessageContaining("more data");
        refused("file", () -> upload("labels-as-images", UploadFiles.idxLabels(10, 2))).hasMessageContaining("labels file");
        byte[] floats = UploadFiles.idx(0x00000D03, new int[] {1, 2, 2}, new byte[16]);
        refused("file", () -> upload("floats", floats)).hasMessageContaining("0x00000d03");
        // a header announcing 4 billion images is refused before a byte of data is read
        byte[] lying = UploadFiles.idx(UploadFiles.IDX_IMAGES_MAGIC, new int[] {-1, 28, 28}, new byte[0]);
        refused("file", () -> upload("lying", lying)).hasMessageContaining("4294967295 images");
        byte[] huge = UploadFiles.idx(UploadFiles.IDX_IMAGES_MAGIC, new int[] {1, 1000, 1000}, new byte[0]);
        refused("file", () -> upload("huge-idx", huge)).hasMessageContaining("max-image-side");
        byte[] corruptGzip = UploadFiles.gzip(images);
        corruptGzip[corruptGzip.length / 2] ^= 0x5A;
        refused("file", () -> upload("bad-gzip", corruptGzip));

        refused("labels", () -> upload("mismatch", images, UploadFiles.idxLabels(9, 2))).hasMessageContaining("9 labels for 10 images");
        refused("labels", () -> upload("swapped", images, images)).hasMessageContaining("not an IDX labels file");
        refused("labels", () -> upload("zip-labels", shapesZip(null), UploadFiles.idxLabels(12, 2)))
                .hasMessageContaining("IDX images file only");
    }

    @Test
    void theUploadItselfIsLimitedAsItIsRead() throws IOException {
        byte[] noise = new byte[(1 << 20) + 10];
        new Random(1).nextBytes(noise);
        byte[] zip = UploadFiles.zip(Map.of("noise.png", noise)); // random bytes do not deflate
        assertThat(zip.length).isGreaterThan(1 << 20);
        List<String> before = listing(root);
        assertThatThrownBy(() -> upload("too-big", zip)).isInstanceOf(UploadTooLargeException.class)
                .hasMessageContaining("max-upload-bytes");
        assertThat(listing(root)).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Upper", "under_score", "-dash-first", "dot.name", "../up", "a/b", "mnist", "ring8",
        "a2345678901234567890123456789012345678901234567890123456789012345"})
    void badNamesAreRefused(String name) throws IOException {
        refused("name", () -> upload(name, shapesZip(null)));
    }

    @Test
    void anExistingNameIsAConflictAndKeepsTheFirstDataset() throws IOException {
        upload("taken", shapesZip(null));
        byte[] manifest = Files.readAllBytes(root.resolve("taken").resolve(DatasetImporter.MANIFEST));
        assertThatThrownBy(() -> upload("taken", UploadFiles.idxImages(3, 8))).isInstanceOf(DatasetExistsException.class);
        assertThat(Files.readAllBytes(root.resolve("taken").resolve(DatasetImporter.MANIFEST))).isEqualTo(manifest);
        assertThat(root.resolve("taken").resolve(IdxImport.IMAGES_FILE)).doesNotExist();
    }

    @Test
    void leftoversOfAnInterruptedImportAreRemovedAndNothingElse() throws IOException {
        upload("kept", shapesZip(null));
        Path leftover = Files.createDirectories(root.resolve(".incoming-crashed").resolve("disc"));
        Files.write(leftover.resolve("a.png"), UploadFiles.png(2, 2));

        importer.removeLeftovers();

        assertThat(root.resolve(".incoming-crashed")).doesNotExist();
        assertThat(root.resolve("kept")).isDirectory();
    }
}
