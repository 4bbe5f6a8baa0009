package io.ganserve.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import io.ganserve.GanServeApplication;
import io.ganserve.data.Dataset;
import io.ganserve.data.DatasetCatalog;
import io.ganserve.data.DatasetLocations;
import io.ganserve.gan.GanModelZoo;
import io.ganserve.gan.MultiplyAdds;
import io.ganserve.gan.NetworkSpec;
import io.ganserve.training.BatchSource;
import io.ganserve.training.GanTrainer;
import io.ganserve.engine.precision.MixedPrecision;
import io.ganserve.engine.precision.Precision;
import io.ganserve.jobs.JobDefaults;
import io.ganserve.jobs.JobRequest;
import io.ganserve.registry.TrainingConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Prints where training and sampling stand against the machine's ceiling: the measured
 * matrix-multiply rate, the multiply-adds each workload needs, and the rate each achieves.
 * Run with {@code ./mvnw -q test-compile exec:exec@bench}; not part of the tests.
 */
public final class Bench {

    private static final int DCGAN_BATCH = 64;
    private static final int TIMED_STEPS = 40;
    private static final int SAMPLE_REQUESTS = Integer.getInteger("bench.requests", 3000);

    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();

    private Bench() {}

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("java.awt.headless", "true");
        new io.ganserve.engine.EngineProperties(io.ganserve.engine.EngineProperties.DeviceChoice.AUTO,
                Integer.getInteger("bench.threads", 0)).applyToEngine();
        Engine engine = Engine.getEngine("PyTorch");
        JniUtils.setGradMode(false);
        System.out.printf("engine %s %s, device %s, %d CPU cores, %s intra-op threads%n", engine.getEngineName(),
                engine.getVersion(), engine.defaultDevice(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("ai.djl.pytorch.num_threads"));

        double gflops = matmulRate(Precision.FLOAT32);
        System.out.printf("%nceiling: float32 matrix multiply (1024 x 1024) %.1f GFLOP/s%n", gflops);
        double bf16 = matmulRate(Precision.BFLOAT16);
        System.out.printf("ceiling: bfloat16 matrix multiply (1024 x 1024, float32 in and out) %.1f GFLOP/s%n", bf16);

        if ("sampling".equals(System.getProperty("bench.only"))) { // -Dbench.only=sampling: serving figures alone
            sampling(gflops);
            return;
        }
        DatasetCatalog catalog = new DatasetCatalog(new DatasetLocations(Path.of("/usr/share/datasets/mnist"),
                Path.of("/usr/share/datasets/fashion-mnist"), Path.of("./data/datasets"), 100_000));
        // without native bfloat16 libtorch emulates it (about 1 GFLOP/s on an AVX2-only core): timing
        // the workloads that way would take most of an hour and say only that auto picks float32 there
        boolean nativeBf16 = io.ganserve.engine.precision.Bf16Support.detect().isNative(engine.defaultDevice());
        if (!nativeBf16) {
            System.out.println("bfloat16 training: skipped, this device has no native bfloat16 arithmetic"
                    + " (no avx512_bf16 or amx_bf16 flag), so auto trains and serves in float32 here");
        }
        for (Workload w : List.of(new Workload("fashion-mnist", 28, TIMED_STEPS), new Workload("fashion-mnist", 64, 6),
                new Workload("ring8", 0, 1000))) {
            double rate32 = trainingThroughput(catalog, w, gflops, Precision.FLOAT32);
            double rate16 = nativeBf16 ? trainingThroughput(catalog, w, bf16, Precision.BFLOAT16) : 0;
            if (rate32 > 0 && rate16 > 0) {
                System.out.printf("  bfloat16 / float32: %.2fx%n", rate16 / rate32);
            }
            if (w.imageSize() == 28) {
                peer(TIMED_STEPS, nativeBf16 ? List.of("float32", "bfloat16") : List.of("float32"));
            }
        }
        sampling(gflops);
    }

    /** GFLOP/s of a float32 1024 x 1024 matrix multiply on the engine's threads: the ceiling every rate is read against. */
    static double matmulRate() {
        return matmulRate(Precision.FLOAT32);
    }

