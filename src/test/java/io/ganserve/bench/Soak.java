package io.ganserve.bench;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import tools.jackson.databind.JsonNode;

/**
 * Soak benchmark: starts the service as its own process ({@link SoakServer}), keeps a training job
 * running in it, and fires many {@code GET /samples} requests from concurrent clients
 * ({@link SampleLoad}) while watching the server's resident memory ({@link SoakReport}). A leak of
 * native arrays, heap objects or cached models shows up as RSS that keeps climbing after the
 * warm-up, which an in-process test of a few thousand requests would not reveal. Run with
 * {@code ./mvnw -q test-compile exec:exec@soak}; {@code -Dsoak.requests=5000 -Dsoak.warmup=1000}
 * makes a quick run, {@code -Dsoak.mix=true} runs {@link MixedSoak} instead. Not part of the tests.
 */
public final class Soak {

    /** Where the service looks for image-folder datasets: under its data dir by default. */
    private static final String GENERATED_DATASET = "soak-shapes";

    /** What to run; every field comes from a {@code soak.*} system property. */
    record Options(int requests, int clients, int warmup, int samplesPerRequest, int sampleSeconds, String dataset,
            int servingSteps, double maxGrowthPercent, List<String> serverJvmArgs, boolean keepData, boolean train,
            boolean nativeMemoryTracking) {

        static Options fromSystemProperties() {
            Options o = new Options(Integer.getInteger("soak.requests", 50_000), Integer.getInteger("soak.clients", 8),
                    Integer.getInteger("soak.warmup", 5_000), Integer.getInteger("soak.n", 16),
                    Integer.getInteger("soak.sampleSeconds", 30), blankToNull(System.getProperty("soak.dataset")),
                    Integer.getInteger("soak.servingSteps", 40),
                    Double.parseDouble(System.getProperty("soak.maxGrowthPercent", "5")),
                    List.of(System.getProperty("soak.serverJvmArgs", "-Xmx1g").trim().split("\\s+")),
                    Boolean.getBoolean("soak.keepData"),
                    Boolean.parseBoolean(System.getProperty("soak.train", "true")), Boolean.getBoolean("soak.nmt"));
            if (o.requests < 1 || o.clients < 1 || o.warmup < 0 || o.warmup >= o.requests) {
                throw new IllegalArgumentException("need requests >= 1, clients >= 1 and 0 <= warmup < requests, got "
                        + o.requests + ", " + o.clients + ", " + o.warmup);
            }
            return o;
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s;
        }
    }

    private final Options options;

    private Soak(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        if (Boolean.getBoolean("soak.mix")) {
            MixedSoak.main(args);
            return;
        }
        Options options = Options.fromSystemProperties();
        boolean passed = new Soak(options).run();
        System.exit(passed ? 0 : 1);
    }

    private boolean run() throws Exception {
        Path dataDir = Files.createTempDirectory("ganserve-soak");
        String dataset = options.dataset() != null ? options.dataset() : generateShapes(dataDir.resolve("datasets"));
        List<String> jvmArgs = new ArrayList<>(options.serverJvmArgs());
        if (options.nativeMemoryTracking()) {
            jvmArgs.add("-XX:NativeMemoryTracking=summary");
        }
        try (SoakServer server = SoakServer.launch(dataDir, jvmArgs, List.of())) {
            try {
                System.out.printf("soak: server pid %d on port %d, data %s, %d requests of n=%d from %d clients, "
                                + "warm-up %d, %d cores, server JVM %s, load average %s%n", server.pid(), server.port(),
                        dataDir, options.requests(), options.samplesPerRequest(), options.clients(), options.warmup(),
                        Runtime.getRuntime().availableProcessors(), String.join(" ", options.serverJvmArgs()),
                        SoakReport.loadAverage());
                server.awaitReady();
                return soak(server, dataset);
            } catch (Exception | Error e) {
                System.out.println("soak: failed: " + e);
                server.printLogTail();
                throw e;
            }
        } finally {
            SoakServer.keepOrDelete(dataDir, options.keepData());
        }
    }

    /** Trains the model to serve, then runs the load beside a training job that never ends. */
    private boolean soak(SoakServer server, String dataset) throws Exception {
        String served = server.postJob("{\"dataset\":\"" + dataset + "\",\"steps\":" + options.servingSteps()
                + ",\"checkpointEvery\":" + options.servingSteps() + ",\"seed\":1,\"evaluateAtEnd\":false}");
        long started = System.nanoTime();
        JsonNode servedJob = server.awaitStatus(served, "SUCCEEDED", Duration.ofMinutes(15));
        System.out.printf("serving model: job %s, %s %s on %s, %d steps in %.0f s%n", served,
                servedJob.path("config").path("architecture").asString(),
                servedJob.path("config").path("loss").asString(), dataset, servedJob.path("progress").path("step").asLong(),
                (System.nanoTime() - started) / 1e9);
        SampleLoad load = new SampleLoad(server, options);
        if (!options.train()) {
            System.out.println("background training: off (soak.train=false)");
            return SoakReport.print(load.run(), options, true);
        }
        // Keeps the one training worker busy for the whole soak, so serving shares the process
        // (and its allocator) with a job that allocates and frees every step and checkpoints.
        String training = server.postJob("{\"dataset\":\"" + dataset + "\",\"steps\":1000000,"
                + "\"checkpointEvery\":25,\"seed\":2,\"evaluateAtEnd\":false}");
        JsonNode before = server.awaitStep(training, 2, Duration.ofMinutes(5));
        System.out.printf("background training: job %s RUNNING at step %d%n", training,
                before.path("progress").path("step").asLong());

        SampleLoad.Result result = load.run();

        JsonNode after = server.job(training);
        long steps = after.path("progress").path("step").asLong() - before.path("progress").path("step").asLong();
        boolean stillTraining = "RUNNING".equals(after.path("status").asString());
        System.out.printf("background training: %s, %d steps during the soak (%.1f steps/s)%n",
                after.path("status").asString(), steps, steps / result.seconds());
        server.cancelJob(training);
        return SoakReport.print(result, options, stillTraining);
    }

    /**
     * A small image-folder dataset, so the soak needs nothing installed: 512 grayscale 32×32
     * pictures of one bright disc or square each, at seeded positions and sizes.
     */
    static String generateShapes(Path datasetRoot) throws IOException {
        return generateShapes(datasetRoot, GENERATED_DATASET, 32);
    }

    /** The same pictures at {@code px}×{@code px} (shapes scaled with the side), as dataset {@code name}. */
    static String generateShapes(Path datasetRoot, String name, int px) throws IOException {
        Path folder = Files.createDirectories(datasetRoot.resolve(name));
        Random rng = new Random(7);
        for (int i = 0; i < 512; i++) {
            BufferedImage image = new BufferedImage(px, px, BufferedImage.TYPE_BYTE_GRAY);
            Graphics2D g = image.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.BLACK);
            g.fillRect(0, 0, px, px);
            int size = (8 + rng.nextInt(14)) * px / 32;
            int x = rng.nextInt(px - size);
            int y = rng.nextInt(px - size);
            int level = 160 + rng.nextInt(96);
            g.setColor(new Color(level, level, level));
            if (rng.nextBoolean()) {
                g.fillOval(x, y, size, size);
            } else {
                g.fillRect(x, y, size, size);
            }
            g.dispose();
            ImageIO.write(image, "png", folder.resolve(String.format("shape-%03d.png", i)).toFile());
        }
        return name;
    }
}
