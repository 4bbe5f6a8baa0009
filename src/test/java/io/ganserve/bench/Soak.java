package io.ganserve.bench;

import io.ganserve.GanServeApplication;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Soak benchmark: starts the service as its own process, keeps a training job running in it, and
 * fires many {@code GET /samples} requests from concurrent clients while watching the server's
 * resident memory. A leak of native arrays, heap objects or cached models shows up as RSS that
 * keeps climbing after the warm-up, which an in-process test of a few thousand requests would not
 * reveal. Run with {@code ./mvnw -q test-compile exec:exec@soak}; {@code -Dsoak.requests=5000
 * -Dsoak.warmup=1000} makes a quick run. Not part of the tests.
 */
public final class Soak {

    /** Where the service looks for image-folder datasets: under its data dir by default. */
    private static final String GENERATED_DATASET = "soak-shapes";
    private static final Pattern VM_RSS = Pattern.compile("^VmRSS:\\s+(\\d+) kB", Pattern.MULTILINE);
    private static final String SERIES_HEADER = String.format("%8s %10s %9s %10s %10s %10s", "seconds", "requests",
            "RSS", "heap used", "heap comm", "live heap");

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

    /** One reading of the server's memory while the soak runs. */
    record MemorySample(double seconds, int requestsDone, long rssBytes, long heapUsedBytes, long heapCommittedBytes,
            long liveHeapBytes) {}

    private final Options options;
    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String apiKey;
    private Process server;
    private String base;

