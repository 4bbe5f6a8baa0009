package io.ganserve.bench;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The soak's load: concurrent clients sharing out {@code soak.requests} {@code GET /samples}
 * requests, timing each, while the server's memory is read every {@code soak.sampleSeconds} and
 * once more when the warm-up's last request is done.
 */
final class SampleLoad {

    /** What the clients measured. */
    record Result(long[] nanos, int errors, Map<String, Integer> errorKinds, double seconds, long warmRss,
            int warmAt, long endRss, List<SoakReport.MemorySample> series) {}

    private final SoakServer server;
    private final Soak.Options options;

    SampleLoad(SoakServer server, Soak.Options options) {
        this.server = server;
        this.options = options;
    }

    Result run() throws InterruptedException {
        int requests = options.requests();
        long[] nanos = new long[requests];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        Map<String, Integer> errorKinds = new ConcurrentHashMap<>();
        AtomicLong warmRss = new AtomicLong(-1);
        List<SoakReport.MemorySample> series = new CopyOnWriteArrayList<>();
        long t0 = System.nanoTime();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        System.out.printf("%n%s%n", SoakReport.SERIES_HEADER);
        sampler.scheduleAtFixedRate(() -> SoakReport.record(series, SoakReport.readMemory(server, t0, done.get())), 0,
                options.sampleSeconds(), TimeUnit.SECONDS);

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
                            warmRss.set(SoakReport.residentBytes(server));
                            SoakReport.record(series, SoakReport.readMemory(server, t0, options.warmup()));
                            if (options.nativeMemoryTracking()) {
                                server.jcmd("VM.native_memory", "baseline");
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
        long endRss = SoakReport.residentBytes(server);
        if (options.nativeMemoryTracking()) {
            // The JVM's own native memory since the warm-up, by category; RSS growth it does not
            // account for is libtorch's (or another library's) malloc.
            System.out.printf("%nJVM native memory since the warm-up (NMT):%n%s%n",
                    server.jcmd("VM.native_memory", "summary.diff", "scale=KB"));
        }
        sampler.shutdown();
        sampler.awaitTermination(30, TimeUnit.SECONDS);
        SoakReport.record(series, SoakReport.readMemory(server, t0, done.get()));
        if (crashed.get() != null) {
            throw new IllegalStateException("a client thread died", crashed.get());
        }
        List<SoakReport.MemorySample> ordered = new ArrayList<>(series);
        ordered.sort((a, b) -> Double.compare(a.seconds(), b.seconds()));
        return new Result(nanos, errors.get(), errorKinds, seconds, warmRss.get(), options.warmup(), endRss, ordered);
    }

    /** One request; returns null when it answered 200 with a body, else what went wrong. */
    private String sampleOnce(int i, long[] nanos) {
        HttpRequest request = server.request("/samples?n=" + options.samplesPerRequest() + "&seed=" + i)
                .timeout(Duration.ofSeconds(60)).GET().build();
        long start = System.nanoTime();
        try {
            HttpResponse<byte[]> r = server.send(request, HttpResponse.BodyHandlers.ofByteArray());
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
}
