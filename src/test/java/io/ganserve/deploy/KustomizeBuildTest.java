package io.ganserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Renders the kustomizations with kubectl's built-in kustomize, where kubectl is installed (it
 * needs no cluster for this): the files {@link DeploymentManifestsTest} and
 * {@link ScaleOutManifestsTest} read one by one must also build, and kustomize's own rewrites
 * (the generated Secret's hashed name, the images) must land where the pods read them.
 */
class KustomizeBuildTest {

    @Test
    void singleInstanceOverlaysBuild() {
        for (String overlay : List.of("cpu", "gpu")) {
            List<Map<String, Object>> docs = build(Repo.path("k8s/overlays/" + overlay));
            assertThat(docs).extracting(d -> d.get("kind"))
                    .contains("Deployment", "Service", "PersistentVolumeClaim", "ConfigMap", "ServiceMonitor");
            String image = (String) Yamls.get(containers(one(docs, "Deployment", "ganserve")).get(0), "image");
            assertThat(image).as(overlay).isEqualTo(overlay.equals("gpu") ? "ganserve:0.1.0-cuda" : "ganserve:0.1.0");
        }
    }

    @Test
    void scaleOutBuildsAndEveryPodReadsTheGeneratedSecret(@TempDir Path tmp) throws IOException {
        // The password file is git-ignored, so build a copy that has one.
        Path dir = tmp.resolve("scale-out");
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(ScaleOutManifestsTest.DIR)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        Files.writeString(dir.resolve("postgres.env"), "password=not-a-real-one\n");

        List<Map<String, Object>> docs = build(dir);
        List<Map<String, Object>> secrets = docs.stream().filter(d -> "Secret".equals(d.get("kind")))
                .filter(d -> String.valueOf(Yamls.get(d, "metadata", "name")).startsWith("ganserve-postgres")).toList();
        assertThat(secrets).hasSize(1);
        String secret = (String) Yamls.get(secrets.get(0), "metadata", "name");
        assertThat(secret).startsWith("ganserve-postgres-").isNotEqualTo("ganserve-postgres");

        List<Map<String, Object>> pods = List.of(one(docs, "Deployment", "ganserve-trainer"),
                one(docs, "Deployment", "ganserve-server"), one(docs, "StatefulSet", "ganserve-postgres"));
        for (Map<String, Object> workload : pods) {
            List<Object> refs = new ArrayList<>();
            for (Map<String, Object> e : Yamls.listOrEmpty(containers(workload).get(0), "env")) {
                Object ref = Yamls.get(e, "valueFrom", "secretKeyRef", "name");
                if (ref != null) {
                    refs.add(ref);
                }
            }
            assertThat(refs).as(Yamls.get(workload, "metadata", "name") + " reads the generated Secret")
                    .isNotEmpty().containsOnly(secret);
        }
        assertThat(Yamls.get(containers(one(docs, "Deployment", "ganserve-trainer")).get(0), "image"))
                .isEqualTo("ganserve:0.1.0-cuda");
        assertThat(Yamls.get(containers(one(docs, "Deployment", "ganserve-server")).get(0), "image"))
                .isEqualTo("ganserve:0.1.0");
    }

    // ------------------------------------------------------------------------------------------

    private static List<Map<String, Object>> build(Path kustomization) {
        assumeTrue(kubectlPresent(), "kubectl is not installed: kustomizations were not rendered");
        try {
            Process p = new ProcessBuilder("kubectl", "kustomize", kustomization.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("kubectl kustomize " + kustomization + ":\n" + out).isZero();
            List<Map<String, Object>> docs = new ArrayList<>();
            for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(out)) {
                if (doc != null) {
                    docs.add(Yamls.asMap(doc, "rendered document"));
                }
            }
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean kubectlPresent() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "kubectl"))) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, Object> one(List<Map<String, Object>> docs, String kind, String name) {
        List<Map<String, Object>> found = docs.stream()
                .filter(d -> kind.equals(d.get("kind")) && name.equals(Yamls.get(d, "metadata", "name"))).toList();
        assertThat(found).as(kind + " " + name).hasSize(1);
        return found.get(0);
    }

    private static List<Map<String, Object>> containers(Map<String, Object> workload) {
        return Yamls.listOrEmpty(workload, "spec", "template", "spec", "containers");
    }
}
