package io.ganserve.bench;

import io.ganserve.GanServeApplication;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Mixed soak ({@code -Dsoak.mix=true}): the service under a memory limit well below the machine's,
 * serving samples of every size and format, interpolations and evaluations while a DCGAN-64 trains,
 * so the memory budget (not the rate limit, which is switched off) is what decides who waits. Passes
 * with no 5xx, no connection errors and a peak RSS (VmHWM) within the limit.
 */
final class MixedSoak {

    private static final String DATASET = "soak-shapes-64";
    private static final int[] SAMPLE_SIZES = {1, 16, 64, 256, 1024};
    private static final String[] SAMPLE_FORMATS = {"png", "json", "zip"};
    private static final Pattern STATUS_KB = Pattern.compile("^(VmRSS|VmHWM):\\s+(\\d+) kB", Pattern.MULTILINE);

    record Options(int seconds, int clients, String memoryLimit, List<String> serverJvmArgs, int servingSteps,
            int trainBatch, int evaluateEverySeconds, boolean keepData) {

        static Options fromSystemProperties() {
            return new Options(Integer.getInteger("soak.seconds", 120), Integer.getInteger("soak.clients", 8),
                    System.getProperty("soak.memoryLimit", "3GB"),
                    List.of(System.getProperty("soak.mixServerJvmArgs", "-Xmx768m").trim().split("\\s+")),
                    Integer.getInteger("soak.servingSteps", 3), Integer.getInteger("soak.trainBatch", 32),
                    Integer.getInteger("soak.evaluateEvery", 20), Boolean.getBoolean("soak.keepData"));
        }
    }

    /**
     * Status codes and latencies per request kind; -1 stands for a connection error (no status).
     * Thread-safe: the clients record into it concurrently.
     */
    static final class Tally {
        private final Map<String, Map<Integer, AtomicInteger>> counts = new ConcurrentSkipListMap<>();
        private final Map<String, List<Long>> nanos = new ConcurrentHashMap<>();

        void record(String kind, int status, long elapsedNanos) {
            counts.computeIfAbsent(kind, k -> new ConcurrentSkipListMap<>())
                    .computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
            List<Long> list = nanos.computeIfAbsent(kind, k -> new ArrayList<>());
            synchronized (list) {
                list.add(elapsedNanos);
            }
        }

        /** Requests per status over all kinds. */
        Map<Integer, Integer> byStatus() {
            Map<Integer, Integer> total = new TreeMap<>();
            counts.values().forEach(m -> m.forEach((s, c) -> total.merge(s, c.get(), Integer::sum)));
            return total;
        }

        Map<Integer, Integer> byStatus(String kind) {
            Map<Integer, Integer> out = new TreeMap<>();
            counts.getOrDefault(kind, Map.of()).forEach((s, c) -> out.put(s, c.get()));
            return out;
        }

        List<String> kinds() {
            return List.copyOf(counts.keySet());
        }

        long[] sortedNanos(String kind) {
            List<Long> list = nanos.getOrDefault(kind, List.of());
            long[] out;
            synchronized (list) {
                out = list.stream().mapToLong(Long::longValue).toArray();
            }
            java.util.Arrays.sort(out);
            return out;
        }

        int count(java.util.function.IntPredicate status) {
            return byStatus().entrySet().stream().filter(e -> status.test(e.getKey())).mapToInt(Map.Entry::getValue).sum();
        }
    }

    /** The pass rule: no 5xx, no connection errors, and the process's peak RSS within the limit. */
    static boolean passed(Tally tally, long peakRssBytes, long memoryLimitBytes) {
        return tally.count(s -> s >= 500) == 0 && tally.count(s -> s < 0) == 0 && peakRssBytes <= memoryLimitBytes;
    }

