package io.ganserve.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.ganserve.GanServeApplication;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The service as its own operating-system process on a data directory, started from this test's
 * class path and JVM with the service's main class (what {@code java -jar} runs): for tests that
 * kill it, measure its resident memory, or fill its disk.
 */
public final class ServiceProcess implements AutoCloseable {

    /**
     * glibc's allocator as the container and {@code spring-boot:run} set it up: two arenas, so
     * freed tensors are reused instead of stranded in one arena per request thread.
     */
    public static final java.util.Map<String, String> MALLOC = java.util.Map.of(
            "MALLOC_ARENA_MAX", "2");

    private final Process process;
    private final int port;
    private final Path log;

    private ServiceProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * @param jvmOptions e.g. {@code -Xmx768m}
     * @param arguments Spring properties, e.g. {@code --ganserve.resources.memory-limit=3GB}
     */
    public static ServiceProcess start(Path dataDir, String name, List<String> jvmOptions, List<String> arguments)
            throws IOException {
        int port = freePort();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), GanServeApplication.class.getName(),
                "--server.port=" + port, "--ganserve.training.data-dir=" + dataDir));
        command.addAll(arguments);
        Path log = dataDir.resolveSibling(dataDir.getFileName() + "-" + name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(MALLOC);
        Process process = builder.start();
        ServiceProcess service = new ServiceProcess(process, port, log);
        service.awaitUp();
        return service;
    }

    public HttpApi api() {
        return new HttpApi(port);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Resident set size now, in bytes (VmRSS). */
    public long residentBytes() {
        return status("VmRSS:");
    }

    /** The highest resident set size since the process started, in bytes (VmHWM). */
    public long peakResidentBytes() {
        return status("VmHWM:");
    }

    /** The service's log so far, for assertion messages. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private long status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException gone) {
            return -1;
        }
        return -1;
    }

    private void awaitUp() {
        HttpApi api = api();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("the service exited: %s", log()).isTrue();
            try {
                if (api.get("/actuator/health/liveness").statusCode() == 200) {
                    return;
                }
            } catch (AssertionError notUpYet) {
                // connection refused while the service starts
            }
            HttpApi.sleep(250);
        }
        throw new AssertionError("the service did not start within 2 minutes: " + log());
    }

    /** SIGKILL: no shutdown hook, no last checkpoint. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            kill();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
