package io.ganserve.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ganserve.support.HttpApi;
import io.ganserve.support.HttpApi.FilePart;
import io.ganserve.support.ServiceOnTempData;
import io.ganserve.support.UploadFiles;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /datasets} over real HTTP with small limits: good uploads import, list and train;
 * every bad one is a 4xx problem+json naming the field and the rule, and leaves the datasets
 * folder exactly as it was.
 */
class DatasetUploadTest extends ServiceOnTempData {

    /** Above Spring's own 1 MB multipart default, so the test tells the two apart. */
    private static final int MAX_UPLOAD = 2 << 20;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("ganserve.datasets.mnist-dir", () -> data.resolve("no-mnist").toString());
        registry.add("ganserve.datasets.upload.max-upload-bytes", () -> MAX_UPLOAD + "B");
        registry.add("ganserve.datasets.upload.max-entries", () -> "200");
        registry.add("ganserve.datasets.upload.max-uncompressed-bytes", () -> "4MB");
        registry.add("ganserve.datasets.upload.max-images", () -> "100");
        // 4096, the default, so a decoded-pixel bomb passes the side check and meets the decoded-bytes one
        registry.add("ganserve.datasets.upload.max-image-side", () -> "4096");
        registry.add("ganserve.datasets.upload.max-decoded-bytes", () -> "20MB");
    }

    HttpApi api;

    @BeforeEach
    void client() {
        api = new HttpApi(port);
    }

    private List<String> datasetsFolder() throws IOException {
        Path root = data.resolve("datasets");
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(root)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private HttpResponse<String> upload(String name, String filename, byte[] file) {
        Map<String, Object> parts = new LinkedHashMap<>();
        parts.put("name", name);
        parts.put("file", new FilePart(filename, file));
        return api.postMultipart("/datasets", parts);
    }

    /** A refused upload: the status, problem+json naming field and rule, and nothing new on disk. */
    private JsonNode refused(int status, String field, String ruleFragment, HttpResponse<String> response,
                             List<String> before) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = api.json(response);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("field").asString()).isEqualTo(field);
        assertThat(problem.get("rule").asString()).contains(ruleFragment);
        assertThat(datasetsFolder()).as("the datasets folder after a refused upload").isEqualTo(before);
        return problem;
    }

    private static byte[] shapesZip(String enclosing, int perClass, long seed) {
        return UploadFiles.zip(UploadFiles.shapeEntries(enclosing, List.of("disc", "square"), perClass, 16, seed));
    }

    @Test
    void aZipOfPngsImportsListsAndTrains() {
        HttpResponse<String> created = upload("shapes", "shapes.zip", shapesZip("shapes", 20, 1));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValue("/datasets/shapes");
        JsonNode body = api.json(created);
        assertThat(body.get("source").asString()).isEqualTo("uploaded");
        assertThat(body.get("format").asString()).isEqualTo("zip");
        assertThat(body.get("samples").asInt()).isEqualTo(40);
        assertThat(body.get("classNames").toString()).isEqualTo("[\"disc\",\"square\"]");
        assertThat(body.get("filename").asString()).isEqualTo("shapes.zip");
        assertThat(body.get("available").asBoolean()).isTrue();

        JsonNode listed = api.json(api.get("/datasets"));
        List<String> names = listed.findValuesAsString("name");
        assertThat(names.subList(0, 4)).containsExactly("ring8", "grid25", "mnist", "fashion-mnist");
        assertThat(listed.get(2).get("available").asBoolean()).as("mnist is not installed here").isFalse();
        assertThat(listed.get(names.indexOf("shapes")).get("samples").asInt()).isEqualTo(40);
        assertThat(api.json(api.get("/datasets/shapes")).get("classes").asInt()).isEqualTo(2);
        assertThat(api.get("/datasets/no-such-set").statusCode()).isEqualTo(404);

        // usable exactly like an image folder; conditional proves the class folders became labels
        JsonNode job = api.trainToSuccess("{\"dataset\":\"shapes\",\"architecture\":\"mlp\",\"imageSize\":8,"
                + "\"hiddenUnits\":16,\"hiddenLayers\":1,\"latentDim\":4,\"steps\":5,\"batchSize\":8,"
                + "\"conditional\":true,\"evaluateAtEnd\":false,\"seed\":1}", Duration.ofMinutes(3));
        HttpResponse<byte[]> samples = api.getBytes("/samples?n=4&seed=1&label=1&job=" + job.get("id").asString());
        assertThat(samples.statusCode()).isEqualTo(200);
        assertThat(samples.headers().firstValue("Content-Type")).hasValue("image/png");
        // 8 px is too small for the feature network: nearest neighbours fall back to pixels alone (was a 500)
        HttpResponse<byte[]> nearest = api.getBytes("/samples/nearest?n=2&seed=1&job=" + job.get("id").asString());
        assertThat(nearest.statusCode()).isEqualTo(200);
        assertThat(nearest.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(nearest.headers().firstValue("X-Columns")).hasValue("sample, nearest by pixels");
    }

    @Test
    void idxImagesWithLabelsImportAndTrain() {
        Map<String, Object> parts = new LinkedHashMap<>();
        parts.put("name", "bars");
        parts.put("file", new FilePart("train-images-idx3-ubyte.gz", UploadFiles.gzip(UploadFiles.idxImages(60, 12))));
        parts.put("labels", new FilePart("train-labels-idx1-ubyte", UploadFiles.idxLabels(60, 3)));
        HttpResponse<String> created = api.postMultipart("/datasets", parts);

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode body = api.json(created);
        assertThat(body.get("format").asString()).isEqualTo("idx");
        assertThat(body.get("samples").asInt()).isEqualTo(60);
        assertThat(body.get("classes").asInt()).isEqualTo(3);
        assertThat(body.get("width").asInt()).isEqualTo(12);
        assertThat(body.get("labelled").asBoolean()).isTrue();

        api.trainToSuccess("{\"dataset\":\"bars\",\"architecture\":\"mlp\",\"imageSize\":8,\"hiddenUnits\":16,"
                + "\"hiddenLayers\":1,\"latentDim\":4,\"steps\":5,\"batchSize\":8,\"evaluateAtEnd\":false}",
                Duration.ofMinutes(3));
    }

    @Test
    void zipSlipIsRefused() throws IOException {
        List<String> before = datasetsFolder();
        byte[] png = UploadFiles.png(4, 4);
        refused(400, "file", "climbs out", upload("slip", "slip.zip", UploadFiles.zip(Map.of("../../evil.png", png))), before);
        refused(400, "file", "absolute path", upload("abs", "abs.zip", UploadFiles.zip(Map.of("/tmp/evil.png", png))), before);
        assertThat(data.resolve("evil.png")).doesNotExist();
    }

    @Test
    void aZipBombIsRefusedByWhatItInflatesTo() throws IOException {
        List<String> before = datasetsFolder();
        byte[] bomb = UploadFiles.zipBomb("zeros.png", 32L << 20);
        assertThat(bomb.length).as("32 MB of zeros compress to a few KB").isLessThan(64 * 1024);
        refused(400, "file", "max-uncompressed-bytes", upload("bomb", "bomb.zip", bomb), before);
    }

    @Test
    void aDecodedPixelBombIsRefusedFromItsHeadersBeforeAnyPixelIsDecoded() throws IOException {
        List<String> before = datasetsFolder();
        byte[] bomb16 = UploadFiles.zeroPng(4096, 4096, 6, 16);
        // an honest PNG, but ~130 KB on the wire for 128 MB of 16-bit RGBA pixels
        assertThat(bomb16.length).isLessThan(400_000);
        javax.imageio.ImageReader reader = ImageIO.getImageReadersByFormatName("png").next();
        reader.setInput(ImageIO.createImageInputStream(new java.io.ByteArrayInputStream(bomb16)));
        assertThat(reader.getWidth(0)).isEqualTo(4096);
        assertThat(reader.getRawImageType(0).getSampleModel().getSampleSize()).containsExactly(16, 16, 16, 16);
        reader.dispose();
        Map<String, byte[]> bombs = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            bombs.put("bomb-" + i + ".png", bomb16);
        }
        long start = System.nanoTime();
        JsonNode perImage = refused(413, "file", "max-decoded-bytes-per-image",
                upload("pixel-bomb", "bomb.zip", UploadFiles.zip(bombs)), before);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(perImage.get("rule").asString()).contains("'bomb-0.png'", "4096 x 4096", "134217728 bytes",
                "more than 67108864");
        // a loose bound (the reported bomb took 51 s); the rule's wording is what shows the header decided
        assertThat(took).isLessThan(Duration.ofSeconds(10));

        // each under the per-image limit, together over the data set's 20 MB
        byte[] grey4k = UploadFiles.zeroPng(4096, 4096, 0, 8); // 16 MB decoded
        JsonNode perDataset = refused(413, "file", "max-decoded-bytes)",
                upload("grey-bomb", "grey.zip", UploadFiles.zip(Map.of("a.png", grey4k, "b.png", grey4k))), before);
        assertThat(perDataset.get("rule").asString()).contains("33554432 bytes", "more than 20971520");
    }

    @Test
    void tooManyEntriesOrImagesAreRefused() throws IOException {
        List<String> before = datasetsFolder();
        Map<String, byte[]> folders = new LinkedHashMap<>();
        for (int i = 0; i < 201; i++) {
            folders.put("f" + i + "/", null);
        }
        refused(400, "file", "max-entries", upload("entries", "e.zip", UploadFiles.zip(folders)), before);
        refused(400, "file", "max-images", upload("images", "i.zip", shapesZip(null, 51, 2)), before);
    }

    @Test
    void nonImagesAndHugeImagesAreRefused() throws IOException {
        List<String> before = datasetsFolder();
        Map<String, byte[]> withText = new LinkedHashMap<>(UploadFiles.shapeEntries(null, List.of("disc"), 3, 8, 3));
        withText.put("disc/notes.txt", "not a picture".getBytes());
        refused(400, "file", "'disc/notes.txt' is not a PNG or JPEG", upload("text", "t.zip", UploadFiles.zip(withText)),
                before);
        byte[] png = UploadFiles.png(30, 30);
        byte[] cut = java.util.Arrays.copyOf(png, png.length / 2);
        refused(400, "file", "does not decode", upload("cut", "c.zip", UploadFiles.zip(Map.of("cut.png", cut))), before);
        byte[] claims = UploadFiles.pngClaiming(50_000, 50_000);
        refused(400, "file", "max-image-side", upload("huge", "h.zip", UploadFiles.zip(Map.of("huge.png", claims))), before);
    }

    @Test
    void invalidOrMismatchedIdxIsRefused() throws IOException {
        List<String> before = datasetsFolder();
        byte[] images = UploadFiles.idxImages(10, 8);
        refused(400, "file", "truncated", upload("short", "x", java.util.Arrays.copyOf(images, images.length - 1)), before);
        refused(400, "file", "labels file", upload("swapped", "x", UploadFiles.idxLabels(10, 2)), before);
        Map<String, Object> parts = new LinkedHashMap<>();
        parts.put("name", "mismatch");
        parts.put("file", new FilePart("images", images));
        parts.put("labels", new FilePart("labels", UploadFiles.idxLabels(11, 2)));
        refused(400, "labels", "11 labels for 10 images", api.postMultipart("/datasets", parts), before);
        refused(400, "file", "neither", upload("random", "x", "just some text".getBytes()), before);
    }

    @Test
    void badNamesAndTakenNames() throws IOException {
        List<String> before = datasetsFolder();
        byte[] zip = shapesZip(null, 2, 4);
        refused(400, "name", "[a-z0-9]", upload("Bad_Name", "z.zip", zip), before);
        refused(400, "name", "[a-z0-9]", upload("../up", "z.zip", zip), before);
        refused(400, "name", "built-in", upload("mnist", "z.zip", zip), before);
        refused(400, "name", "required", api.postMultipart("/datasets", Map.of("file", new FilePart("z.zip", zip))), before);
        refused(400, "file", "required", api.postMultipart("/datasets", Map.of("name", "no-file")), before);

        assertThat(upload("taken", "z.zip", zip).statusCode()).isEqualTo(201);
        List<String> withTaken = datasetsFolder();
        assertThat(withTaken).contains("taken");
        refused(409, "name", "already exists", upload("taken", "other.zip", shapesZip(null, 3, 5)), withTaken);
    }

    @Test
    void uploadsUpToTheLimitPassAndLargerOnesAre413() throws IOException {
        // eight 256 x 256 noise PNGs: about 1.6 MB that does not compress, under the 2 MB limit
        Random rng = new Random(5);
        Map<String, byte[]> noisy = new LinkedHashMap<>();
        for (int i = 0; i < 8; i++) {
            java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(256, 256,
                    java.awt.image.BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 256; y++) {
                for (int x = 0; x < 256; x++) {
                    image.setRGB(x, y, rng.nextInt(1 << 24));
                }
            }
            noisy.put("noise-" + i + ".png", UploadFiles.png(image));
        }
        byte[] zip = UploadFiles.zip(noisy);
        assertThat(zip.length).isBetween(3 << 19, MAX_UPLOAD);
        HttpResponse<String> created = upload("noise", "noise.zip", zip);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        List<String> before = datasetsFolder();
        byte[] noise = new byte[MAX_UPLOAD + 100_000];
        rng.nextBytes(noise);
        refused(413, "file", "max-upload-bytes", upload("big", "big.zip", noise), before);
    }

    @Test
    void notMultipartIsRefused() throws IOException {
        List<String> before = datasetsFolder();
        HttpResponse<String> json = api.post("/datasets", "{\"name\":\"x\"}");
        assertThat(json.statusCode()).isEqualTo(415);
        assertThat(json.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(datasetsFolder()).isEqualTo(before);
    }
}