    /** The same ceiling for products in {@code precision} (bfloat16 products take and give float32). */
    static double matmulRate(Precision precision) {
        try (NDManager m = NDManager.newBaseManager(); MixedPrecision.Scope scope = MixedPrecision.use(precision)) {
            NDArray a = m.randomNormal(new Shape(1024, 1024));
            NDArray b = m.randomNormal(new Shape(1024, 1024));
            NDArray bt = b.transpose().duplicate(); // linear multiplies by the transpose
            for (int i = 0; i < 3; i++) {
                MixedPrecision.linear(a, bt, null).close();
            }
            int reps = 20;
            long start = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                MixedPrecision.linear(a, bt, null).close();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return 2.0 * 1024 * 1024 * 1024 * reps / seconds / 1e9;
        }
    }

    /** A training workload: a data set at an image size (0 for points) and how many steps to time. */
    record Workload(String dataset, int imageSize, int steps) {}

    /** Times {@code w}'s steps in {@code precision}, prints the rate against {@code ceiling}; answers samples/s, 0 when skipped. */
    private static double trainingThroughput(DatasetCatalog catalog, Workload w, double ceiling, Precision precision) {
        String name = w.dataset();
        Dataset data;
        try {
            data = catalog.load(name, 1, w.imageSize() == 0 ? 28 : w.imageSize());
        } catch (RuntimeException e) {
            System.out.printf("%ntraining %s: skipped (%s)%n", name, e.getMessage());
            return 0;
        }
        // as a job with only these fields would train (JSON, so that new job fields need no change here)
        String fields = w.imageSize() == 0 ? "" : ",\"batchSize\":" + DCGAN_BATCH + ",\"imageSize\":" + w.imageSize();
        JobRequest request = JSON.readValue("{\"dataset\":\"" + name + "\",\"loss\":\"non-saturating\",\"seed\":1"
                + fields + "}", JobRequest.class);
        // the trainer runs its step in the config's precision
        TrainingConfig config = JobDefaults.resolve(request, data.kind(), 28, 0).withPrecision(precision);
        NetworkSpec spec = config.networkFor(data);
        try (NDManager m = NDManager.newBaseManager();
             GanTrainer trainer = new GanTrainer(config, spec, new BatchSource(data, config.batchSize(),
                     config.discriminatorSteps(), config.latentDim(), 1), m, io.ganserve.engine.GradientCollectors.lock())) {
            long g = MultiplyAdds.forward(trainer.generator(), GanModelZoo.latentShape(spec, 1));
            long d = MultiplyAdds.forward(trainer.discriminator(), GanModelZoo.sampleShape(spec, 1));
            long perSample = MultiplyAdds.trainingIteration(g, d, config.discriminatorSteps());
            for (int s = 0; s < 3; s++) {
                trainer.step(s);
            }
            long start = System.nanoTime();
            for (int s = 3; s < 3 + w.steps(); s++) {
                trainer.step(s);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double samplesPerSecond = (double) w.steps() * config.batchSize() / seconds;
            double achieved = samplesPerSecond * perSample * 2 / 1e9;
            String unit = data.kind() == io.ganserve.data.DataKind.IMAGES ? "images" : "points";
            String size = w.imageSize() == 0 ? "" : " " + w.imageSize() + "x" + w.imageSize();
            System.out.printf("%ntraining %s%s (%s, batch %d, %s): G %.2f M, D %.2f M multiply-adds per sample forward%n",
                    name, size, config.architecture().id(), config.batchSize(), precision.wireName(), g / 1e6, d / 1e6);
            System.out.printf("  %.0f %s/s, %.1f ms/step, %.1f GFLOP/s = %.0f%% of the %s ceiling; "
                            + "the ceiling would allow %.0f %s/s%n",
                    samplesPerSecond, unit, 1000 * seconds / w.steps(), achieved, 100 * achieved / ceiling,
                    precision.wireName(), ceiling * 1e9 / (2.0 * perSample), unit);
            return samplesPerSecond;
        }
    }

    /**
     * The same DCGAN-28 step in eager PyTorch (src/test/python/dcgan28_peer.py) in each of
     * {@code precisions} ({@code bfloat16} runs under PyTorch's autocast), on as many threads as ours,
     * where {@code bench.python} (default /usr/bin/python3, Debian's python3-torch) has torch; a note
     * otherwise.
     */
    private static void peer(int steps, List<String> precisions) {
        String python = System.getProperty("bench.python", "/usr/bin/python3");
        String threads = System.getProperty("ai.djl.pytorch.num_threads", "1");
        Path script = Path.of("src/test/python/dcgan28_peer.py");
        for (String precision : precisions) {
            try {
                Process p = new ProcessBuilder(python, script.toString(), precision, Integer.toString(steps), threads)
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
                if (p.waitFor() != 0 || !out.startsWith("peer ")) {
                    String last = out.isEmpty() ? "" : out.substring(out.lastIndexOf('\n') + 1);
                    System.out.printf("  peer (eager PyTorch, %s): skipped (%s: %s)%n", precision, python, last);
                    return;
                }
                String[] f = out.substring(out.lastIndexOf("peer ")).split(" ");
                System.out.printf("  peer: the same step in eager PyTorch %s (%s, %s thread(s)): %s images/s, %s ms/step%n",
                        f[5].trim(), precision, threads, f[2], f[3]);
            } catch (java.io.IOException e) {
                System.out.printf("  peer (eager PyTorch): skipped (%s)%n", e.getMessage());
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Serving through a real server: the raw forward of {@code n=16} in the serving precision
     * ({@code -Dbench.sampling.precision}, default the service's {@code auto}), grid and PNG in
     * process, one client's latency and {@code bench.clients} clients' throughput. Prints the load
     * average before and after: on a shared machine the figures mean little without it.
     */
    private static void sampling(double gflops) throws Exception {
        Path dataDir = Files.createTempDirectory("ganserve-bench");
        SpringApplication app = new SpringApplication(GanServeApplication.class);
        String key = java.util.UUID.randomUUID().toString();
        // command-line arguments, because application.yml would override default properties
        try (ConfigurableApplicationContext context = app.run("--server.port=0",
                "--ganserve.training.data-dir=" + dataDir, "--logging.level.root=WARN",
                "--ganserve.api.rate-limit.requests-per-second=0", // the bench measures the service, not the limit
                "--ganserve.sampling.precision=" + System.getProperty("bench.sampling.precision", "auto"),
                "--ganserve.security.api-keys[0].name=bench",
                "--ganserve.security.api-keys[0].sha256=" + io.ganserve.security.ApiKeyHash.hex(key),
                "--ganserve.security.api-keys[0].roles=WRITE")) {
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            HttpClient client = HttpClient.newHttpClient();
            String base = "http://localhost:" + port;
            String job = post(client, base + "/jobs", key,
                    "{\"dataset\":\"fashion-mnist\",\"steps\":20,\"checkpointEvery\":20,\"seed\":1}");
            String id = job.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
            tools.jackson.databind.json.JsonMapper json = tools.jackson.databind.json.JsonMapper.builder().build();
            // the job's own status: its evaluations carry statuses of their own, which SUCCEED before it does
            while (!json.readTree(getText(client, base + "/jobs/" + id).body()).get("status").asString().equals("SUCCEEDED")) {
                String view = getText(client, base + "/jobs/" + id).body();
                if (json.readTree(view).get("status").asString().equals("FAILED")) {
                    System.out.println("\nsampling: skipped (the bench job failed; is Fashion-MNIST installed?) " + view);
                    return;
                }
                Thread.sleep(200);
            }
            Thread.sleep(2000); // the job's own evaluation and progress grid finish before the clock starts
            System.out.printf("%nload average before serving: %s%n", loadAverage());
            io.ganserve.sampling.ServingModels models = context.getBean(io.ganserve.sampling.ServingModels.class);
            double rawImagesPerSecond = rawForward(models, gflops, "raw forward");
            rendering(models, context.getBean(io.ganserve.sampling.SampleRenderer.class));
            for (int i = 0; i < 200; i++) {
                get(client, base + "/samples?n=16&seed=" + i);
            }
            long[] nanos = new long[SAMPLE_REQUESTS];
            for (int i = 0; i < SAMPLE_REQUESTS; i++) {
                long start = System.nanoTime();
                HttpResponse<byte[]> r = get(client, base + "/samples?n=16&seed=" + i);
                nanos[i] = System.nanoTime() - start;
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("GET /samples answered " + r.statusCode());
                }
            }
            Arrays.sort(nanos);
            System.out.printf("  GET /samples?n=16 (PNG grid, one client, %d requests): p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    SAMPLE_REQUESTS, nanos[nanos.length / 2] / 1e6, nanos[(int) (nanos.length * 0.99)] / 1e6,
                    nanos[nanos.length - 1] / 1e6);
            double perCpuBefore = rawImagesPerCpuSecond;
            double served = concurrentClients(client, base, context, rawImagesPerSecond);
            // the raw forward again: on a shared host the machine's speed drifts over a run, and the
            // mean of the two is the fairer measure of what the clients' rate is read against
            double rawAfter = rawForward(models, gflops, "raw forward again, after the clients");
            System.out.printf("  the clients against the mean of both raw forwards: %.2f x (%.2f x per CPU-second)%n",
                    served / ((rawImagesPerSecond + rawAfter) / 2), servedPerCpuSecond
                            / ((perCpuBefore + rawImagesPerCpuSecond) / 2));
            System.out.printf("load average after serving: %s%n", loadAverage());
        }
    }

    /** The first three fields of {@code /proc/loadavg}, or "unknown" where there is none. */
    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** What a {@code /samples?n=16} request spends after its forward: the grid and its PNG, in process. */
    private static void rendering(io.ganserve.sampling.ServingModels models, io.ganserve.sampling.SampleRenderer renderer) {
        io.ganserve.sampling.Samples samples = new io.ganserve.sampling.SampleService(models).sample(null, 16, 1);
        int bytes = 0;
        for (int i = 0; i < 200; i++) {
            bytes = renderer.gridPng(samples).length;
        }
        int reps = 1000;
        long start = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            renderer.gridPng(samples);
        }
        System.out.printf("  grid and PNG of 16 samples, in-process: %.3f ms per request (%,d bytes)%n",
                (System.nanoTime() - start) / 1e6 / reps, bytes);
    }

    /**
     * {@code bench.clients} (8) clients asking for {@code n=16} at once: images/s against the raw
     * single-thread forward's, and the batches that formed (batched serving, docs/api.md).
     */
    private static double concurrentClients(HttpClient client, String base, ConfigurableApplicationContext context,
                                            double rawImagesPerSecond) throws Exception {
        int clients = Integer.getInteger("bench.clients", 8);
        io.micrometer.core.instrument.MeterRegistry meters = context.getBean(io.micrometer.core.instrument.MeterRegistry.class);
        io.micrometer.core.instrument.DistributionSummary batches = meters.find("gan.sampling.batch.requests").summary();
        // concurrency takes code paths of its own (contended locks and queues, batches of several
        // requests) that C2 compiles, deoptimises and compiles again: 1.1 ms of CPU per request over a
        // first 1,500 requests, which is warm-up, not serving (-Dbench.warmup, concurrent requests)
        clientsAsking(client, base, clients, new long[Integer.getInteger("bench.warmup", 3000)]);
        long batchesBefore = batches == null ? 0 : batches.count();
        double requestsBefore = batches == null ? 0 : batches.totalAmount();
        long[] nanos = new long[SAMPLE_REQUESTS];
        java.util.Map<String, Long> nativeBefore = cpuByNativeThread();
        long cpu = processCpuNanos();
        double seconds = clientsAsking(client, base, clients, nanos);
        double cpuSeconds = (processCpuNanos() - cpu) / 1e9;
        java.util.Map<String, Long> nativeAfter = cpuByNativeThread();
        Arrays.sort(nanos);
        double imagesPerSecond = 16.0 * SAMPLE_REQUESTS / seconds;
        long formed = batches == null ? 0 : batches.count() - batchesBefore;
        double batched = batches == null ? 0 : batches.totalAmount() - requestsBefore;
        System.out.printf("  GET /samples?n=16, %d clients, %d requests: %.0f requests/s, %.0f images/s = %.2f x the raw "
                        + "single-thread forward; p50 %.2f ms, p99 %.2f ms; %d passes, %.2f requests a pass (max %.0f)%n",
                clients, SAMPLE_REQUESTS, SAMPLE_REQUESTS / seconds, imagesPerSecond, imagesPerSecond / rawImagesPerSecond,
                nanos[nanos.length / 2] / 1e6, nanos[(int) (nanos.length * 0.99)] / 1e6, formed,
                formed == 0 ? 0 : batched / formed, batches == null ? 0 : batches.max());
        // the process's CPU, clients included: on a machine shared with other work the wall-clock ratio
        // depends on what the others take, the images per CPU-second much less
        System.out.printf("    %.0f images per CPU-second of the process (server and clients) = %.2f x the raw forward's; "
                        + "%.2f cores busy%n", 16.0 * SAMPLE_REQUESTS / cpuSeconds,
                16.0 * SAMPLE_REQUESTS / cpuSeconds / rawImagesPerCpuSecond, cpuSeconds / seconds);
        StringBuilder natives = new StringBuilder();
        for (var e : nativeAfter.entrySet()) {
            long ticks = e.getValue() - nativeBefore.getOrDefault(e.getKey(), 0L);
            if (ticks * 1e7 > cpuSeconds * 1e9 * 0.01) { // 100 ticks a second
                natives.append(String.format(" %s %.2f,", e.getKey(), ticks * 10.0 / SAMPLE_REQUESTS));
            }
        }
        System.out.printf("    CPU ms per request by thread (digits dropped from names):%s%n", natives);
        servedPerCpuSecond = 16.0 * SAMPLE_REQUESTS / cpuSeconds;
        return imagesPerSecond;
    }

    /** Images per CPU-second of the process while the clients were served. */
    private static double servedPerCpuSecond;

    /** CPU ticks (1/100 s) of every OS thread of this process, JVM and libtorch threads too, by name without digits. */
    private static java.util.Map<String, Long> cpuByNativeThread() {
        java.util.Map<String, Long> groups = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("\\d+", "");
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    groups.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
                } catch (java.io.IOException | RuntimeException e) {
                    // a thread that ended meanwhile
                }
            }
        } catch (java.io.IOException e) {
            // no /proc: not Linux
        }
        return groups;
    }

