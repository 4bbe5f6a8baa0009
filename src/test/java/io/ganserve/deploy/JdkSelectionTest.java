package io.ganserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's commands work where the default {@code java} is older than 21, with no JAVA_HOME
 * exported: mvnw sources {@code .mvn/jdk.sh}, which picks the newest JDK 21+ installed. The script
 * runs here under {@code /bin/sh} with mvnw's {@code set -euf}, against a PATH whose only java is
 * a Java 17, on fake JDKs (always) and on the JDKs this machine has (skipped where none is 21+).
 */
class JdkSelectionTest {

    static final Path SCRIPT = Repo.path(".mvn/jdk.sh");
    static final Path MVNW = Repo.path("mvnw");

    @TempDir
    Path tmp;

    record Run(int exitCode, String javaHome, String stderr) {}

    // ------------------------------------------------------------------------------------------
    // fake JDKs: shell scripts that answer -XshowSettings:properties as a JDK of that version does

    @Test
    void picksTheNewestJdk21PlusWhenPathHasOnlyAJava17() throws IOException {
        Path roots = fakeJdks();
        Run run = select(Map.of("PATH", fakeJavaOnPath("17").toString(), "GANSERVE_JDK_ROOTS", roots.toString()));
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        // jre-26 has no javac and does not count; 25 beats 21; 17 and the broken one are too old
        assertThat(run.javaHome()).isEqualTo(roots.resolve("jdk-25").toString());
        assertThat(run.stderr()).contains("Java 17").contains("jdk-25 (Java 25)");
    }

    @Test
    void replacesAJavaHomeThatIsTooOld() throws IOException {
        Path roots = fakeJdks();
        Run run = select(Map.of("PATH", fakeJavaOnPath("21").toString(), "GANSERVE_JDK_ROOTS", roots.toString(),
                "JAVA_HOME", roots.resolve("jdk-17").toString()));
        assertThat(run.exitCode()).isZero();
        assertThat(run.javaHome()).isEqualTo(roots.resolve("jdk-25").toString());
        assertThat(run.stderr()).contains("JAVA_HOME=" + roots.resolve("jdk-17") + " is Java 17");
    }

    @Test
    void keepsAJavaHomeOrAPathJavaThatIsNewEnough() throws IOException {
        Path roots = fakeJdks();
        Run kept = select(Map.of("PATH", fakeJavaOnPath("17").toString(), "GANSERVE_JDK_ROOTS", roots.toString(),
                "JAVA_HOME", roots.resolve("jdk-21").toString()));
        assertThat(kept.exitCode()).isZero();
        assertThat(kept.javaHome()).isEqualTo(roots.resolve("jdk-21").toString());
        assertThat(kept.stderr()).isEmpty();

        Run onPath = select(Map.of("PATH", fakeJavaOnPath("22").toString(), "GANSERVE_JDK_ROOTS", roots.toString()));
        assertThat(onPath.exitCode()).isZero();
        assertThat(onPath.javaHome()).as("JAVA_HOME stays unset").isEmpty();
        assertThat(onPath.stderr()).isEmpty();
    }

    @Test
    void saysWhatToInstallWhenThereIsNoJdk21() throws IOException {
        Path roots = tmp.resolve("old");
        fakeJdk(roots.resolve("jdk-17"), "17", true);
        fakeJdk(roots.resolve("jdk-8"), "1.8", true);
        Run run = select(Map.of("PATH", fakeJavaOnPath("17").toString(), "GANSERVE_JDK_ROOTS", roots.toString()));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.javaHome()).isEmpty();
        assertThat(run.stderr()).contains("none found under " + roots).contains("openjdk-21-jdk-headless");

