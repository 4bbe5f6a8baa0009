package io.ganserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml keeps to what both Compose versions docs/operations.md names accept: Compose
 * v2 ({@code docker compose}) and Debian bookworm's docker-compose 1.29.2, whose schema refuses the
 * top-level {@code name:} (and anything else outside the Compose specification it knows). The keys
 * are checked here without Docker; where either Compose is installed, it renders the file
 * ({@code config}, which needs no Docker engine) with and without the gpu profile.
 */
class ComposeFileTest {

    /** Top-level keys of docker-compose 1.29.2's compose_spec.json, less the obsolete version. */
    static final Set<String> TOP_LEVEL = Set.of("services", "networks", "volumes", "secrets", "configs");

    /**
     * Service keys of docker-compose 1.29.2's compose_spec.json
     * (/usr/lib/python3/dist-packages/compose/config/compose_spec.json); Compose v2 accepts all of them.
     */
    static final Set<String> SERVICE_KEYS = Set.of("blkio_config", "build", "cap_add", "cap_drop", "cgroup_parent",
            "command", "configs", "container_name", "cpu_count", "cpu_percent", "cpu_period", "cpu_quota",
            "cpu_rt_period", "cpu_rt_runtime", "cpu_shares", "cpus", "cpuset", "credential_spec", "depends_on",
            "deploy", "device_cgroup_rules", "devices", "dns", "dns_opt", "dns_search", "domainname", "entrypoint",
            "env_file", "environment", "expose", "extends", "external_links", "extra_hosts", "group_add",
            "healthcheck", "hostname", "image", "init", "ipc", "isolation", "labels", "links", "logging",
            "mac_address", "mem_limit", "mem_reservation", "mem_swappiness", "memswap_limit", "network_mode",
            "networks", "oom_kill_disable", "oom_score_adj", "pid", "pids_limit", "platform", "ports", "privileged",
            "profiles", "pull_policy", "read_only", "restart", "runtime", "scale", "secrets", "security_opt",
            "shm_size", "stdin_open", "stop_grace_period", "stop_signal", "storage_opt", "sysctls", "tmpfs", "tty",
            "ulimits", "user", "userns_mode", "volumes", "volumes_from", "working_dir");

    static final Set<String> VOLUME_KEYS = Set.of("name", "driver", "driver_opts", "external", "labels");
    static final Set<String> SECRET_KEYS = Set.of("name", "file", "external", "labels", "driver", "driver_opts",
            "template_driver");

    @Test
    void usesOnlyKeysBothComposeVersionsAccept() {
        Map<String, Object> compose = DeploymentManifestsTest.compose();
        for (String key : compose.keySet()) {
            assertThat(TOP_LEVEL.contains(key) || key.startsWith("x-"))
                    .as("top-level key '" + key + "' (1.29 refuses name:, v2 warns on version:)").isTrue();
        }
        Yamls.map(compose, "services").forEach((name, body) -> Yamls.asMap(body, name).keySet()
                .forEach(key -> assertThat(SERVICE_KEYS).as("service " + name + " key").contains(key)));
        Yamls.map(compose, "volumes").forEach((name, body) -> {
            if (body != null) {
                assertThat(VOLUME_KEYS).as("volume " + name).containsAll(Yamls.asMap(body, name).keySet());
            }
        });
        Yamls.map(compose, "secrets").forEach((name, body) ->
                assertThat(SECRET_KEYS).as("secret " + name).containsAll(Yamls.asMap(body, name).keySet()));
    }

    @Test
    void volumesKeepTheirNamesWhateverTheProjectIsCalled() {
        // With no top-level name the project is named after the directory; the volumes are not.
        Yamls.map(DeploymentManifestsTest.compose(), "volumes").forEach((name, body) ->
                assertThat(Yamls.get(body, "name")).as("volume " + name).isEqualTo("ganserve_" + name));
    }

    @Test
    void composeRendersTheFileWhereInstalled() throws Exception {
        List<List<String>> composes = new ArrayList<>();
        if (runs(List.of("docker", "compose", "version"))) {
            composes.add(List.of("docker", "compose"));
        }
        if (runs(List.of("docker-compose", "version"))) {
            composes.add(List.of("docker-compose"));
        }
        assumeTrue(!composes.isEmpty(),
                "neither Compose v2 (docker compose) nor docker-compose is installed (apt-get install docker-compose)");
        for (List<String> compose : composes) {
            for (List<String> args : List.of(List.of("config", "-q"), List.of("--profile", "gpu", "config", "-q"))) {
                List<String> command = new ArrayList<>(compose);
                command.addAll(List.of("-f", DeploymentManifestsTest.COMPOSE.toString()));
                command.addAll(args);
                Result r = run(command);
                assertThat(r.exitCode()).as(String.join(" ", command) + ": " + r.output()).isZero();
            }
        }
    }

    record Result(int exitCode, String output) {}

    static boolean runs(List<String> command) {
        try {
            return run(command).exitCode() == 0;
        } catch (IOException e) {
            return false; // not installed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static Result run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(Repo.ROOT.toFile()).redirectErrorStream(true);
        // the defaults in the file, not whatever this shell's environment sets
        pb.environment().keySet().removeIf(k -> k.startsWith("GANSERVE_") || k.startsWith("POSTGRES_")
                || k.startsWith("GRAFANA_") || k.startsWith("COMPOSE_"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish");
        }
        return new Result(p.exitValue(), out);
    }
}
