package io.ganserve.bench;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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

/**
 * Mixed soak ({@code -Dsoak.mix=true}): the service under a memory limit well below the machine's,
 * serving samples of every size and format, interpolations and evaluations while a DCGAN-64 trains,
 * so the memory budget (not the rate limit, which is switched off) is what decides who waits. Passes
 * with no 5xx, no connection errors and a peak RSS (VmHWM) within the limit. The server is launched,
 * probed and scraped as in {@link Soak}, by {@link SoakServer}.
 */
final class MixedSoak {

    private static final String DATASET = "soak-shapes-64";
    private static final int[] SAMPLE_SIZES = {1, 16, 64, 256, 1024};
    private static final String[] SAMPLE_FORMATS = {"png", "json", "zip"};
    private static final Pattern POOL = Pattern.compile("pool=\"([^\"]*)\"");
    private static final int RETRIES = 3;

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
     * A request's status is its final one, after the retries a 503 or 429 asks for; what its first
     * attempt answered is kept beside it, so the report can say how often the service was busy.
     * Thread-safe: the clients record into it concurrently.
     */
    static final class Tally {
        private final Map<String, Map<Integer, AtomicInteger>> counts = new ConcurrentSkipListMap<>();
        private final Map<String, Map<Integer, AtomicInteger>> firstCounts = new ConcurrentSkipListMap<>();
        private final Map<String, List<Long>> nanos = new ConcurrentHashMap<>();

        /** A request answered {@code status} at once. */
        void record(String kind, int status, long elapsedNanos) {
            record(kind, status, status, elapsedNanos);
        }

        /** A request whose first attempt answered {@code firstStatus} and whose last {@code status}. */
        void record(String kind, int firstStatus, int status, long elapsedNanos) {
            counts.computeIfAbsent(kind, k -> new ConcurrentSkipListMap<>())
                    .computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
            firstCounts.computeIfAbsent(kind, k -> new ConcurrentSkipListMap<>())
                    .computeIfAbsent(firstStatus, s -> new AtomicInteger()).incrementAndGet();
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
            Arrays.sort(out);
            return out;
        }

        int count(java.util.function.IntPredicate status) {
            return byStatus().entrySet().stream().filter(e -> status.test(e.getKey())).mapToInt(Map.Entry::getValue).sum();
        }

        /** Requests whose first attempt answered {@code status}, over all kinds. */
        int firstAttempts(int status) {
            return firstCounts.values().stream().mapToInt(m -> m.containsKey(status) ? m.get(status).get() : 0).sum();
        }

        /** Requests whose first attempt answered {@code status}, per kind (kinds without any left out). */
        Map<String, Integer> firstAttemptsByKind(int status) {
            Map<String, Integer> out = new TreeMap<>();
            firstCounts.forEach((kind, m) -> {
                if (m.containsKey(status)) {
                    out.put(kind, m.get(status).get());
                }
            });
            return out;
        }
    }

    /**
     * The pass rule: no 5xx, no connection errors, and the process's peak RSS within the limit, all
     * by each request's final status: a first 503 retried after its Retry-After into a 200 passes.
     */
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
    private final Tally tally = new Tally();
    private final AtomicLong maxRss = new AtomicLong();
    private final Map<String, AtomicLong> maxReserved = new ConcurrentSkipListMap<>();
    private final AtomicInteger retries = new AtomicInteger();
    private SoakServer server;

    private MixedSoak(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        boolean passed = new MixedSoak(Options.fromSystemProperties()).run();
        System.exit(passed ? 0 : 1);
    }

    private boolean run() throws Exception {
        Path dataDir = Files.createTempDirectory("ganserve-mixed-soak");
        Soak.generateShapes(dataDir.resolve("datasets"), DATASET, 64);
        try (SoakServer launched = SoakServer.launch(dataDir, options.serverJvmArgs(), settings())) {
            server = launched;
            return soak();
        } finally {
            SoakServer.keepOrDelete(dataDir, options.keepData());
        }
    }

    /**
     * The memory budget under test; the rate limit off, so every refusal seen is the budget's, not a
     * client's rate; and requests queueing for memory up to {@code soak.requestWait} (FIFO) before a
     * 503: 8 clients of the heaviest requests on 2 cores wait several seconds for one another, which
     * is queueing, not failure.
     */
    private List<String> settings() {
        return List.of("--ganserve.resources.memory-limit=" + options.memoryLimit(),
                "--ganserve.api.rate-limit.requests-per-second=0",
                "--ganserve.resources.request-wait=" + System.getProperty("soak.requestWait", "20s"));
    }

    private boolean soak() throws Exception {
        try {
            long limit = parseBytes(options.memoryLimit());
            System.out.printf("mixed soak: server pid %d, memory-limit %s, server JVM %s, "
                            + "rate limit off, %d clients for %d s, %d cores, load average %s%n", server.pid(),
                    options.memoryLimit(), String.join(" ", options.serverJvmArgs()), options.clients(),
                    options.seconds(), Runtime.getRuntime().availableProcessors(), SoakReport.loadAverage());
            server.awaitReady();
            String served = server.postJob("{\"dataset\":\"" + DATASET + "\",\"architecture\":\"dcgan\",\"imageSize\":64,"
                    + "\"steps\":" + options.servingSteps() + ",\"checkpointEvery\":"
                    + options.servingSteps() + ",\"seed\":1,\"evaluateAtEnd\":false}");
            long t = System.nanoTime();
            server.awaitStatus(served, "SUCCEEDED", Duration.ofMinutes(15));
            System.out.printf("serving model: job %s, DCGAN 64x64, %d steps in %.0f s%n", served,
                    options.servingSteps(), (System.nanoTime() - t) / 1e9);
            String training = server.postJob("{\"dataset\":\"" + DATASET + "\",\"architecture\":\"dcgan\",\"imageSize\":64,"
                    + "\"batchSize\":" + options.trainBatch() + ",\"steps\":1000000,\"checkpointEvery\":50,"
                    + "\"seed\":2,\"evaluateAtEnd\":false}");
            System.out.printf("background training: job %s, DCGAN 64x64, batch %d%n", training, options.trainBatch());

            double seconds = drive(served);

            JsonNode after = server.job(training);
            System.out.printf("background training: %s at step %d at the end; cancelled%n",
                    after.path("status").asString(), after.path("progress").path("step").asLong());
            server.cancelJob(training);
            Map<String, Double> m = server.metrics();
            long hwm = server.statusBytes("VmHWM");
            return report(seconds, limit, hwm, m);
        } catch (Exception | Error e) {
            System.out.println("mixed soak: failed: " + e);
            server.printLogTail();
            throw e;
        }
    }

