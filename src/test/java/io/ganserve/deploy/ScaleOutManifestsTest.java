package io.ganserve.deploy;

import static io.ganserve.deploy.DeploymentManifestsTest.containerPort;
import static io.ganserve.deploy.DeploymentManifestsTest.serverPort;
import static io.ganserve.deploy.DeploymentManifestsTest.shutdownPhaseTimeout;
import static io.ganserve.deploy.DeploymentManifestsTest.yamlFiles;
import static org.assertj.core.api.Assertions.assertThat;

import io.ganserve.deploy.DeploymentManifestsTest.Doc;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The scale-out layout in {@code k8s/scale-out}: GPU trainers that serve nothing, CPU servers
 * that train nothing, both on one PostgreSQL database and one ReadWriteMany model registry. The
 * files are read as Kubernetes would be given them and cross-checked: which pods a selector
 * reaches, where a datasource URL leads, which claim a volume names.
 */
class ScaleOutManifestsTest {

    static final Path DIR = DeploymentManifestsTest.K8S.resolve("scale-out");
    static final String TRAINER = "ganserve-trainer";
    static final String SERVER = "ganserve-server";

    @Test
    void kustomizationListsEveryFileAndKeepsThePasswordOutOfGit() throws IOException {
        Map<String, Object> k = kustomization();
        List<String> resources = Yamls.strings(k, "resources");
        for (Path f : yamlFiles(DIR)) {
            String name = f.getFileName().toString();
            if (!name.equals("kustomization.yaml")) {
                assertThat(resources).as("listed in scale-out/kustomization.yaml").contains(name);
            }
        }
        resources.forEach(r -> assertThat(DIR.resolve(r)).as(r).isRegularFile());

        // The password comes from a generated Secret whose source file git ignores; the only Secrets in
        // git are the API keys' (hashes, and Prometheus's development key, docs/security.md).
        assertThat(docs()).filteredOn(d -> d.kind().equals("Secret")).extracting(Doc::name)
                .containsExactlyInAnyOrder("ganserve-api-keys", "ganserve-prometheus-key");
        Map<String, Object> generator = Yamls.listOrEmpty(k, "secretGenerator").stream()
                .filter(g -> "ganserve-postgres".equals(g.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no secretGenerator ganserve-postgres"));
        assertThat(Yamls.strings(generator, "envs")).containsExactly("postgres.env");
        assertThat(Files.readAllLines(Repo.path(".gitignore"))).contains("/k8s/scale-out/postgres.env");
        List<String> example = Files.readAllLines(DIR.resolve("postgres.env.example")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertThat(example).singleElement().asString().startsWith(passwordKey() + "=");
    }

    @Test
    void trainersTrainOnAGpuAndServeNothing() {
        Map<String, Object> deployment = resource("Deployment", TRAINER).body();
        Map<String, Object> pod = podSpec(TRAINER);
        Map<String, Object> container = container(TRAINER);
        Map<String, String> env = effectiveEnv(container);

        assertThat(env).containsEntry("GANSERVE_ROLES_TRAINING", "true").containsEntry("GANSERVE_ROLES_SERVING", "false");
        assertThat(env).containsEntry("GANSERVE_ENGINE_DEVICE", "gpu");
        assertThat(String.valueOf(Yamls.get(container, "resources", "limits", "nvidia.com/gpu"))).isEqualTo("1");
        assertThat(Yamls.map(pod, "nodeSelector")).containsKey("nvidia.com/gpu.present");
        assertThat(Yamls.listOrEmpty(pod, "tolerations"))
                .anySatisfy(t -> assertThat(t.get("key")).isEqualTo("nvidia.com/gpu"));
        // The Dockerfile's CUDA flavour, as docker-compose.yml's ganserve-gpu tags it.
        assertThat((String) container.get("image")).endsWith("-cuda");
        assertThat(DeploymentManifestsTest.args(DeploymentManifestsTest.dockerfile(), "FROM")).contains("runtime AS runtime-cuda");
        Object composeImage = Yamls.get(DeploymentManifestsTest.compose(), "services", "ganserve-gpu", "image");
        assertThat(container.get("image")).isEqualTo(composeImage);

        // Each trainer claims jobs under its own id: the pod's name, never a constant.
        assertThat(env).containsEntry("GANSERVE_TRAINING_WORKERID", "fieldRef:metadata.name");
        // The old pod checkpoints and frees its GPU before the new one wants one.
        assertThat(Yamls.get(deployment, "spec", "strategy", "type")).isEqualTo("Recreate");
        assertThat(Duration.ofSeconds((Integer) pod.get("terminationGracePeriodSeconds"))).isGreaterThan(shutdownPhaseTimeout());
    }

    @Test
    void serversServeOnCpuAndTrainNothing() {
        Map<String, Object> deployment = resource("Deployment", SERVER).body();
        Map<String, Object> pod = podSpec(SERVER);
        Map<String, Object> container = container(SERVER);
        Map<String, String> env = effectiveEnv(container);

        assertThat(env).containsEntry("GANSERVE_ROLES_TRAINING", "false").containsEntry("GANSERVE_ROLES_SERVING", "true");
        assertThat(env).containsEntry("GANSERVE_ENGINE_DEVICE", "cpu");
        assertThat(Yamls.map(container, "resources", "limits")).doesNotContainKey("nvidia.com/gpu");
        assertThat(Yamls.map(container, "resources", "requests")).doesNotContainKey("nvidia.com/gpu");
        assertThat(pod).doesNotContainKeys("nodeSelector", "tolerations");
        assertThat((String) container.get("image")).doesNotContain("cuda").endsWith(":0.1.0");

        // Several replicas, rolled one at a time with none missing, kept by the HPA.
        Map<String, Object> hpa = resource("HorizontalPodAutoscaler", SERVER).body();
        assertThat(Yamls.get(hpa, "spec", "scaleTargetRef", "kind")).isEqualTo("Deployment");
        assertThat(Yamls.get(hpa, "spec", "scaleTargetRef", "name")).isEqualTo(SERVER);
        assertThat((Integer) Yamls.get(hpa, "spec", "minReplicas")).isGreaterThanOrEqualTo(2);
        assertThat((Integer) Yamls.get(hpa, "spec", "maxReplicas")).isGreaterThan((Integer) Yamls.get(hpa, "spec", "minReplicas"));
        // A replicas field would reset the HPA's count at every kubectl apply.
        assertThat(Yamls.map(deployment, "spec")).doesNotContainKey("replicas");
        assertThat(Yamls.get(deployment, "spec", "strategy", "type")).isEqualTo("RollingUpdate");
        assertThat(Yamls.get(deployment, "spec", "strategy", "rollingUpdate", "maxUnavailable")).isEqualTo(0);

        Map<String, Object> pdb = resource("PodDisruptionBudget", SERVER).body();
        assertThat(podLabels(SERVER)).containsAllEntriesOf(Yamls.map(pdb, "spec", "selector", "matchLabels"));
        assertThat(podLabels(TRAINER)).as("the PDB must not hold trainers")
                .doesNotContainEntry("app.kubernetes.io/component", "server");
    }

    @Test
    void bothRolesUseTheOnePostgresDatabase() {
        Doc postgres = resource("StatefulSet", "ganserve-postgres");
        Map<String, Object> db = Yamls.listOrEmpty(postgres.body(), "spec", "template", "spec", "containers").get(0);
        Map<String, String> dbEnv = effectiveEnv(db);
        String secretRef = "secretKeyRef:ganserve-postgres/" + passwordKey();
        assertThat(dbEnv).containsEntry("POSTGRES_PASSWORD", secretRef);

        Doc service = resource("Service", (String) Yamls.get(postgres.body(), "spec", "serviceName"));
        assertThat(Yamls.map(postgres.body(), "spec", "template", "metadata", "labels"))
                .containsAllEntriesOf(Yamls.map(service.body(), "spec", "selector"));
        Map<String, Object> servicePort = Yamls.listOrEmpty(service.body(), "spec", "ports").get(0);
        assertThat(containerPort(db, (String) servicePort.get("targetPort"))).isEqualTo(5432);

        for (String role : List.of(TRAINER, SERVER)) {
            Map<String, String> env = effectiveEnv(container(role));
            String url = env.get("SPRING_DATASOURCE_URL");
            assertThat(url).as(role).startsWith("jdbc:postgresql://");
            URI target = URI.create(url.substring("jdbc:".length()));
            assertThat(target.getHost()).as(role + " database host").isEqualTo(service.name());
            assertThat(target.getPort()).as(role + " database port").isEqualTo(servicePort.get("port"));
            assertThat(target.getPath()).as(role + " database").isEqualTo("/" + dbEnv.get("POSTGRES_DB"));
            assertThat(env.get("SPRING_DATASOURCE_USERNAME")).as(role).isEqualTo(dbEnv.get("POSTGRES_USER"));
            assertThat(env.get("SPRING_DATASOURCE_PASSWORD")).as(role).isEqualTo(secretRef);
        }

        // The database's own volume: per pod, kept across restarts.
        List<Map<String, Object>> claims = Yamls.listOrEmpty(postgres.body(), "spec", "volumeClaimTemplates");
        assertThat(claims).singleElement().satisfies(c -> {
            assertThat(Yamls.strings(c, "spec", "accessModes")).containsExactly("ReadWriteOnce");
            String mount = mountPathOf(db, (String) Yamls.get(c, "metadata", "name"));
            assertThat(dbEnv.get("PGDATA")).startsWith(mount + "/");
        });
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertThat(Yamls.strings(db, probe, "exec", "command")).as(probe).contains("pg_isready");
        }
    }

    @Test
    void bothRolesMountTheSharedReadWriteManyRegistry() {
        Doc pvc = resource("PersistentVolumeClaim", "ganserve-registry");
        assertThat(Yamls.strings(pvc.body(), "spec", "accessModes")).containsExactly("ReadWriteMany");
        for (String role : List.of(TRAINER, SERVER)) {
            String dataDir = effectiveEnv(container(role)).get("GANSERVE_TRAINING_DATADIR");
            assertThat(dataDir).as(role).isEqualTo("/data");
            Map<String, Object> volume = volumes(role).get(mountedAt(container(role), dataDir));
            assertThat(Yamls.get(volume, "persistentVolumeClaim", "claimName")).as(role).isEqualTo(pvc.name());
            assertThat(Yamls.get(volume, "persistentVolumeClaim", "readOnly")).as(role).isNotEqualTo(true);
        }
    }

    @Test
    void clientsReachTheServersAndPrometheusEveryPod() {
        Doc service = resource("Service", "ganserve");
        Map<String, Object> selector = Yamls.map(service.body(), "spec", "selector");
        assertThat(podLabels(SERVER)).containsAllEntriesOf(selector);
        assertThat(selects(selector, podLabels(TRAINER))).as("the client Service must not reach trainers").isFalse();
        assertThat(selects(selector, postgresPodLabels())).isFalse();

        Map<String, Object> backend = Yamls.map(resource("Ingress", "ganserve").body(), "spec");
        Map<String, Object> path = Yamls.listOrEmpty(Yamls.listOrEmpty(backend, "rules").get(0), "http", "paths").get(0);
        assertThat(Yamls.get(path, "backend", "service", "name")).isEqualTo(service.name());
        String portName = (String) Yamls.get(path, "backend", "service", "port", "name");
        Map<String, Object> port = Yamls.listOrEmpty(service.body(), "spec", "ports").stream()
                .filter(p -> portName.equals(p.get("name"))).findFirst().orElseThrow();
        assertThat(containerPort(container(SERVER), (String) port.get("targetPort"))).isEqualTo(serverPort());

        // The ServiceMonitor reaches both roles' Services, not the database's.
        Map<String, Object> monitor = resource("ServiceMonitor", "ganserve").body();
        Map<String, Object> wanted = Yamls.map(monitor, "spec", "selector", "matchLabels");
        List<String> scraped = docs().stream().filter(d -> d.kind().equals("Service"))
                .filter(d -> selects(wanted, Yamls.map(d.body(), "metadata", "labels"))).map(Doc::name).toList();
        assertThat(scraped).containsExactlyInAnyOrder("ganserve", "ganserve-trainer");
        Doc trainers = resource("Service", "ganserve-trainer");
        assertThat(podLabels(TRAINER)).containsAllEntriesOf(Yamls.map(trainers.body(), "spec", "selector"));
        assertThat(selects(Yamls.map(trainers.body(), "spec", "selector"), podLabels(SERVER))).isFalse();
        Map<String, Object> endpoint = Yamls.listOrEmpty(monitor, "spec", "endpoints").get(0);
        assertThat(endpoint).containsEntry("port", "http").containsEntry("path", "/actuator/prometheus");
        assertThat(Yamls.listOrEmpty(trainers.body(), "spec", "ports")).anySatisfy(p -> assertThat(p.get("name")).isEqualTo("http"));
    }

    @Test
    void everyGanservePodIsProbedHardenedLimitedAndNotAnnotatedForScraping() {
        for (String role : List.of(TRAINER, SERVER)) {
            Map<String, Object> pod = podSpec(role);
            Map<String, Object> container = container(role);
            assertThat(containerPort(container, "http")).as(role).isEqualTo(serverPort());
            Map<String, String> probes = Map.of("startupProbe", "/actuator/health/liveness",
                    "livenessProbe", "/actuator/health/liveness", "readinessProbe", "/actuator/health/readiness");
            probes.forEach((probe, path) -> {
                assertThat(Yamls.get(container, probe, "httpGet", "path")).as(role + " " + probe).isEqualTo(path);
                assertThat(Yamls.get(container, probe, "httpGet", "port")).as(role + " " + probe).isEqualTo("http");
            });
            Map<String, Object> startup = Yamls.map(container, "startupProbe");
            assertThat((Integer) startup.get("periodSeconds") * (Integer) startup.get("failureThreshold"))
                    .as(role + " startup budget").isGreaterThanOrEqualTo(120);

            Map<String, Object> security = Yamls.map(container, "securityContext");
            assertThat(security).containsEntry("runAsNonRoot", true).containsEntry("readOnlyRootFilesystem", true)
                    .containsEntry("allowPrivilegeEscalation", false);
            assertThat(security.get("runAsUser")).isEqualTo(DeploymentManifestsTest.dockerfileUid());
            assertThat(Yamls.get(pod, "securityContext", "fsGroup")).isEqualTo(DeploymentManifestsTest.dockerfileUid());
            assertThat(pod.get("enableServiceLinks")).as(role).isEqualTo(false);
            String cache = effectiveEnv(container).get("DJL_CACHE_DIR");
            assertThat(Yamls.get(volumes(role).get(mountedAt(container, "/tmp")), "emptyDir")).isNotNull();
            if (role.equals(SERVER)) {
                // the CPU image's libtorch, unpacked at build time, loads from the read-only root as it is
                assertThat(cache).as(role).isNull();
            } else {
                // the GPU trainer's image copies the CUDA JNI out at start: a writable cache
                assertThat(cache).as(role).startsWith("/tmp/");
            }

            for (String bound : List.of("requests", "limits")) {
                assertThat(Yamls.map(container, "resources", bound)).as(role + " " + bound).containsKeys("cpu", "memory");
            }
            // Scraped by the ServiceMonitor with the key, not by annotation (the endpoint answers 401 without one).
            Object annotations = Yamls.get(resource("Deployment", role).body(), "spec", "template", "metadata",
                    "annotations");
            assertThat(annotations == null ? Map.of() : Yamls.asMap(annotations, role + " pod annotations"))
                    .as(role).doesNotContainKey("prometheus.io/scrape");
            assertThat(Yamls.listOrEmpty(container, "envFrom"))
                    .anySatisfy(e -> assertThat(Yamls.get(e, "configMapRef", "name")).isEqualTo("ganserve-config"));
        }
        // A ConfigMap holds strings only.
        Yamls.map(resource("ConfigMap", "ganserve-config").body(), "data")
                .forEach((key, value) -> assertThat(value).as(key).isInstanceOf(String.class));
    }

    // ------------------------------------------------------------------------------------------

    @Test
    void bothRolesKnowTheApiKeysAndPrometheusScrapesWithOneTheyAccept() {
        Map<String, Object> hashes = Yamls.map(resource("Secret", "ganserve-api-keys").body(), "stringData");
        for (String deployment : List.of("ganserve-trainer", "ganserve-server")) {
            List<Map<String, Object>> envFrom = Yamls.listOrEmpty(container(deployment), "envFrom");
            assertThat(envFrom).as(deployment).anySatisfy(
                    e -> assertThat(Yamls.get(e, "secretRef", "name")).isEqualTo("ganserve-api-keys"));
        }
        Map<String, Object> endpoint = Yamls.listOrEmpty(resource("ServiceMonitor", "ganserve").body(), "spec",
                "endpoints").get(0);
        assertThat(Yamls.get(endpoint, "authorization", "type")).isEqualTo("ApiKey");
        String secret = (String) Yamls.get(endpoint, "authorization", "credentials", "name");
        String field = (String) Yamls.get(endpoint, "authorization", "credentials", "key");
        Object key = Yamls.map(resource("Secret", secret).body(), "stringData").get(field);
        assertThat(DeploymentManifestsTest.keysFromEnvironment(hashes).find((String) key))
                .as("the ServiceMonitor's key, against the hashes both roles read")
                .isInstanceOfSatisfying(io.ganserve.security.ApiKeyStore.Valid.class,
                        v -> assertThat(v.roles()).contains(io.ganserve.security.Role.METRICS));
    }

    static Map<String, Object> kustomization() {
        return Yamls.single(DIR.resolve("kustomization.yaml"));
    }

    /** Every resource the scale-out kustomization lists. */
    static List<Doc> docs() {
        List<Doc> docs = new ArrayList<>();
        for (String resource : Yamls.strings(kustomization(), "resources")) {
            Path file = DIR.resolve(resource);
            for (Object doc : Yamls.all(file)) {
                docs.add(new Doc(file, Yamls.asMap(doc, file.toString())));
            }
        }
        return docs;
    }

    static Doc resource(String kind, String name) {
        List<Doc> found = docs().stream().filter(d -> kind.equals(d.kind()) && name.equals(d.name())).toList();
        assertThat(found).as(kind + " " + name + " in k8s/scale-out").hasSize(1);
        return found.get(0);
    }

    static Map<String, Object> podSpec(String deployment) {
        return Yamls.map(resource("Deployment", deployment).body(), "spec", "template", "spec");
    }

    static Map<String, Object> podLabels(String deployment) {
        Map<String, Object> body = resource("Deployment", deployment).body();
        Map<String, Object> labels = Yamls.map(body, "spec", "template", "metadata", "labels");
        assertThat(labels).containsAllEntriesOf(Yamls.map(body, "spec", "selector", "matchLabels"));
        return labels;
    }

    static Map<String, Object> postgresPodLabels() {
        return Yamls.map(resource("StatefulSet", "ganserve-postgres").body(), "spec", "template", "metadata", "labels");
    }

    static Map<String, Object> container(String deployment) {
        List<Map<String, Object>> containers = Yamls.listOrEmpty(podSpec(deployment), "containers");
        assertThat(containers).as(deployment).hasSize(1);
        return containers.get(0);
    }

    static Map<String, Map<String, Object>> volumes(String deployment) {
        return DeploymentManifestsTest.byName(Yamls.listOrEmpty(podSpec(deployment), "volumes"));
    }

    static String mountedAt(Map<String, Object> container, String path) {
        return Yamls.listOrEmpty(container, "volumeMounts").stream().filter(m -> path.equals(m.get("mountPath")))
                .map(m -> (String) m.get("name")).findFirst()
                .orElseThrow(() -> new AssertionError("nothing mounted at " + path));
    }

    static String mountPathOf(Map<String, Object> container, String volume) {
        return Yamls.listOrEmpty(container, "volumeMounts").stream().filter(m -> volume.equals(m.get("name")))
                .map(m -> (String) m.get("mountPath")).findFirst()
                .orElseThrow(() -> new AssertionError("volume " + volume + " is not mounted"));
    }

    /** True when every label the selector asks for is on the object. */
    static boolean selects(Map<String, Object> selector, Map<String, Object> labels) {
        return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    /** The key of the generated Secret that holds the password, as the StatefulSet reads it. */
    static String passwordKey() {
        Map<String, Object> db = Yamls.listOrEmpty(resource("StatefulSet", "ganserve-postgres").body(),
                "spec", "template", "spec", "containers").get(0);
        return (String) Yamls.get(Yamls.listOrEmpty(db, "env").stream()
                .filter(e -> "POSTGRES_PASSWORD".equals(e.get("name"))).findFirst().orElseThrow(),
                "valueFrom", "secretKeyRef", "key");
    }

    /**
     * The container's environment as the pod would see it: its ConfigMaps' and Secrets' data, then its own env
     * entries on top. A value taken from elsewhere reads {@code secretKeyRef:name/key} or
     * {@code fieldRef:path}.
     */
    static Map<String, String> effectiveEnv(Map<String, Object> container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Map<String, Object> source : Yamls.listOrEmpty(container, "envFrom")) {
            String configMap = (String) Yamls.get(source, "configMapRef", "name");
            String secret = (String) Yamls.get(source, "secretRef", "name");
            assertThat(configMap != null || secret != null).as("envFrom names a ConfigMap or a Secret").isTrue();
            if (configMap != null) {
                Yamls.map(resource("ConfigMap", configMap).body(), "data").forEach((k, v) -> env.put(k, String.valueOf(v)));
            } else {
                Yamls.map(resource("Secret", secret).body(), "stringData").forEach((k, v) -> env.put(k, String.valueOf(v)));
            }
        }
        for (Map<String, Object> e : Yamls.listOrEmpty(container, "env")) {
            String name = (String) e.get("name");
            if (e.containsKey("value")) {
                assertThat(e.get("value")).as(name + ": env values are strings").isInstanceOf(String.class);
                env.put(name, (String) e.get("value"));
            } else if (Yamls.get(e, "valueFrom", "secretKeyRef") != null) {
                env.put(name, "secretKeyRef:" + Yamls.get(e, "valueFrom", "secretKeyRef", "name") + "/"
                        + Yamls.get(e, "valueFrom", "secretKeyRef", "key"));
            } else {
                env.put(name, "fieldRef:" + Yamls.get(e, "valueFrom", "fieldRef", "fieldPath"));
            }
        }
        return env;
    }
}