        Run nothing = select(Map.of("PATH", tmp.resolve("empty").toString(), "GANSERVE_JDK_ROOTS", roots.toString()));
        assertThat(nothing.exitCode()).isEqualTo(1);
        assertThat(nothing.stderr()).contains("no java on PATH");
    }

    @Test
    void mvnwRunsTheSelectionBeforeMaven() throws IOException {
        String mvnw = Files.readString(MVNW);
        int hook = mvnw.indexOf(". \"$scriptDir/.mvn/jdk.sh\"");
        assertThat(hook).as("mvnw sources .mvn/jdk.sh (keep the lines when regenerating the wrapper)").isPositive();
        assertThat(mvnw.indexOf("ganserve_select_jdk", hook)).isPositive();
        assertThat(hook).as("before the first exec of Maven").isLessThan(mvnw.indexOf("exec_maven \"$@\""));
    }

    // ------------------------------------------------------------------------------------------
    // the JDKs installed here

    @Test
    void picksAnInstalledJdk21PlusWhenTheDefaultJavaIs17() throws IOException {
        List<Path> installed = installedJdks(21);
        assumeTrue(!installed.isEmpty(), "no JDK 21+ installed under /usr/lib/jvm: nothing to pick");
        // the default roots, the system-wide ones only (HOME is an empty folder)
        Run run = select(Map.of("PATH", java17OnPath().toString()));
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stderr()).contains("is Java 1");
        Path picked = Path.of(run.javaHome());
        assertThat(Files.isExecutable(picked.resolve("bin/javac"))).as(picked + "/bin/javac").isTrue();
        assertThat(releaseMajor(picked)).as(picked + "/release").isGreaterThanOrEqualTo(21);
    }

    /** The README's claim itself: mvnw, with no JAVA_HOME and a Java 17 first on PATH, runs Maven on 21+. */
    @Test
    void mvnwRunsMavenOnAJdk21PlusWhenTheDefaultJavaIs17() throws Exception {
        assumeTrue(!installedJdks(21).isEmpty(), "no JDK 21+ installed under /usr/lib/jvm: nothing to pick");
        Path mavenHome = Path.of(System.getProperty("user.home"), ".m2", "wrapper", "dists");
        assumeTrue(Files.isDirectory(mavenHome), "the wrapper's Maven is not unpacked (would download it)");
        ProcessBuilder pb = new ProcessBuilder(MVNW.toString(), "-v").directory(Repo.ROOT.toFile());
        pb.environment().clear();
        pb.environment().put("PATH", java17OnPath() + ":/usr/bin:/bin");
        pb.environment().put("HOME", System.getProperty("user.home"));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        Matcher m = Pattern.compile("Java version: (\\d+)").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        assertThat(Integer.parseInt(m.group(1))).isGreaterThanOrEqualTo(21);
    }

    // ------------------------------------------------------------------------------------------

    /** Sources the script as mvnw does (set -euf) in a clean environment and calls the selection. */
    Run select(Map<String, String> env) throws IOException {
        String script = "set -euf; . \"$1\"; rc=0; ganserve_select_jdk || rc=$?; printf '%s\\n%s\\n' \"$rc\" \"${JAVA_HOME:-}\"";
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", script, "sh", SCRIPT.toString());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().putIfAbsent("HOME", tmp.resolve("home").toString());
        Process p = pb.start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("the shell itself: " + err).isZero();
            String[] lines = out.split("\n", -1);
            return new Run(Integer.parseInt(lines[0]), lines.length > 1 ? lines[1] : "", err.strip());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** jdk-17, jdk-21, jdk-25, a jre-26 without javac, and a directory with no java. */
    Path fakeJdks() throws IOException {
        Path roots = tmp.resolve("jvm");
        fakeJdk(roots.resolve("jdk-17"), "17", true);
        fakeJdk(roots.resolve("jdk-21"), "21", true);
        fakeJdk(roots.resolve("jdk-25"), "25", true);
        fakeJdk(roots.resolve("jre-26"), "26", false);
        Files.createDirectories(roots.resolve("broken/bin"));
        return roots;
    }

    /** A bin directory whose only command is a (fake) java of that version. */
    Path fakeJavaOnPath(String version) throws IOException {
        Path home = tmp.resolve("path-java-" + version);
        fakeJdk(home, version, true);
        return home.resolve("bin");
    }

    static void fakeJdk(Path home, String version, boolean withJavac) throws IOException {
        Path bin = Files.createDirectories(home.resolve("bin"));
        // Real JDKs print the settings on stderr, among others, indented by four spaces.
        executable(bin.resolve("java"), "#!/bin/sh\n"
                + "echo 'Property settings:' >&2\n"
                + "echo '    java.home = " + home + "' >&2\n"
                + "echo '    java.specification.version = " + version + "' >&2\n"
                + "echo 'openjdk version \"" + version + "\"' >&2\n");
        if (withJavac) {
            executable(bin.resolve("javac"), "#!/bin/sh\nexit 0\n");
        }
    }

    static void executable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /**
     * A bin directory holding a java 17: an installed JDK older than 21 when there is one
     * (this machine's default), else the fake one.
     */
    Path java17OnPath() throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("java17/bin"));
        Path real = installedJdks(0).stream().filter(j -> releaseMajor(j) < 21).findFirst().orElse(null);
        if (real == null) {
            return fakeJavaOnPath("17");
        }
        // wrappers, not links: JUnit warns about links out of a @TempDir
        for (String tool : List.of("java", "javac")) {
            executable(bin.resolve(tool), "#!/bin/sh\nexec '" + real.resolve("bin").resolve(tool) + "' \"$@\"\n");
        }
        return bin;
    }

    /** JDKs (java and javac) under /usr/lib/jvm of at least that feature version, by their release file. */
    static List<Path> installedJdks(int minimum) {
        Path root = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            List<Path> found = new ArrayList<>();
            dirs.sorted().filter(d -> Files.isExecutable(d.resolve("bin/java")) && Files.isExecutable(d.resolve("bin/javac")))
                    .filter(d -> releaseMajor(d) >= minimum)
                    .forEach(found::add);
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** JAVA_VERSION="25.0.3" in the JDK's release file, as 25; 0 when unreadable. */
    static int releaseMajor(Path jdk) {
        try {
            Map<String, String> release = new LinkedHashMap<>();
            for (String line : Files.readAllLines(jdk.resolve("release"))) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    release.put(line.substring(0, eq), line.substring(eq + 1).replace("\"", ""));
                }
            }
            String v = release.getOrDefault("JAVA_VERSION", "0");
            String major = v.startsWith("1.") ? "1" : v.split("[.+-]")[0];
            return Integer.parseInt(major);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