    /** "3GB", "768MB", "512KB" or plain bytes, binary units as Spring's DataSize reads them. */
    static long parseBytes(String size) {
        Matcher m = Pattern.compile("(\\d+)\\s*(KB|MB|GB|TB|B)?", Pattern.CASE_INSENSITIVE).matcher(size.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size: " + size);
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase();
        return switch (unit) {
            case "KB" -> n << 10;
            case "MB" -> n << 20;
            case "GB" -> n << 30;
            case "TB" -> n << 40;
            default -> n;
        };
    }

    private final Options options;
    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String apiKey;
    private final Tally tally = new Tally();
    private final AtomicLong maxRss = new AtomicLong();
    private final Map<String, AtomicLong> maxReserved = new ConcurrentSkipListMap<>();
    private Process server;
    private String base;

    private MixedSoak(Options options) {
        this.options = options;
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.apiKey = "soak-" + HexFormat.of().formatHex(secret);
    }

    public static void main(String[] args) throws Exception {
        boolean passed = new MixedSoak(Options.fromSystemProperties()).run();
        System.exit(passed ? 0 : 1);
    }

    private boolean run() throws Exception {
        Path dataDir = Files.createTempDirectory("ganserve-mixed-soak");
        Path log = dataDir.resolve("server.log");
        Soak.generateShapes(dataDir.resolve("datasets"), DATASET, 64);
        int port = Soak.freePort();
        base = "http://127.0.0.1:" + port;
        server = startServer(port, dataDir, log);
        Thread stopper = new Thread(this::stopServer);
        Runtime.getRuntime().addShutdownHook(stopper);
        try {
            long limit = parseBytes(options.memoryLimit());
            System.out.printf("mixed soak: server pid %d, memory-limit %s, server JVM %s, "
                            + "rate limit off, %d clients for %d s, %d cores, load average %s%n", server.pid(),
                    options.memoryLimit(), String.join(" ", options.serverJvmArgs()), options.clients(),
                    options.seconds(), Runtime.getRuntime().availableProcessors(), Soak.loadAverage());
            awaitHealthy(log);
            String served = postJob("{\"dataset\":\"" + DATASET + "\",\"architecture\":\"dcgan\",\"imageSize\":64,"
                    + "\"steps\":" + options.servingSteps() + ",\"checkpointEvery\":"
                    + options.servingSteps() + ",\"seed\":1,\"evaluateAtEnd\":false}");
            long t = System.nanoTime();
            awaitStatus(served, "SUCCEEDED", Duration.ofMinutes(15));
            System.out.printf("serving model: job %s, DCGAN 64x64, %d steps in %.0f s%n", served,
                    options.servingSteps(), (System.nanoTime() - t) / 1e9);
            String training = postJob("{\"dataset\":\"" + DATASET + "\",\"architecture\":\"dcgan\",\"imageSize\":64,"
                    + "\"batchSize\":" + options.trainBatch() + ",\"steps\":1000000,\"checkpointEvery\":50,"
                    + "\"seed\":2,\"evaluateAtEnd\":false}");
            System.out.printf("background training: job %s, DCGAN 64x64, batch %d%n", training, options.trainBatch());

            double seconds = drive(served);

            JsonNode after = job(training);
            System.out.printf("background training: %s at step %d at the end; cancelled%n",
                    after.path("status").asString(), after.path("progress").path("step").asLong());
            send(HttpRequest.newBuilder(uri("/jobs/" + training)).DELETE());
            Map<String, Double> m = metrics();
            long hwm = procStatus("VmHWM");
            return report(seconds, limit, hwm, m);
        } catch (Exception | Error e) {
            System.out.println("mixed soak: failed: " + e);
            Soak.printTail(log);
            throw e;
        } finally {
            stopServer();
            Runtime.getRuntime().removeShutdownHook(stopper);
            if (options.keepData()) {
                System.out.println("data and server log kept in " + dataDir);
            } else {
                Soak.deleteRecursively(dataDir);
            }
        }
    }

    /** Runs the clients, the evaluator and the memory watch for the configured duration; returns its seconds. */
    private double drive(String servedJob) throws InterruptedException {
        long t0 = System.nanoTime();
        long end = t0 + TimeUnit.SECONDS.toNanos(options.seconds());
        ScheduledExecutorService watch = Executors.newScheduledThreadPool(2);
        // RSS every second (cheap); the scrape less often, as it is itself a request the server serves.
        watch.scheduleAtFixedRate(() -> maxRss.accumulateAndGet(procStatus("VmRSS"), Math::max), 0, 1, TimeUnit.SECONDS);
        watch.scheduleAtFixedRate(this::watchReserved, 0, 3, TimeUnit.SECONDS);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < options.clients(); c++) {
            Random rng = new Random(100 + c);
            threads.add(Thread.ofPlatform().name("mixed-client-" + c).start(() -> {
                while (System.nanoTime() < end) {
                    if (rng.nextInt(6) == 0) {
                        int rows = new int[] {1, 4, 16}[rng.nextInt(3)];
                        int steps = new int[] {10, 32, 64}[rng.nextInt(3)];
                        String format = rng.nextBoolean() ? "png" : "json";
                        get("interpolations", "/interpolations?rows=" + rows + "&steps=" + steps + "&format=" + format
                                + "&seed=" + rng.nextInt(1000) + "&job=" + servedJob);
                    } else {
                        int n = SAMPLE_SIZES[rng.nextInt(SAMPLE_SIZES.length)];
                        String format = SAMPLE_FORMATS[rng.nextInt(SAMPLE_FORMATS.length)];
                        get("samples n=" + n, "/samples?n=" + n + "&format=" + format + "&seed=" + rng.nextInt(1000)
                                + "&job=" + servedJob);
                    }
                }
            }));
        }
        threads.add(Thread.ofPlatform().name("mixed-evaluator").start(() -> {
            int[] sizes = {2000, 5000, 10000};
            for (int i = 0; System.nanoTime() < end; i++) {
                String body = "{\"samples\":" + sizes[i % sizes.length] + ",\"seed\":" + i + "}";
                timed("evaluations", HttpRequest.newBuilder(uri("/jobs/" + servedJob + "/evaluations"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
                long wake = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.evaluateEverySeconds());
                while (System.nanoTime() < Math.min(wake, end)) {
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }));
        for (Thread t : threads) {
            t.join();
        }
        watch.shutdown();
        watch.awaitTermination(30, TimeUnit.SECONDS);
        return (System.nanoTime() - t0) / 1e9;
    }

    private void get(String kind, String path) {
        timed(kind, HttpRequest.newBuilder(uri(path)).GET());
    }

    /**
     * One request as a well-behaved client makes it: a 503 (the memory budget busy) or 429 is retried
     * after its Retry-After, up to {@value #RETRIES} times; what the last try answered is recorded,
     * and every retry is counted.
     */
    private void timed(String kind, HttpRequest.Builder request) {
        long start = System.nanoTime();
        int status = -1;
        HttpRequest built = request.header("X-API-Key", apiKey).timeout(Duration.ofSeconds(120)).build();
        for (int attempt = 0; attempt <= RETRIES; attempt++) {
            try {
                HttpResponse<Void> r = http.send(built, HttpResponse.BodyHandlers.discarding());
                status = r.statusCode();
                if ((status != 503 && status != 429) || attempt == RETRIES) {
                    break;
                }
                retries.incrementAndGet();
                long seconds = r.headers().firstValueAsLong("Retry-After").orElse(1);
                Thread.sleep(Math.min(5, Math.max(1, seconds)) * 1000);
            } catch (IOException e) {
                status = -1;
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        tally.record(kind, status, System.nanoTime() - start);
    }

    private static final int RETRIES = 3;
    private final java.util.concurrent.atomic.AtomicInteger retries = new java.util.concurrent.atomic.AtomicInteger();

    private void watchReserved() {
        metrics().forEach((series, value) -> {
            if (series.startsWith("gan_memory_reserved_bytes{")) {
                maxReserved.computeIfAbsent(pool(series), p -> new AtomicLong())
                        .accumulateAndGet(value.longValue(), Math::max);
            }
        });
    }

    private static String pool(String series) {
        Matcher m = Pattern.compile("pool=\"([^\"]*)\"").matcher(series);
        return m.find() ? m.group(1) : series;
    }

    private boolean report(double seconds, long limit, long hwm, Map<String, Double> m) {
        System.out.printf("%n%-16s %8s %10s %10s  %s%n", "kind", "requests", "p50 ms", "p99 ms", "by status");
        for (String kind : tally.kinds()) {
            long[] sorted = tally.sortedNanos(kind);
            System.out.printf("%-16s %8d %10.0f %10.0f  %s%n", kind, sorted.length, Soak.percentile(sorted, 0.50),
                    Soak.percentile(sorted, 0.99), tally.byStatus(kind));
        }
        int total = tally.count(s -> true);
        System.out.printf("all              %8d in %.0f s (%.1f/s), by status %s (-1 = connection error)%n", total,
                seconds, total / seconds, tally.byStatus());
        long nativeBudget = Soak.sum(m, "gan_memory_budget_bytes", "pool=\"native\"");
        long heapBudget = Soak.sum(m, "gan_memory_budget_bytes", "pool=\"heap\"");
        System.out.printf("%npeak RSS        %.0f MiB sampled (VmRSS, 1 s), %.0f MiB VmHWM; memory-limit %.0f MiB "
                        + "(VmHWM %.0f%% of it)%n", maxRss.get() / 1048576.0, hwm / 1048576.0, limit / 1048576.0,
                100.0 * hwm / limit);
        System.out.printf("budgets         native %s MiB, heap %s MiB (gan_memory_budget_bytes)%n", mib(nativeBudget),
                mib(heapBudget));
        StringBuilder reserved = new StringBuilder();
        maxReserved.forEach((pool, v) -> reserved.append(pool).append(' ').append(mib(v.get())).append(" MiB  "));
        System.out.printf("max reserved    %s(gan_memory_reserved_bytes, scraped every 3 s)%n", reserved);
        StringBuilder refusals = new StringBuilder();
        m.forEach((series, v) -> {
            if (series.startsWith("gan_memory_refusals_total{")) {
                refusals.append(pool(series)).append(' ').append(v.longValue()).append("  ");
            }
        });
        System.out.printf("refusals        %s(gan_memory_refusals_total)%n", refusals);
        System.out.printf("retries         %d (503 or 429 answered, retried after Retry-After, at most %d a request)%n",
                retries.get(), RETRIES);
        System.out.printf("load average    %s at the end (other processes share these cores)%n", Soak.loadAverage());
        int fiveXx = tally.count(s -> s >= 500);
        int connection = tally.count(s -> s < 0);
        System.out.printf("%n0 5xx: %s (%d)%n0 connection errors: %s (%d)%nVmHWM <= memory-limit: %s%n",
                fiveXx == 0 ? "PASS" : "FAIL", fiveXx, connection == 0 ? "PASS" : "FAIL", connection,
                hwm <= limit ? "PASS" : "FAIL");
        boolean passed = passed(tally, hwm, limit);
        System.out.println(passed ? "MIXED SOAK PASS" : "MIXED SOAK FAIL");
        return passed;
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "-" : String.format("%.0f", bytes / 1048576.0);
    }

    // ------------------------------------------------------------------------------------------
    // the server

    private Process startServer(int port, Path dataDir, Path log) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-Dai.djl.offline=true"));
        command.addAll(options.serverJvmArgs());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), GanServeApplication.class.getName(),
                "--server.port=" + port, "--server.address=127.0.0.1",
                "--ganserve.training.data-dir=" + dataDir, "--logging.level.root=WARN",
                "--ganserve.resources.memory-limit=" + options.memoryLimit(),
                // Off, so every refusal seen here is the memory budget's, not a client's rate.
                "--ganserve.api.rate-limit.requests-per-second=0",
                // Requests queue for memory up to this long (FIFO) before a 503: 8 clients of the heaviest
                // requests on 2 cores wait several seconds for one another, which is queueing, not failure.
                "--ganserve.resources.request-wait=" + System.getProperty("soak.requestWait", "20s"),
                "--ganserve.security.api-keys[0].name=soak",
                "--ganserve.security.api-keys[0].sha256=" + Soak.sha256Hex(apiKey),
                "--ganserve.security.api-keys[0].roles=WRITE,READ,METRICS"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        return pb.start();
    }

    private long procStatus(String field) {
        try {
            Matcher m = STATUS_KB.matcher(Files.readString(Path.of("/proc", Long.toString(server.pid()), "status")));
            while (m.find()) {
                if (m.group(1).equals(field)) {
                    return Long.parseLong(m.group(2)) * 1024;
                }
            }
            return -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private void awaitHealthy(Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException("the server exited with " + server.exitValue());
            }
            try {
                if (send(HttpRequest.newBuilder(uri("/actuator/health/readiness")).GET()).statusCode() == 200) {
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
        p.destroy();
        try {
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private Map<String, Double> metrics() {
        try {
            HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/actuator/prometheus")).GET());
            Map<String, Double> values = new java.util.HashMap<>();
            if (r.statusCode() != 200) {
                return values;
            }
            for (String line : r.body().split("\n")) {
                int space = line.lastIndexOf(' ');
                if (!line.startsWith("#") && space > 0) {
                    try {
                        values.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
                    } catch (NumberFormatException ignored) {
                        // not a plain sample line
                    }
                }
            }
            return values;
        } catch (Exception e) {
            return Map.of();
        }
    }

    private String postJob(String body) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/jobs")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        if (r.statusCode() != 202) {
            throw new IllegalStateException("POST /jobs answered " + r.statusCode() + ": " + r.body());
        }
        return json.readTree(r.body()).path("id").asString();
    }

    private JsonNode job(String id) throws Exception {
        return json.readTree(send(HttpRequest.newBuilder(uri("/jobs/" + id)).GET()).body());
    }

    private void awaitStatus(String id, String status, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode job = job(id);
            String now = job.path("status").asString();
            if (now.equals(status)) {
                return;
            }
            if (now.equals("FAILED") || now.equals("CANCELLED") || System.nanoTime() > deadline) {
                throw new IllegalStateException("job " + id + " is " + now + ": " + job.path("error").asString(""));
            }
            Thread.sleep(500);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.header("X-API-Key", apiKey).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }
}