    /** Runs the clients, the evaluator and the memory watch for the configured duration; returns its seconds. */
    private double drive(String servedJob) throws InterruptedException {
        long t0 = System.nanoTime();
        long end = t0 + TimeUnit.SECONDS.toNanos(options.seconds());
        ScheduledExecutorService watch = Executors.newScheduledThreadPool(2);
        // RSS every second (cheap); the scrape less often, as it is itself a request the server serves.
        watch.scheduleAtFixedRate(() -> maxRss.accumulateAndGet(server.statusBytes("VmRSS"), Math::max), 0, 1, TimeUnit.SECONDS);
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
                timed("evaluations", server.request("/jobs/" + servedJob + "/evaluations")
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
        timed(kind, server.request(path).GET());
    }

    /**
     * One request as a well-behaved client makes it: a 503 (the memory budget busy) or 429 is retried
     * after its Retry-After, up to {@value #RETRIES} times; what the last try answered is recorded,
     * and every retry is counted.
     */
    private void timed(String kind, HttpRequest.Builder request) {
        long start = System.nanoTime();
        int status = -1;
        int first = -1;
        HttpRequest built = request.timeout(Duration.ofSeconds(120)).build();
        for (int attempt = 0; attempt <= RETRIES; attempt++) {
            try {
                HttpResponse<Void> r = server.send(built, HttpResponse.BodyHandlers.discarding());
                status = r.statusCode();
                if (attempt == 0) {
                    first = status;
                }
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
        tally.record(kind, first, status, System.nanoTime() - start);
    }

    private void watchReserved() {
        server.metrics().forEach((series, value) -> {
            if (series.startsWith("gan_memory_reserved_bytes{")) {
                maxReserved.computeIfAbsent(pool(series), p -> new AtomicLong())
                        .accumulateAndGet(value.longValue(), Math::max);
            }
        });
    }

    private static String pool(String series) {
        Matcher m = POOL.matcher(series);
        return m.find() ? m.group(1) : series;
    }

    private boolean report(double seconds, long limit, long hwm, Map<String, Double> m) {
        System.out.printf("%n%-16s %8s %10s %10s  %s%n", "kind", "requests", "p50 ms", "p99 ms", "by status");
        for (String kind : tally.kinds()) {
            long[] sorted = tally.sortedNanos(kind);
            System.out.printf("%-16s %8d %10.0f %10.0f  %s%n", kind, sorted.length, SoakReport.percentile(sorted, 0.50),
                    SoakReport.percentile(sorted, 0.99), tally.byStatus(kind));
        }
        int total = tally.count(s -> true);
        System.out.printf("all              %8d in %.0f s (%.1f/s), by status %s (-1 = connection error)%n", total,
                seconds, total / seconds, tally.byStatus());
        long requestBudget = SoakReport.sum(m, "gan_memory_budget_bytes", "pool=\"native-requests\"");
        long backgroundBudget = SoakReport.sum(m, "gan_memory_budget_bytes", "pool=\"native-background\"");
        long heapBudget = SoakReport.sum(m, "gan_memory_budget_bytes", "pool=\"heap\"");
        System.out.printf("%npeak RSS        %.0f MiB sampled (VmRSS, 1 s), %.0f MiB VmHWM; memory-limit %.0f MiB "
                        + "(VmHWM %.0f%% of it)%n", maxRss.get() / 1048576.0, hwm / 1048576.0, limit / 1048576.0,
                100.0 * hwm / limit);
        System.out.printf("budgets         native-requests %s MiB, native-background %s MiB, heap %s MiB"
                + " (gan_memory_budget_bytes)%n", mib(requestBudget), mib(backgroundBudget), mib(heapBudget));
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
        System.out.printf("first-try 503   %d of %d requests %s; first-try 429 %d (the service busy at once; "
                        + "below, each request counts by its final status)%n", tally.firstAttempts(503), total,
                tally.firstAttemptsByKind(503), tally.firstAttempts(429));
        System.out.printf("load average    %s at the end (other processes share these cores)%n", SoakReport.loadAverage());
        int fiveXx = tally.count(s -> s >= 500);
        int connection = tally.count(s -> s < 0);
        System.out.printf("%n0 5xx (final status, after Retry-After retries): %s (%d)%n0 connection errors: %s (%d)%nVmHWM <= memory-limit: %s%n",
                fiveXx == 0 ? "PASS" : "FAIL", fiveXx, connection == 0 ? "PASS" : "FAIL", connection,
                hwm <= limit ? "PASS" : "FAIL");
        boolean passed = passed(tally, hwm, limit);
        System.out.println(passed ? "MIXED SOAK PASS" : "MIXED SOAK FAIL");
        return passed;
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "-" : String.format("%.0f", bytes / 1048576.0);
    }
}
