package io.ganserve.bench;

import io.ganserve.GanServeApplication;
import java.io.IOException;
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
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service as its own process for the soaks ({@link Soak}, {@link MixedSoak}): launched on a free
 * loopback port with a fresh API key of every role and its log in the data directory, waited for
 * until ready, and stopped gracefully, also when the soak itself is interrupted; plus what the soaks
 * ask of it over HTTP (jobs, the Prometheus scrape) and through its pid ({@code /proc}, jcmd).
 *
 * <p>Not {@code support.ServiceProcess}: that launcher pins libtorch to one thread (the soak's
 * figures are for the default), gives no pid for jcmd's native memory tracking, allows two minutes
 * to start, and ends with SIGKILL or a failed assertion where a soak wants a graceful shutdown.
 */
final class SoakServer implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;
    private final String apiKey;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private final Thread stopper = new Thread(this::stop);

    private SoakServer(Process process, int port, Path log, String apiKey) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.apiKey = apiKey;
    }

    /**
     * Launches the service on {@code dataDir}, logging to {@code server.log} there; it is ready to
     * serve only after {@link #awaitReady}.
     *
     * @param jvmArgs e.g. {@code -Xmx1g}
     * @param settings Spring properties beyond port, data directory, log level and API key, e.g.
     *     {@code --ganserve.resources.memory-limit=3GB}
     */
    static SoakServer launch(Path dataDir, List<String> jvmArgs, List<String> settings) throws IOException {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String apiKey = "soak-" + HexFormat.of().formatHex(secret);
        int port = freePort();
        Path log = dataDir.resolve("server.log");
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-Dai.djl.offline=true"));
        command.addAll(jvmArgs);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), GanServeApplication.class.getName(),
                "--server.port=" + port, "--server.address=127.0.0.1",
                "--ganserve.training.data-dir=" + dataDir, "--logging.level.root=WARN"));
        command.addAll(settings);
        command.addAll(List.of("--ganserve.security.api-keys[0].name=soak",
                "--ganserve.security.api-keys[0].sha256=" + sha256Hex(apiKey),
                "--ganserve.security.api-keys[0].roles=WRITE,READ,METRICS"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        SoakServer server = new SoakServer(process, port, log, apiKey);
        Runtime.getRuntime().addShutdownHook(server.stopper);
        return server;
    }

    long pid() {
        return process.pid();
    }

    int port() {
        return port;
    }

    /** Waits until the readiness probe answers 200: the engine loaded and the port open. */
    void awaitReady() throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with " + process.exitValue());
            }
            try {
                HttpResponse<String> r = send(request("/actuator/health/readiness").timeout(Duration.ofSeconds(5))
                        .build(), HttpResponse.BodyHandlers.ofString());
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

    /** SIGTERM, so the graceful shutdown checkpoints a cancelled job; SIGKILL only if that hangs. */
    private void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
        Runtime.getRuntime().removeShutdownHook(stopper);
    }

    // ------------------------------------------------------------------------------------------
    // HTTP

    /** A request to {@code path} carrying the soak's API key; the caller adds method and timeout. */
    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("X-API-Key", apiKey);
    }

    <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body)
            throws IOException, InterruptedException {
        return http.send(request, body);
    }

    /** A request from {@link #request}, with a minute to answer, its body as text. */
    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Creates a training job; its id. */
    String postJob(String body) throws Exception {
        HttpResponse<String> r = send(request("/jobs").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        if (r.statusCode() != 202) {
            throw new IllegalStateException("POST /jobs answered " + r.statusCode() + ": " + r.body());
        }
        return json.readTree(r.body()).path("id").asString();
    }

    JsonNode job(String id) throws Exception {
        HttpResponse<String> r = send(request("/jobs/" + id).GET());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /jobs/" + id + " answered " + r.statusCode() + ": " + r.body());
        }
        return json.readTree(r.body());
    }

    void cancelJob(String id) throws Exception {
        send(request("/jobs/" + id).DELETE());
    }

    /** Polls the job until it has {@code status}; fails as soon as it has FAILED or been CANCELLED. */
    JsonNode awaitStatus(String id, String status, Duration timeout) throws Exception {
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

    /** Polls the job until it is RUNNING at {@code step} or later. */
    JsonNode awaitStep(String id, long step, Duration timeout) throws Exception {
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

    /** The Prometheus scrape as series to value; empty when it fails, so a reading never stops a soak. */
    Map<String, Double> metrics() {
        try {
            HttpResponse<String> r = send(request("/actuator/prometheus").timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return Map.of();
            }
            Map<String, Double> values = new HashMap<>();
            for (String line : r.body().split("\n")) {
                int space = line.lastIndexOf(' ');
                if (!line.startsWith("#") && space > 0) {
                    try {
                        values.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
                    } catch (NumberFormatException ignored) {
                        // a timestamp or an exemplar: not a line the soaks read
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

    // ------------------------------------------------------------------------------------------
    // the process

    /** A size from {@code /proc/<pid>/status} ({@code VmRSS}, {@code VmHWM}) in bytes; -1 when unreadable. */
    long statusBytes(String field) {
        try {
            String status = Files.readString(Path.of("/proc", Long.toString(process.pid()), "status"));
            Matcher m = Pattern.compile("^" + Pattern.quote(field) + ":\\s+(\\d+) kB", Pattern.MULTILINE)
                    .matcher(status);
            return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** Runs a diagnostic command in the server's JVM; returns what it printed. */
    String jcmd(String... arguments) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(process.pid())));
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

    /** The server log's last lines, to read a failed soak by. */
    void printLogTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            System.out.println("--- last lines of " + log);
            lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(System.out::println);
        } catch (IOException e) {
            System.out.println("(no server log: " + e.getMessage() + ")");
        }
    }

    // ------------------------------------------------------------------------------------------
    // set-up

    /** Deletes a soak's data directory, server log included, unless asked to keep it for a look. */
    static void keepOrDelete(Path dataDir, boolean keep) {
        if (keep) {
            System.out.println("data and server log kept in " + dataDir);
            return;
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.out.println("could not delete " + dataDir + ": " + e.getMessage());
        }
    }

    static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