    /** {@code clients} clients asking {@code GET /samples?n=16} until {@code nanos.length} are answered; each one's latency in nanos. */
    private static double clientsAsking(HttpClient client, String base, int clients, long[] nanos) throws Exception {
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(clients);
        try {
            long start = System.nanoTime();
            List<java.util.concurrent.Future<?>> running = new java.util.ArrayList<>();
            for (int c = 0; c < clients; c++) {
                running.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < nanos.length; i = next.getAndIncrement()) {
                        long t = System.nanoTime();
                        HttpResponse<byte[]> r = get(client, base + "/samples?n=16&seed=" + i);
                        nanos[i] = System.nanoTime() - t;
                        if (r.statusCode() != 200) {
                            throw new IllegalStateException("GET /samples answered " + r.statusCode());
                        }
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : running) {
                f.get();
            }
            return (System.nanoTime() - start) / 1e9;
        } finally {
            pool.shutdown();
        }
    }

    /** Images per CPU-second of the raw forward, measured by {@link #rawForward}. */
    private static double rawImagesPerCpuSecond;

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** @return images per second of the raw forward for n=16, one call at a time, in the serving precision */
    private static double rawForward(io.ganserve.sampling.ServingModels models, double gflops, String label) {
        try (var lease = models.leaseLatest()) {
            var snapshot = lease.snapshot();
            NetworkSpec spec = snapshot.model().network();
            long g;
            try (NDManager m = NDManager.newBaseManager()) {
                g = MultiplyAdds.forward(GanModelZoo.generator(spec, m), GanModelZoo.latentShape(spec, 1));
            }
            float[] z = new float[16 * spec.latentDim()];
            java.util.Random rng = new java.util.Random(1);
            for (int i = 0; i < z.length; i++) {
                z[i] = (float) rng.nextGaussian();
            }
            for (int i = 0; i < 50; i++) {
                snapshot.generate(z, 16);
            }
            int reps = 1000;
            long cpu = processCpuNanos();
            long start = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                snapshot.generate(z, 16);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            rawImagesPerCpuSecond = 16 * reps / ((processCpuNanos() - cpu) / 1e9);
            if (label.equals("raw forward")) {
                System.out.printf("sampling (DCGAN generator, %.2f M multiply-adds per image, serving precision %s):%n",
                        g / 1e6, snapshot.precision().wireName());
            }
            System.out.printf("  %s, n=16, in-process: %.3f ms per call, %.0f images/s, %.1f GFLOP/s "
                            + "(%.0f%% of the float32 matmul ceiling); %.0f images per CPU-second%n", label, 1000 * seconds / reps,
                    16 * reps / seconds, 16.0 * reps * g * 2 / seconds / 1e9,
                    100 * 16.0 * reps * g * 2 / seconds / 1e9 / gflops, rawImagesPerCpuSecond);
            return 16 * reps / seconds;
        }
    }

    private static String post(HttpClient client, String url, String apiKey, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("X-API-Key", apiKey)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static HttpResponse<String> getText(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The body as bytes: decoding a PNG as text would spend the client's CPU, which the server shares here. */
    private static HttpResponse<byte[]> get(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

}
