package io.ganserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ganserve.engine.ExtractNatives;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the image does with libtorch, without Docker: {@link ExtractNatives} unpacks it into an empty
 * DJL cache as the Dockerfile's build stage does, then a fresh JVM with that cache read-only and an
 * empty java.io.tmpdir loads the engine from it and computes, writing to neither. Both run as child
 * JVMs on this build's class path, with the environment the image gives them.
 */
class BakedNativesTest {

    @TempDir
    Path work;

    @Test
    void nativesExtractedOnceLoadFromAReadOnlyCacheWithoutWriting() throws Exception {
        Path cache = Files.createDirectory(work.resolve("djl"));
        Path tmp = Files.createDirectory(work.resolve("tmp"));
        Path home = Files.createDirectory(work.resolve("home"));

        Run extract = run(ExtractNatives.class, cache, Files.createDirectory(work.resolve("build-tmp")),
                Files.createDirectory(work.resolve("build-home")), Map.of());
        assertThat(extract.exit()).as(extract.output()).isZero();
        assertThat(extract.output()).contains("natives in " + cache).contains("JNA's library in " + cache + "/jna/");
        Map<String, String> baked = snapshot(cache);
        assertThat(baked.keySet()).as("libtorch and DJL's JNI in the cache")
                .anyMatch(path -> path.endsWith("/libtorch_cpu.so"))
                .anyMatch(path -> path.endsWith("libdjl_torch.so"))
                .contains("jna/libjnidispatch.so");

        Map<String, String> emptyTmp = snapshot(tmp);
        Map<String, String> emptyHome = snapshot(home);
        try {
            readOnly(cache);
            Run probe = run(NativesProbe.class, cache, tmp, home, Map.of(
                    // the image's user cannot write its home, so JNA's fallback is java.io.tmpdir;
                    // a cache directory that cannot be created makes it fall back here too
                    "XDG_CACHE_HOME", "/proc/ganserve-no-cache"));
            assertThat(probe.exit()).as(probe.output()).isZero();
            assertThat(probe.output()).contains("sum 6.0");
            List<String> mapped = probe.output().lines()
                    .filter(line -> line.startsWith("mapped "))
                    .map(line -> line.substring("mapped ".length()))
                    .filter(file -> file.contains("torch") || file.contains("djl") || file.contains("jnidispatch"))
                    .toList();
            assertThat(mapped).as("libtorch's libraries the child mapped")
                    .anyMatch(file -> file.endsWith("/libtorch_cpu.so"))
                    .anyMatch(file -> file.endsWith("libdjl_torch.so"))
                    .anyMatch(file -> file.endsWith("/jna/libjnidispatch.so"))
                    .allMatch(file -> file.startsWith(cache + "/"));

            assertThat(snapshot(cache)).as("the cache is only read").isEqualTo(baked);
            assertThat(snapshot(tmp)).as("nothing written to java.io.tmpdir").isEqualTo(emptyTmp);
            assertThat(snapshot(home)).as("nothing written to the home directory").isEqualTo(emptyHome);
        } finally {
            writable(cache);
        }
    }

    record Run(int exit, String output) {
    }

    /**
     * Only what decides where DJL reads and writes is set: DJL_CACHE_DIR as the image sets it, and
     * nothing inherited (ENGINE_CACHE_DIR, PYTORCH_LIBRARY_PATH) that would point elsewhere.
     */
    private Run run(Class<?> main, Path cache, Path tmp, Path home, Map<String, String> extraEnv)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-XX:-UsePerfData",
                "-Djava.io.tmpdir=" + tmp, "-Duser.home=" + home,
                "-cp", System.getProperty("java.class.path"), main.getName()));
        Path log = work.resolve(main.getSimpleName() + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("DJL_") || name.startsWith("ENGINE_") || name.startsWith("PYTORCH_")
                || name.startsWith("XDG_"));
        env.put("DJL_CACHE_DIR", cache.toString());
        env.putAll(extraEnv);
        Process process = builder.start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError(main.getSimpleName() + " did not finish within 3 minutes: " + Files.readString(log));
        }
        return new Run(process.exitValue(), Files.readString(log));
    }

    /**
     * Every file and directory under root with its size and modification time: a write changes it,
     * and a file created and deleted again (as JNA does with its library) changes its directory's.
     */
    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.toList()) {
                BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
                entries.put(root.relativize(path).toString().replace('\\', '/'),
                        (attributes.isDirectory() ? "dir " : attributes.size() + " ") + attributes.lastModifiedTime().toMillis());
            }
        }
        return entries;
    }

    /**
     * As the image's root-owned /opt/djl is to its user 10001. Where the tests run as root this
     * stops nothing, so the snapshot comparison is what proves that nothing was written.
     */
    private static void readOnly(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.toList()) {
                Set<PosixFilePermission> permissions = EnumSet.copyOf(Files.getPosixFilePermissions(path));
                permissions.removeAll(Set.of(PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_WRITE,
                        PosixFilePermission.OTHERS_WRITE));
                Files.setPosixFilePermissions(path, permissions);
            }
        }
    }

    private static void writable(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.toList()) {
                Set<PosixFilePermission> permissions = EnumSet.copyOf(Files.getPosixFilePermissions(path));
                permissions.add(PosixFilePermission.OWNER_WRITE);
                Files.setPosixFilePermissions(path, permissions);
            }
        }
    }
}
