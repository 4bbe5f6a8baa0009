package io.ganserve.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What the soak measures and how it judges it: readings of the server's memory (RSS from
 * {@code /proc}, heap from the scrape), the latency percentiles, the RSS slope after the warm-up,
 * and the printed report with its PASS or FAIL. The percentile, the scrape sums and the load
 * average serve {@link MixedSoak} too.
 */
final class SoakReport {

    static final String SERIES_HEADER = String.format("%8s %10s %9s %10s %10s %10s", "seconds", "requests",
            "RSS", "heap used", "heap comm", "live heap");

    /** One reading of the server's memory while the soak runs. */
    record MemorySample(double seconds, int requestsDone, long rssBytes, long heapUsedBytes, long heapCommittedBytes,
            long liveHeapBytes) {}

    private SoakReport() {
    }

    /** RSS now and the heap as the scrape tells it, {@code done} requests into a soak started at {@code t0}. */
    static MemorySample readMemory(SoakServer server, long t0, int done) {
        long rss = residentBytes(server);
        Map<String, Double> m = server.metrics();
        return new MemorySample((System.nanoTime() - t0) / 1e9, done, rss, sum(m, "jvm_memory_used_bytes", "area=\"heap\""),
                sum(m, "jvm_memory_committed_bytes", "area=\"heap\""), sum(m, "jvm_gc_live_data_size_bytes", ""));
    }

    /** RSS, without which the soak measures nothing: failing loudly beats a series of -1. */
    static long residentBytes(SoakServer server) {
        long rss = server.statusBytes("VmRSS");
        if (rss < 0) {
            throw new IllegalStateException("no VmRSS in /proc/" + server.pid() + "/status (is this Linux? has the "
                    + "server exited?)");
        }
        return rss;
    }

    /** Keeps the reading and prints it at once, so a long run shows its progress and a killed one leaves its series. */
    static void record(List<MemorySample> series, MemorySample s) {
        series.add(s);
        System.out.println(row(s));
    }

    static String row(MemorySample s) {
        return String.format("%8.0f %10d %9.1f %10s %10s %10s", s.seconds(), s.requestsDone(), s.rssBytes() / 1048576.0,
                mb(s.heapUsedBytes()), mb(s.heapCommittedBytes()), mb(s.liveHeapBytes()));
    }

    private static String mb(long bytes) {
        return bytes < 0 ? "-" : String.format("%.1f", bytes / 1048576.0);
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

    /** Nearest rank, in milliseconds. */
    static double percentile(long[] sortedNanos, double p) {
        int index = (int) Math.ceil(p * sortedNanos.length) - 1;
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, index))] / 1e6;
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

    /** Prints throughput, latency, the memory series and the verdict; whether the soak passed. */
    static boolean print(SampleLoad.Result r, Soak.Options options, boolean stillTraining) {
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
}