    private Soak(Options options) {
        this.options = options;
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.apiKey = "soak-" + HexFormat.of().formatHex(secret);
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
        Path log = dataDir.resolve("server.log");
        String dataset = options.dataset() != null ? options.dataset() : generateShapes(dataDir.resolve("datasets"));
        int port = freePort();
        base = "http://127.0.0.1:" + port;
        server = startServer(port, dataDir, log);
        Thread stopper = new Thread(this::stopServer);
        Runtime.getRuntime().addShutdownHook(stopper);
        try {
            System.out.printf("soak: server pid %d on port %d, data %s, %d requests of n=%d from %d clients, "
                            + "warm-up %d, %d cores, server JVM %s, load average %s%n", server.pid(), port, dataDir,
                    options.requests(), options.samplesPerRequest(), options.clients(), options.warmup(),
                    Runtime.getRuntime().availableProcessors(), String.join(" ", options.serverJvmArgs()), loadAverage());
            awaitHealthy(log);
            String served = post("/jobs", "{\"dataset\":\"" + dataset + "\",\"steps\":" + options.servingSteps()
                    + ",\"checkpointEvery\":" + options.servingSteps() + ",\"seed\":1,\"evaluateAtEnd\":false}");
            long started = System.nanoTime();
            JsonNode servedJob = awaitStatus(served, "SUCCEEDED", Duration.ofMinutes(15));
            System.out.printf("serving model: job %s, %s %s on %s, %d steps in %.0f s%n", served,
                    servedJob.path("config").path("architecture").asString(),
                    servedJob.path("config").path("loss").asString(), dataset, servedJob.path("progress").path("step").asLong(),
                    (System.nanoTime() - started) / 1e9);
            if (!options.train()) {
                System.out.println("background training: off (soak.train=false)");
                return report(soak(), true);
            }
            // Keeps the one training worker busy for the whole soak, so serving shares the process
            // (and its allocator) with a job that allocates and frees every step and checkpoints.
            String training = post("/jobs", "{\"dataset\":\"" + dataset + "\",\"steps\":1000000,"
                    + "\"checkpointEvery\":25,\"seed\":2,\"evaluateAtEnd\":false}");
            JsonNode before = awaitStep(training, 2, Duration.ofMinutes(5));
            System.out.printf("background training: job %s RUNNING at step %d%n", training,
                    before.path("progress").path("step").asLong());

            Result result = soak();

            JsonNode after = job(training);
            long steps = after.path("progress").path("step").asLong() - before.path("progress").path("step").asLong();
            boolean stillTraining = "RUNNING".equals(after.path("status").asString());
            System.out.printf("background training: %s, %d steps during the soak (%.1f steps/s)%n",
                    after.path("status").asString(), steps, steps / result.seconds());
            send(HttpRequest.newBuilder(uri("/jobs/" + training)).DELETE());
            return report(result, stillTraining);
        } catch (Exception | Error e) {
            System.out.println("soak: failed: " + e);
            printTail(log);
            throw e;
        } finally {
            stopServer();
            Runtime.getRuntime().removeShutdownHook(stopper);
            if (options.keepData()) {
                System.out.println("data and server log kept in " + dataDir);
            } else {
                deleteRecursively(dataDir);
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // the load

    /** What the clients measured. */
    record Result(long[] nanos, int errors, Map<String, Integer> errorKinds, double seconds, long warmRss,
            int warmAt, long endRss, List<MemorySample> series) {}

    private Result soak() throws InterruptedException {
        int requests = options.requests();
        long[] nanos = new long[requests];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        Map<String, Integer> errorKinds = new ConcurrentHashMap<>();
        AtomicLong warmRss = new AtomicLong(-1);
        List<MemorySample> series = new CopyOnWriteArrayList<>();
        long t0 = System.nanoTime();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        // Printed as taken too, so a long run shows its progress and a killed one leaves its series.
        System.out.printf("%n%s%n", SERIES_HEADER);
        sampler.scheduleAtFixedRate(() -> record(series, memory(t0, done.get())), 0, options.sampleSeconds(),
                TimeUnit.SECONDS);

        List<Thread> clients = new ArrayList<>();
        AtomicReference<Throwable> crashed = new AtomicReference<>();
        for (int c = 0; c < options.clients(); c++) {
            clients.add(Thread.ofPlatform().name("soak-client-" + c).start(() -> {
                try {
                    for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                        String failure = sampleOnce(i, nanos);
                        if (failure != null) {
                            errors.incrementAndGet();
                            errorKinds.merge(failure, 1, Integer::sum);
                        }
                        if (done.incrementAndGet() == options.warmup()) {
                            warmRss.set(rss());
                            record(series, memory(t0, options.warmup()));
                            if (options.nativeMemoryTracking()) {
                                jcmd("VM.native_memory", "baseline");
                            }
                        }
                    }
                } catch (Throwable t) {
                    crashed.compareAndSet(null, t);
                }
            }));
        }
        for (Thread t : clients) {
            t.join();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long endRss = rss();
        if (options.nativeMemoryTracking()) {
            // The JVM's own native memory since the warm-up, by category; RSS growth it does not
            // account for is libtorch's (or another library's) malloc.
            System.out.printf("%nJVM native memory since the warm-up (NMT):%n%s%n",
                    jcmd("VM.native_memory", "summary.diff", "scale=KB"));
        }
        sampler.shutdown();
        sampler.awaitTermination(30, TimeUnit.SECONDS);
        record(series, memory(t0, done.get()));
        if (crashed.get() != null) {
            throw new IllegalStateException("a client thread died", crashed.get());
        }
        List<MemorySample> ordered = new ArrayList<>(series);
        ordered.sort((a, b) -> Double.compare(a.seconds(), b.seconds()));
        return new Result(nanos, errors.get(), errorKinds, seconds, warmRss.get(), options.warmup(), endRss, ordered);
    }

    /** One request; returns null when it answered 200 with a body, else what went wrong. */
    private String sampleOnce(int i, long[] nanos) {
        HttpRequest request = HttpRequest.newBuilder(uri("/samples?n=" + options.samplesPerRequest() + "&seed=" + i))
                .header("X-API-Key", apiKey).timeout(Duration.ofSeconds(60)).GET().build();
        long start = System.nanoTime();
        try {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            nanos[i] = System.nanoTime() - start;
            if (r.statusCode() != 200) {
                return "HTTP " + r.statusCode();
            }
            return r.body().length == 0 ? "empty body" : null;
        } catch (IOException e) {
            nanos[i] = System.nanoTime() - start;
            return e.getClass().getSimpleName();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private boolean report(Result r, boolean stillTraining) {
        long[] sorted = r.nanos().clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        System.out.printf("%nrequests   %,d GET /samples?n=%d (PNG) from %d clients in %.1f s: %.1f requests/s%n", n,
                options.samplesPerRequest(), options.clients(), r.seconds(), n / r.seconds());
        System.out.printf("errors     %d%s%n", r.errors(), r.errorKinds().isEmpty() ? "" : " " + r.errorKinds());
        System.out.printf("latency    p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n", percentile(sorted, 0.50),
                percentile(sorted, 0.90), percentile(sorted, 0.99), sorted[n - 1] / 1e6);

        System.out.printf("%nthe server's memory (MB) through the soak:%n%s%n", SERIES_HEADER);
        r.series().forEach(s -> System.out.println(row(s)));
        double slope = rssSlopePer10k(r.series(), r.warmAt());
        double growth = 100.0 * (r.endRss() - r.warmRss()) / r.warmRss();
        System.out.printf("%nRSS        %.1f MB after %,d requests (warm-up), %.1f MB at the end: %+.2f%%; "
                        + "least-squares slope after warm-up %+.2f MB per 10,000 requests%n", r.warmRss() / 1048576.0,
                r.warmAt(), r.endRss() / 1048576.0, growth, slope);

        System.out.printf("load average at the end %s (other processes share these cores: latency is noisy)%n",
                loadAverage());

        boolean memoryOk = growth < options.maxGrowthPercent();
        boolean errorsOk = r.errors() == 0;
        System.out.printf("%nmemory growth < %.0f%%: %s%n", options.maxGrowthPercent(), memoryOk ? "PASS" : "FAIL");
        System.out.printf("0 errors: %s%n", errorsOk ? "PASS" : "FAIL");
        if (!stillTraining) {
            System.out.println("note: the background training job was no longer running at the end");
        }
        boolean passed = memoryOk && errorsOk;
        System.out.println(passed ? "SOAK PASS" : "SOAK FAIL");
        return passed;
    }

    // ------------------------------------------------------------------------------------------
    // memory readings

    private MemorySample memory(long t0, int done) {
        long rss = rss();
        Map<String, Double> m = metrics();
        return new MemorySample((System.nanoTime() - t0) / 1e9, done, rss, sum(m, "jvm_memory_used_bytes", "area=\"heap\""),
                sum(m, "jvm_memory_committed_bytes", "area=\"heap\""), sum(m, "jvm_gc_live_data_size_bytes", ""));
    }

    private long rss() {
        try {
            Matcher m = VM_RSS.matcher(Files.readString(Path.of("/proc", Long.toString(server.pid()), "status")));
            if (!m.find()) {
                throw new IllegalStateException("no VmRSS in /proc/" + server.pid() + "/status");
            }
            return Long.parseLong(m.group(1)) * 1024;
        } catch (IOException e) {
            throw new UncheckedIOException("reading the server's /proc status (is this Linux?)", e);
        }
    }

    /** The Prometheus scrape as series to value; empty when it fails, so a sample never stops the soak. */
    private Map<String, Double> metrics() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/actuator/prometheus"))
                    .header("X-API-Key", apiKey).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return Map.of();
            }
            Map<String, Double> values = new java.util.HashMap<>();
            for (String line : r.body().split("\n")) {
                int space = line.lastIndexOf(' ');
                if (!line.startsWith("#") && space > 0) {
                    try {
                        values.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
                    } catch (NumberFormatException ignored) {
                        // a timestamp or an exemplar: not a line this bench reads
                    }
                }
            }
            return values;
        } catch (IOException e) {
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
    }

    /** Sum of the series of metric {@code name} whose labels include {@code label} (heap: one series per pool); -1 when none. */
    static long sum(Map<String, Double> metrics, String name, String label) {
        double total = 0;
        boolean any = false;
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            String series = e.getKey();
            if ((series.equals(name) || series.startsWith(name + "{")) && series.contains(label)) {
                total += e.getValue();
                any = true;
            }
        }
        return any ? (long) total : -1;
    }

    private static void record(List<MemorySample> series, MemorySample s) {
        series.add(s);
        System.out.println(row(s));
    }

    private static String row(MemorySample s) {
        return String.format("%8.0f %10d %9.1f %10s %10s %10s", s.seconds(), s.requestsDone(), s.rssBytes() / 1048576.0,
                mb(s.heapUsedBytes()), mb(s.heapCommittedBytes()), mb(s.liveHeapBytes()));
    }

    private static String mb(long bytes) {
        return bytes < 0 ? "-" : String.format("%.1f", bytes / 1048576.0);
    }

    /** RSS against requests served, fitted over the samples after the warm-up: MB per 10,000 requests. */
    static double rssSlopePer10k(List<MemorySample> series, int warmAt) {
        List<MemorySample> after = series.stream().filter(s -> s.requestsDone() >= warmAt).toList();
        if (after.size() < 2) {
            return Double.NaN;
        }
        double mx = after.stream().mapToDouble(MemorySample::requestsDone).average().orElseThrow();
        double my = after.stream().mapToDouble(MemorySample::rssBytes).average().orElseThrow();
        double sxy = 0;
        double sxx = 0;
        for (MemorySample s : after) {
            sxy += (s.requestsDone() - mx) * (s.rssBytes() - my);
            sxx += (s.requestsDone() - mx) * (s.requestsDone() - mx);
        }
        return sxx == 0 ? Double.NaN : sxy / sxx * 10_000 / 1048576.0;
    }

    static double percentile(long[] sorted, double p) {
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    // ------------------------------------------------------------------------------------------
    // the server process

    private Process startServer(int port, Path dataDir, Path log) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-Dai.djl.offline=true"));
        command.addAll(options.serverJvmArgs());
        if (options.nativeMemoryTracking()) {
            command.add("-XX:NativeMemoryTracking=summary");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), GanServeApplication.class.getName(),
                "--server.port=" + port, "--server.address=127.0.0.1",
                "--ganserve.training.data-dir=" + dataDir, "--logging.level.root=WARN",
                // Read once API-key authentication exists; until then Spring binds nothing to them.
                "--ganserve.security.api-keys[0].name=soak",
                "--ganserve.security.api-keys[0].sha256=" + sha256Hex(apiKey),
                "--ganserve.security.api-keys[0].roles=WRITE,READ,METRICS"));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Runs a diagnostic command in the server's JVM; returns what it printed. */
    private String jcmd(String... arguments) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(server.pid())));
        command.addAll(List.of(arguments));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(60, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "jcmd failed: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "jcmd interrupted";
        }
    }

    private void awaitHealthy(Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException("the server exited with " + server.exitValue());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/actuator/health/readiness"))
                        .header("X-API-Key", apiKey).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYetListening) {
                // the port opens only after the engine has loaded
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the server was not ready within 5 minutes (log: " + log + ")");
    }

    private void stopServer() {
        Process p = server;
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroy(); // SIGTERM: the graceful shutdown checkpoints the cancelled job
        try {
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------------------------------
    // jobs over HTTP

    private String post(String path, String body) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        if (r.statusCode() != 202) {
            throw new IllegalStateException("POST " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return json.readTree(r.body()).path("id").asString();
    }

    private JsonNode job(String id) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/jobs/" + id)).GET());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /jobs/" + id + " answered " + r.statusCode() + ": " + r.body());
        }
        return json.readTree(r.body());
    }

    private JsonNode awaitStatus(String id, String status, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode job = job(id);
            String now = job.path("status").asString();
            if (now.equals(status)) {
                return job;
            }
            if (now.equals("FAILED") || now.equals("CANCELLED") || System.nanoTime() > deadline) {
                throw new IllegalStateException("job " + id + " is " + now + " (waited for " + status + "): "
                        + job.path("error").asString(""));
            }
            Thread.sleep(500);
        }
    }

    private JsonNode awaitStep(String id, long step, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode job = job(id);
            if (job.path("status").asString().equals("RUNNING") && job.path("progress").path("step").asLong() >= step) {
                return job;
            }
            if (System.nanoTime() > deadline || Stream.of("FAILED", "CANCELLED", "SUCCEEDED")
                    .anyMatch(s -> s.equals(job.path("status").asString()))) {
                throw new IllegalStateException("job " + id + " did not start training: " + job);
            }
            Thread.sleep(500);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.header("X-API-Key", apiKey).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }

    // ------------------------------------------------------------------------------------------
    // set-up

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

    static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The 1, 5 and 15 minute load averages, to read the latency figures by. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static void printTail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            System.out.println("--- last lines of " + log);
            lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(System.out::println);
        } catch (IOException e) {
            System.out.println("(no server log: " + e.getMessage() + ")");
        }
    }

    static void deleteRecursively(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.out.println("could not delete " + dir + ": " + e.getMessage());
        }
    }
}
