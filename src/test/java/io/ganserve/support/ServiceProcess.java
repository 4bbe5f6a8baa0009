package io.ganserve.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.ganserve.GanServeApplication;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * The service as a real process on a data directory of the test's choosing, so a test can kill it
 * ({@code kill -9}), restart it on the same directory and database, measure its resident memory,
 * and watch it through its HTTP API.
 */
public final class ServiceProcess implements AutoCloseable {

    private final Path data;
    private final Path logs;
    private final List<String> settings;
    private List<String> jvmOptions = List.of();
    private final int port;
    private final HttpApi api;
    private Process process;
    private Path current;

    /**
     * @param logs where each launch writes its output (beside, not inside, a data directory a test may fill)
     * @param settings extra {@code --name=value} arguments
     */
    public ServiceProcess(Path data, Path logs, List<String> settings) throws IOException {
        this.data = data;
        this.logs = logs;
        this.settings = List.copyOf(settings);
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        }
        this.api = new HttpApi(port);
    }

    /**
     * Starts a service on {@code data} at once, logging beside it.
     *
     * @param jvmOptions e.g. {@code -Xmx768m}
     * @param settings Spring properties, e.g. {@code --ganserve.resources.memory-limit=3GB}
     */
    public static ServiceProcess start(Path data, String name, List<String> jvmOptions, List<String> settings)
            throws IOException {
        ServiceProcess service = new ServiceProcess(data, data.getParent(), settings);
        service.jvmOptions = List.copyOf(jvmOptions);
        service.start(data.getFileName() + "-" + name);
        return service;
    }

    public HttpApi api() {
        return api;
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Resident set size now, in bytes (VmRSS); −1 when the process is gone. */
    public long residentBytes() {
        return status("VmRSS:");
    }

    /** The highest resident set size since the process started, in bytes (VmHWM). */
    public long peakResidentBytes() {
        return status("VmHWM:");
    }

    /** The current launch's log so far. */
    public String log() {
        try {
            return java.nio.file.Files.readString(current);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private long status(String field) {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException gone) {
            return -1;
        }
        return -1;
    }

    /** Starts it (this test's class path and JVM, with the service's main class) and waits until it answers. */
    public void start(String name) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                GanServeApplication.class.getName(), "--server.port=" + port,
                "--ganserve.training.data-dir=" + data, "--ganserve.training.worker-id=process-test"));
        command.addAll(settings);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(logs.resolve(name + ".log").toFile());
        process = builder.start();
        current = logs.resolve(name + ".log");
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            assertAlive();
            try {
                int status = api.anonymous().get("/actuator/health").statusCode();
                if (status == 200 || status == 503) {
                    return;
                }
            } catch (AssertionError notUpYet) {
                // connection refused while the service starts
            }
            HttpApi.sleep(250);
        }
        throw new AssertionError("the service did not start within 2 minutes; see " + logs.resolve(name + ".log"));
    }

    /** SIGKILL: no shutdown hook, no last checkpoint, no last write. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    /** SIGTERM: the graceful shutdown. */
    public void stop() throws InterruptedException {
        process.destroy();
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
    }

    public void assertAlive() {
        if (!process.isAlive()) {
            String tail;
            try {
                List<String> lines = java.nio.file.Files.readAllLines(current);
                tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
            } catch (IOException e) {
                tail = e.toString();
            }
            throw new AssertionError("the service exited; its log ends:\n" + tail);
        }
    }

    /** Polls {@code GET /jobs/{id}} until the record meets {@code condition}. */
    public JsonNode awaitJob(String jobId, Predicate<JsonNode> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            assertAlive();
            try {
                HttpResponse<String> r = api.get("/jobs/" + jobId);
                if (r.statusCode() == 200) {
                    last = api.json(r);
                    if (condition.test(last)) {
                        return last;
                    }
                }
            } catch (AssertionError notUpYet) {
                // connection refused while the service starts
            }
            HttpApi.sleep(250);
        }
        throw new AssertionError("condition not reached; last record: " + last);
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
