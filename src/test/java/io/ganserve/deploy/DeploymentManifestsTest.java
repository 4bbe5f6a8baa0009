package io.ganserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ganserve.security.ApiKeyStore;
import io.ganserve.security.ConfiguredApiKeys;
import io.ganserve.security.Role;
import io.ganserve.security.SecurityProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.util.unit.DataSize;

/**
 * The deployment files agree with each other and with the application: ports, probe paths,
 * volumes, names and selectors that would otherwise only fail on a cluster or a Docker host.
 * Nothing here needs Docker or Kubernetes; {@link ContainerImageTest} runs the image for real.
 */
class DeploymentManifestsTest {

    static final Path K8S = Repo.path("k8s");
    static final Path BASE = K8S.resolve("base");
    static final Path COMPOSE = Repo.path("docker-compose.yml");
    static final Path DOCKERFILE = Repo.path("Dockerfile");
    static final Map<String, Object> APPLICATION = Yamls.single(Repo.path("src/main/resources/application.yml"));

    record Doc(Path file, Map<String, Object> body) {
        String kind() {
            return (String) body.get("kind");
        }

        String name() {
            return (String) Yamls.get(body, "metadata", "name");
        }
    }

    // ------------------------------------------------------------------------------------------
    // Kubernetes

    @Test
    void everyManifestParses() {
        assertThat(k8sDocs()).hasSizeGreaterThanOrEqualTo(9);
        assertThat(Yamls.all(COMPOSE)).hasSize(1);
        try (Stream<Path> files = Files.walk(Repo.path("deploy"))) {
            List<Path> yamls = files.filter(DeploymentManifestsTest::isYaml).toList();
            assertThat(yamls).hasSizeGreaterThanOrEqualTo(3);
            yamls.forEach(f -> assertThat(Yamls.all(f)).as(f.toString()).isNotEmpty());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void everyKubernetesDocumentNamesItsKindApiVersionAndName() {
        for (Doc doc : k8sDocs()) {
            String where = Repo.ROOT.relativize(doc.file()).toString();
            assertThat(doc.body().get("apiVersion")).as(where + " apiVersion").isInstanceOf(String.class);
            assertThat(doc.kind()).as(where + " kind").isNotBlank();
            if (doc.kind().equals("Kustomization")) {
                assertThat((String) doc.body().get("apiVersion")).startsWith("kustomize.config.k8s.io/");
            } else {
                assertThat(doc.name()).as(where + " metadata.name").isNotBlank();
            }
        }
    }

    @Test
    void containerServiceAndApplicationAgreeOnThePort() {
        int port = serverPort();
        assertThat(port).isEqualTo(8080);

        Map<String, Object> container = container();
        assertThat(containerPort(container, "http")).isEqualTo(port);

        Map<String, Object> service = base("Service", "ganserve").body();
        List<Map<String, Object>> ports = Yamls.listOrEmpty(service, "spec", "ports");
        assertThat(ports).hasSize(1);
        Map<String, Object> servicePort = ports.get(0);
        assertThat(servicePort.get("name")).isEqualTo("http");
        assertThat(servicePort.get("port")).isEqualTo(port);
        Object target = servicePort.get("targetPort");
        int targetPort = target instanceof String name ? containerPort(container, name) : (Integer) target;
        assertThat(targetPort).as("Service targetPort, resolved on the container").isEqualTo(port);
    }

    @Test
    void probesUseTheActuatorHealthGroupsOnAContainerPort() {
        Map<String, Object> container = container();
        Map<String, String> paths = Map.of(
                "startupProbe", "/actuator/health/liveness",
                "livenessProbe", "/actuator/health/liveness",
                "readinessProbe", "/actuator/health/readiness");
        paths.forEach((probe, path) -> {
            Map<String, Object> httpGet = Yamls.map(container, probe, "httpGet");
            assertThat(httpGet.get("path")).as(probe).isEqualTo(path);
            Object port = httpGet.get("port");
            int resolved = port instanceof String name ? containerPort(container, name) : (Integer) port;
            assertThat(resolved).as(probe + " port").isEqualTo(serverPort());
        });
        // A start loads libtorch and opens the registry, 10-20 s on busy cores and more on a slow node:
        // the startup probe must allow minutes, not seconds.
        Map<String, Object> startup = Yamls.map(container, "startupProbe");
        int budget = (Integer) startup.get("periodSeconds") * (Integer) startup.get("failureThreshold");
        assertThat(budget).as("startup probe budget in seconds").isGreaterThanOrEqualTo(120);
    }

    @Test
    void mountsVolumesAndClaimAgree() {
        Map<String, Object> podSpec = podSpec();
        Map<String, Map<String, Object>> volumes = byName(Yamls.listOrEmpty(podSpec, "volumes"));
        List<Map<String, Object>> mounts = Yamls.listOrEmpty(container(), "volumeMounts");
        assertThat(mounts).isNotEmpty();
        for (Map<String, Object> mount : mounts) {
            assertThat(volumes).as("volume of mount " + mount.get("mountPath")).containsKey((String) mount.get("name"));
        }

        Doc pvc = base("PersistentVolumeClaim", null);
        Map<String, Object> data = volumes.get(mountedAt("/data"));
        assertThat(Yamls.get(data, "persistentVolumeClaim", "claimName")).isEqualTo(pvc.name());
        assertThat(pvc.name()).isEqualTo("ganserve-data");
        assertThat(Yamls.strings(pvc.body(), "spec", "accessModes")).containsExactly("ReadWriteOnce");

        Map<String, Object> tmp = volumes.get(mountedAt("/tmp"));
        assertThat(tmp).as("/tmp volume").containsKey("emptyDir");
    }

    @Test
    void runsOneTrainerAndGivesItTimeToCheckpointOnShutdown() {
        Map<String, Object> deployment = base("Deployment", "ganserve").body();
        assertThat(Yamls.get(deployment, "spec", "replicas")).isEqualTo(1);
        assertThat(Yamls.get(deployment, "spec", "strategy", "type")).isEqualTo("Recreate");
        int grace = (Integer) podSpec().get("terminationGracePeriodSeconds");
        assertThat(Duration.ofSeconds(grace)).isGreaterThan(shutdownPhaseTimeout());
        // Service links would put GANSERVE_* variables into the environment, which Spring binds.
        assertThat(podSpec().get("enableServiceLinks")).isEqualTo(false);

        Map<String, Object> resources = Yamls.map(container(), "resources");
        assertThat(Yamls.get(resources, "limits", "memory")).isEqualTo("6Gi");
        assertThat(String.valueOf(Yamls.get(resources, "limits", "cpu"))).isEqualTo("2");
        assertThat(Yamls.get(resources, "requests", "cpu")).isNotNull();
        assertThat(Yamls.get(resources, "requests", "memory")).isNotNull();
    }

    @Test
    void containerIsLockedDownAndStillHasWhereToWrite() {
        Map<String, Object> security = Yamls.map(container(), "securityContext");
        assertThat(security.get("runAsNonRoot")).isEqualTo(true);
        assertThat(security.get("readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(security.get("allowPrivilegeEscalation")).isEqualTo(false);
        assertThat(Yamls.strings(security, "capabilities", "drop")).contains("ALL");
        assertThat(security.get("runAsUser")).isEqualTo(dockerfileUid());
        Map<String, Object> pod = Yamls.map(podSpec(), "securityContext");
        assertThat(pod.get("runAsNonRoot")).isEqualTo(true);
        assertThat(pod.get("fsGroup")).as("volume writable by the image's user").isEqualTo(dockerfileUid());

        // Read-only root: the image's DJL cache holds libtorch unpacked at build time, which DJL only
        // reads; overriding DJL_CACHE_DIR would unpack it again at every start.
        assertThat(env(container())).doesNotContainKey("DJL_CACHE_DIR");
        assertThat(dockerfileEnv()).containsEntry("DJL_CACHE_DIR", "/opt/djl");
    }

    @Test
    void configurationComesFromTheConfigMap() {
        Doc configMap = base("ConfigMap", "ganserve-config");
        List<Map<String, Object>> envFrom = Yamls.listOrEmpty(container(), "envFrom");
        assertThat(envFrom).anySatisfy(e -> assertThat(Yamls.get(e, "configMapRef", "name")).isEqualTo(configMap.name()));
        Map<String, Object> data = Yamls.map(configMap.body(), "data");
        // A ConfigMap holds strings only: an unquoted 2 or true would be refused by the API server.
        data.forEach((key, value) -> assertThat(value).as(key).isInstanceOf(String.class));
        assertThat(data.get("GANSERVE_TRAINING_DATADIR")).isEqualTo("/data");
        assertThat(mountedAt("/data")).isNotNull();
        assertThat(data).containsKeys("GANSERVE_ENGINE_DEVICE", "GANSERVE_ENGINE_INTRAOPTHREADS");
    }

    @Test
    void selectorsConnectServiceMonitorServiceAndPods() {
        Map<String, Object> deployment = base("Deployment", "ganserve").body();
        Map<String, Object> podLabels = Yamls.map(deployment, "spec", "template", "metadata", "labels");
        assertThat(podLabels).containsAllEntriesOf(Yamls.map(deployment, "spec", "selector", "matchLabels"));

        Doc service = base("Service", "ganserve");
        assertThat(podLabels).containsAllEntriesOf(Yamls.map(service.body(), "spec", "selector"));

        Doc monitor = base("ServiceMonitor", "ganserve");
        assertThat((String) monitor.body().get("apiVersion")).isEqualTo("monitoring.coreos.com/v1");
        Map<String, Object> serviceLabels = Yamls.map(service.body(), "metadata", "labels");
        assertThat(serviceLabels).containsAllEntriesOf(Yamls.map(monitor.body(), "spec", "selector", "matchLabels"));
        List<Map<String, Object>> endpoints = Yamls.listOrEmpty(monitor.body(), "spec", "endpoints");
        assertThat(endpoints).hasSize(1);
        Map<String, Object> endpoint = endpoints.get(0);
        assertThat(endpoint.get("port")).isEqualTo(Yamls.listOrEmpty(service.body(), "spec", "ports").get(0).get("name"));
        assertThat(endpoint.get("path")).isEqualTo("/actuator/prometheus");
        assertThat(endpoint.get("interval")).isEqualTo("15s");
        // No label of the service clashes with a target label (metricLabelsClashWithNoTargetLabel):
        // nothing to honour, and target labels such as instance are never overwritten by a series.
        assertThat(endpoint.get("honorLabels")).isNotEqualTo(true);
    }

    /**
     * The labels ganserve puts on its series (the tag keys its metrics code registers, and the
     * common tags of application.yml) are none of the labels Prometheus, the compose scrape config,
     * or the Prometheus Operator set on a target, so no scrape config needs honor_labels and
     * none sets it: a clash would show as exported_&lt;label&gt; instead of overwriting the target's.
     */
    @Test
    void metricLabelsClashWithNoTargetLabel() throws IOException {
        Set<String> exported = new TreeSet<>(Yamls.map(APPLICATION, "management", "metrics", "tags").keySet());
        Pattern call = Pattern.compile("(?:\\.tags?\\(|Tags\\.of\\(|registry\\.(?:counter|gauge|timer|summary)\\()([^;]*)");
        Pattern key = Pattern.compile("\"([a-z_]+)\"\\s*,");
        try (Stream<Path> files = Files.walk(Repo.path("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher calls = call.matcher(Files.readString(f));
                while (calls.find()) {
                    Matcher keys = key.matcher(calls.group(1));
                    while (keys.find()) {
                        exported.add(keys.group(1));
                    }
                }
            }
        }
        assertThat(exported).as("the scan finds the labels docs/operations.md lists")
                .contains("application", "job_id", "dataset", "loss", "metric", "status", "route", "outcome");

        Set<String> targetLabels = new TreeSet<>(Set.of("job", "instance", // Prometheus
                "namespace", "service", "pod", "container", "endpoint")); // the Prometheus Operator
        Map<String, Object> prometheus = Yamls.single(Repo.path("deploy/prometheus/prometheus.yml"));
        for (Map<String, Object> scrape : Yamls.list(prometheus, "scrape_configs")) {
            assertThat(scrape.get("honor_labels")).as(scrape.get("job_name") + " honor_labels").isNotEqualTo(true);
            for (Map<String, Object> statics : Yamls.listOrEmpty(scrape, "static_configs")) {
                Object labels = statics.get("labels");
                if (labels != null) {
                    targetLabels.addAll(Yamls.asMap(labels, "static labels").keySet());
                }
            }
        }
        for (Doc monitor : k8sDocs().stream().filter(d -> "ServiceMonitor".equals(d.kind())).toList()) {
            for (Map<String, Object> endpoint : Yamls.listOrEmpty(monitor.body(), "spec", "endpoints")) {
                assertThat(endpoint.get("honorLabels")).as(monitor.file() + " honorLabels").isNotEqualTo(true);
                Yamls.listOrEmpty(endpoint, "relabelings").forEach(r -> targetLabels.add((String) r.get("targetLabel")));
            }
        }
        assertThat(targetLabels).contains("service", "role");
        assertThat(exported).as("labels of ganserve's series that a target label would clash with")
                .doesNotContainAnyElementsOf(targetLabels);
    }

    /**
     * Every Ingress names ingress-nginx's class, serves its hosts over TLS from a named Secret, and
     * lets through a request body as large as the service accepts for a dataset upload
     * (ganserve.datasets.upload.max-upload-bytes; ingress-nginx's default is 1m).
     */
    @Test
    void ingressUsesNginxWithTlsAndLetsUploadsThrough() {
        List<Doc> ingresses = k8sDocs().stream().filter(d -> "Ingress".equals(d.kind())).toList();
        assertThat(ingresses).isNotEmpty();
        long uploadLimit = maxUploadBytes();
        assertThat(uploadLimit).as("upload limit from application.yml").isGreaterThan(1L << 20);
        for (Doc ingress : ingresses) {
            String where = Repo.ROOT.relativize(ingress.file()).toString();
            Map<String, Object> spec = Yamls.map(ingress.body(), "spec");
            assertThat(spec.get("ingressClassName")).as(where).isEqualTo("nginx");

            Object bodySize = Yamls.get(ingress.body(), "metadata", "annotations", "nginx.ingress.kubernetes.io/proxy-body-size");
            assertThat(bodySize).as(where + " proxy-body-size (a string)").isInstanceOf(String.class);
            assertThat(nginxSize((String) bodySize)).as(where + " proxy-body-size in bytes").isGreaterThanOrEqualTo(uploadLimit);

            List<String> hosts = Yamls.listOrEmpty(spec, "rules").stream().map(r -> (String) r.get("host")).toList();
            assertThat(hosts).as(where + " rule hosts").isNotEmpty().doesNotContainNull();
            List<Map<String, Object>> tls = Yamls.listOrEmpty(spec, "tls");
            assertThat(tls).as(where + " tls").isNotEmpty();
            tls.forEach(t -> assertThat((String) t.get("secretName")).as(where + " tls secretName").isNotBlank());
            assertThat(tls.stream().flatMap(t -> Yamls.strings(t, "hosts").stream()).toList())
                    .as(where + ": every rule's host has a certificate").containsAll(hosts);
        }
        assertThat(nginxSize("64m")).isEqualTo(64L << 20);
        assertThat(nginxSize("1048576")).isEqualTo(1L << 20);
        assertThat(nginxSize("1g")).isEqualTo(1L << 30);
    }

    /** The service's upload limit: application.yml's value, or a ConfigMap's override of it. */
    static long maxUploadBytes() {
        String value = String.valueOf(Yamls.get(APPLICATION, "ganserve", "datasets", "upload", "max-upload-bytes"));
        for (Doc doc : k8sDocs()) {
            if ("ConfigMap".equals(doc.kind())) {
                Object override = Yamls.get(doc.body(), "data", "GANSERVE_DATASETS_UPLOAD_MAXUPLOADBYTES");
                assertThat(override).as(doc.file() + " overrides the upload limit: compare the Ingress with it").isNull();
            }
        }
        return DataSize.parse(value).toBytes();
    }

    /** nginx's size syntax (client_max_body_size): bytes, or k/m/g for powers of 1024. */
    static long nginxSize(String size) {
        Matcher m = Pattern.compile("(\\d+)([kKmMgG]?)").matcher(size.strip());
        assertThat(m.matches()).as("nginx size " + size).isTrue();
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2).toLowerCase()) {
            case "k" -> n << 10;
            case "m" -> n << 20;
            case "g" -> n << 30;
            default -> n;
        };
    }

    /**
     * /actuator/prometheus answers 401 without a METRICS key, and annotation-driven scrape configs
     * send none: no pod invites such a scraper. The ServiceMonitors scrape with the key.
     */
    @Test
    void noPodIsAnnotatedForAScraperWithoutTheKey() {
        List<Doc> workloads = k8sDocs().stream()
                .filter(d -> List.of("Deployment", "StatefulSet").contains(d.kind())).toList();
        assertThat(workloads).hasSizeGreaterThanOrEqualTo(4);
        for (Doc workload : workloads) {
            for (String where : List.of("metadata", "spec.template.metadata")) {
                Object annotations = Yamls.get(workload.body(), (where + ".annotations").split("\\."));
                if (annotations != null) {
                    assertThat(Yamls.asMap(annotations, where).keySet())
                            .as(Repo.ROOT.relativize(workload.file()) + " " + where + ".annotations")
                            .noneMatch(k -> k.startsWith("prometheus.io/"));
                }
            }
        }
    }

    @Test
    void serviceMonitorScrapesWithAKeyThePodAccepts() {
        List<Map<String, Object>> envFrom = Yamls.listOrEmpty(container(), "envFrom");
        String keysSecret = envFrom.stream().map(e -> (String) Yamls.get(e, "secretRef", "name"))
                .filter(Objects::nonNull).findFirst()
                .orElseThrow(() -> new AssertionError("no Secret in the container's envFrom"));
        Map<String, Object> hashes = Yamls.map(base("Secret", keysSecret).body(), "stringData");
        hashes.forEach((key, value) -> assertThat(value).as(key).isInstanceOf(String.class));

        Map<String, Object> endpoint = Yamls.listOrEmpty(base("ServiceMonitor", "ganserve").body(), "spec", "endpoints").get(0);
        assertThat(Yamls.get(endpoint, "authorization", "type")).isEqualTo("ApiKey");
        String secret = (String) Yamls.get(endpoint, "authorization", "credentials", "name");
        String field = (String) Yamls.get(endpoint, "authorization", "credentials", "key");
        Object key = Yamls.map(base("Secret", secret).body(), "stringData").get(field);
        assertThat(key).as(secret + " " + field).isInstanceOf(String.class);

        assertThat(keysFromEnvironment(hashes).find((String) key))
                .as("the ServiceMonitor's key, against the hashes the pod reads")
                .isInstanceOfSatisfying(ApiKeyStore.Valid.class, v -> assertThat(v.roles()).contains(Role.METRICS));
    }

    @Test
    void kustomizationsReferenceFilesThatExist() {
        List<Path> kustomizations = yamlFiles(K8S).stream()
                .filter(f -> f.getFileName().toString().equals("kustomization.yaml")).toList();
        assertThat(kustomizations).extracting(f -> Repo.ROOT.relativize(f).toString())
                .containsExactlyInAnyOrder("k8s/base/kustomization.yaml",
                        "k8s/overlays/cpu/kustomization.yaml", "k8s/overlays/gpu/kustomization.yaml",
                        "k8s/scale-out/kustomization.yaml");
        for (Path file : kustomizations) {
            Map<String, Object> k = Yamls.single(file);
            Path dir = file.getParent();
            for (Object resource : (List<?>) k.get("resources")) {
                Path target = dir.resolve((String) resource).normalize();
                assertThat(Files.isRegularFile(target) || Files.isRegularFile(target.resolve("kustomization.yaml")))
                        .as(file + " resource " + resource).isTrue();
            }
            for (Map<String, Object> patch : Yamls.listOrEmpty(k, "patches")) {
                if (patch.containsKey("path")) {
                    assertThat(dir.resolve((String) patch.get("path"))).as(file + " patch").isRegularFile();
                } else {
                    assertThat(patch).as(file + " inline patch").containsKeys("patch", "target");
                }
            }
        }
        // Nothing in base is left out of its kustomization by accident.
        List<String> baseResources = Yamls.strings(Yamls.single(BASE.resolve("kustomization.yaml")), "resources");
        for (Path f : yamlFiles(BASE)) {
            if (!f.getFileName().toString().equals("kustomization.yaml")) {
                assertThat(baseResources).as("listed in base/kustomization.yaml").contains(f.getFileName().toString());
            }
        }
    }

    @Test
    void gpuOverlayAsksForAGpuOnAGpuNode() {
        Path dir = K8S.resolve("overlays/gpu");
        Map<String, Object> k = Yamls.single(dir.resolve("kustomization.yaml"));
        assertThat(Yamls.listOrEmpty(k, "images"))
                .anySatisfy(i -> assertThat((String) i.get("newTag")).endsWith("-cuda"));

        Map<String, Object> patch = null;
        for (Map<String, Object> p : Yamls.listOrEmpty(k, "patches")) {
            if (p.containsKey("path")) {
                Map<String, Object> body = Yamls.single(dir.resolve((String) p.get("path")));
                if ("Deployment".equals(body.get("kind"))) {
                    patch = body;
                }
            }
        }
        assertThat(patch).as("a Deployment patch in the gpu overlay").isNotNull();
        // Strategic merge finds what it patches by name.
        assertThat(Yamls.get(patch, "metadata", "name")).isEqualTo(base("Deployment", "ganserve").name());
        Map<String, Object> pod = Yamls.map(patch, "spec", "template", "spec");
        List<Map<String, Object>> containers = Yamls.listOrEmpty(pod, "containers");
        assertThat(containers).hasSize(1);
        Map<String, Object> gpuContainer = containers.get(0);
        assertThat(gpuContainer.get("name")).isEqualTo(container().get("name"));
        assertThat(String.valueOf(Yamls.get(gpuContainer, "resources", "limits", "nvidia.com/gpu"))).isEqualTo("1");
        assertThat(env(gpuContainer)).containsEntry("GANSERVE_ENGINE_DEVICE", "gpu");
        assertThat(pod.get("nodeSelector") != null || pod.get("tolerations") != null)
                .as("nodeSelector or tolerations for GPU nodes").isTrue();
        assertThat(Yamls.listOrEmpty(pod, "tolerations"))
                .anySatisfy(t -> assertThat(t.get("key")).isEqualTo("nvidia.com/gpu"));
    }

    // ------------------------------------------------------------------------------------------
    // docker compose

    @Test
    void composeRunsTheServiceBesidePrometheusAndGrafana() {
        Map<String, Object> services = Yamls.map(compose(), "services");
        assertThat(services).containsKeys("ganserve", "postgres", "prometheus", "grafana", "ganserve-gpu");

        Map<String, Object> ganserve = Yamls.map(services, "ganserve");
        assertThat(Yamls.get(ganserve, "build", "context")).isEqualTo(".");
        assertThat(containerPorts(ganserve)).containsExactly(serverPort());
        assertThat(String.valueOf(Yamls.get(ganserve, "healthcheck", "test"))).contains("/actuator/health");
        String dataDir = (String) Yamls.get(ganserve, "environment", "GANSERVE_TRAINING_DATADIR");
        assertThat(volumeMounts(ganserve)).containsEntry(dataDir, "ganserve-data");
        assertThat(duration((String) ganserve.get("stop_grace_period"))).isGreaterThan(shutdownPhaseTimeout());
    }

    @Test
    void composeDeclaresItsNamedVolumesAndItsBindMountsExist() {
        Map<String, Object> compose = compose();
        Map<String, Object> declared = Yamls.map(compose, "volumes");
        for (Map.Entry<String, Object> service : Yamls.map(compose, "services").entrySet()) {
            for (Map.Entry<String, String> mount : volumeMounts(Yamls.asMap(service.getValue(), service.getKey())).entrySet()) {
                String source = mount.getValue();
                String where = service.getKey() + " " + mount.getKey();
                if (source.startsWith("${")) {
                    // a path the user supplies (the CUDA libtorch): nothing to check here
                    assertThat(source).as(where).contains(":-./");
                } else if (source.startsWith(".") || source.startsWith("/")) {
                    assertThat(COMPOSE.getParent().resolve(source).normalize()).as(where).exists();
                } else {
                    assertThat(declared).as(where + " named volume").containsKey(source);
                }
            }
        }
        assertThat(declared).containsKeys("ganserve-data", "postgres-data", "prometheus-data", "grafana-data");
    }

    @Test
    void gpuProfileBuildsTheCudaFlavourAndReservesAGpu() {
        Map<String, Object> services = Yamls.map(compose(), "services");
        Map<String, Object> gpu = Yamls.map(services, "ganserve-gpu");
        assertThat(Yamls.strings(gpu, "profiles")).containsExactly("gpu");
        assertThat(Yamls.get(gpu, "build", "args", "TORCH_FLAVOR")).isEqualTo("cuda");
        assertThat(Yamls.get(gpu, "environment", "GANSERVE_ENGINE_DEVICE")).isEqualTo("gpu");
        List<Map<String, Object>> devices = Yamls.listOrEmpty(gpu, "deploy", "resources", "reservations", "devices");
        assertThat(devices).hasSize(1);
        assertThat(devices.get(0)).containsEntry("driver", "nvidia").containsEntry("count", 1);
        assertThat(Yamls.strings(devices.get(0), "capabilities")).contains("gpu");
        // A trainer beside the CPU service: its own host port, but the same registry volume (and
        // database), so the CPU service serves what the GPU trains.
        Map<String, Object> cpu = Yamls.map(services, "ganserve");
        assertThat(hostPorts(gpu)).doesNotContainAnyElementsOf(hostPorts(cpu));
        assertThat(volumeMounts(gpu).get("/data")).isEqualTo(volumeMounts(cpu).get("/data")).isEqualTo("ganserve-data");
        assertThat(Yamls.map(gpu, "environment")).containsEntry("GANSERVE_ROLES_TRAINING", "true")
                .containsEntry("GANSERVE_ROLES_SERVING", "false").containsKey("GANSERVE_TRAINING_WORKERID");
        assertThat(Yamls.get(cpu, "environment", "GANSERVE_ROLES_SERVING")).isEqualTo("true");
    }

    @Test
    void composeAppsUsePostgresOnceItIsHealthy() {
        Map<String, Object> services = Yamls.map(compose(), "services");
        Map<String, Object> postgres = Yamls.map(services, "postgres");
        Map<String, Object> dbEnv = Yamls.map(postgres, "environment");
        assertThat((String) postgres.get("image")).startsWith("postgres:");
        assertThat(Yamls.strings(postgres, "healthcheck", "test")).contains("pg_isready");
        assertThat(volumeMounts(postgres)).containsEntry("/var/lib/postgresql/data", "postgres-data");
        // Reachable by the apps over the compose network only.
        assertThat(postgres).doesNotContainKey("ports");

        for (String app : List.of("ganserve", "ganserve-gpu")) {
            Map<String, Object> service = Yamls.map(services, app);
            assertThat(Yamls.get(service, "depends_on", "postgres", "condition")).as(app).isEqualTo("service_healthy");
            Map<String, Object> env = Yamls.map(service, "environment");
            String url = (String) env.get("SPRING_DATASOURCE_URL");
            assertThat(url).as(app).isEqualTo("jdbc:postgresql://postgres:5432/" + dbEnv.get("POSTGRES_DB"));
            assertThat(env.get("SPRING_DATASOURCE_USERNAME")).as(app).isEqualTo(dbEnv.get("POSTGRES_USER"));
            assertThat(env.get("SPRING_DATASOURCE_PASSWORD")).as(app).isEqualTo(dbEnv.get("POSTGRES_PASSWORD"));
        }
        // Prometheus and Grafana stay as they were.
        assertThat(Yamls.strings(Yamls.map(services, "prometheus"), "depends_on")).contains("ganserve");
    }

    @Test
    void prometheusScrapesTheServiceWhereItListens() {
        Map<String, Object> services = Yamls.map(compose(), "services");
        Map<String, Object> prometheus = Yamls.map(services, "prometheus");
        String configInContainer = "/etc/prometheus/prometheus.yml";
        assertThat(Yamls.strings(prometheus, "command")).contains("--config.file=" + configInContainer);
        Path config = hostPath(prometheus, configInContainer);
        assertThat(config).isEqualTo(Repo.path("deploy/prometheus/prometheus.yml")).isRegularFile();

        Map<String, Object> scrape = scrapeConfigFor(Yamls.single(config), "ganserve");
        assertThat(scrape.get("metrics_path")).isEqualTo("/actuator/prometheus");
        assertThat(scrape.get("scrape_interval")).isEqualTo("5s");
        assertThat(scrape.get("honor_labels")).isNotEqualTo(true);
        String target = (String) ((List<?>) Yamls.listOrEmpty(scrape, "static_configs").get(0).get("targets")).get(0);
        assertThat(target).isEqualTo("ganserve:" + serverPort());
        assertThat(Yamls.map(compose(), "services")).containsKey(target.substring(0, target.indexOf(':')));
    }

    @Test
    void prometheusScrapesWithAKeyBothServicesAccept() {
        Map<String, Object> compose = compose();
        Map<String, Object> services = Yamls.map(compose, "services");
        Map<String, Object> prometheusService = Yamls.map(services, "prometheus");
        Map<String, Object> prometheus = Yamls.single(hostPath(prometheusService, "/etc/prometheus/prometheus.yml"));

        for (String service : List.of("ganserve", "ganserve-gpu")) {
            Map<String, Object> scrape = scrapeConfigFor(prometheus, service);
            assertThat(Yamls.get(scrape, "authorization", "type")).as(service).isEqualTo("ApiKey");
            String file = (String) Yamls.get(scrape, "authorization", "credentials_file");
            // Compose mounts a service's secrets at /run/secrets/<name>.
            assertThat(file).as(service + " credentials_file").startsWith("/run/secrets/");
            String secret = file.substring("/run/secrets/".length());
            assertThat(Yamls.strings(prometheusService, "secrets")).contains(secret);
            Path keyFile = COMPOSE.getParent().resolve((String) Yamls.get(compose, "secrets", secret, "file")).normalize();
            assertThat(keyFile).isRegularFile();
            String key;
            try {
                key = Files.readString(keyFile).strip(); // Prometheus trims the file too
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }

            Map<String, Object> environment = Yamls.map(services, service, "environment");
            assertThat(keysFromEnvironment(environment).find(key))
                    .as("Prometheus's key against " + service + "'s environment")
                    .isInstanceOfSatisfying(ApiKeyStore.Valid.class, v -> assertThat(v.roles()).contains(Role.METRICS));
        }
        // The key stays out of the image: the build context leaves deploy/ out.
        assertThat(Yamls.get(compose, "secrets", "ganserve-api-key", "file")).asString().startsWith("./deploy/");
    }

    @Test
    void grafanaProvisioningFindsTheDatasourceAndTheDashboard() {
        Map<String, Object> services = Yamls.map(compose(), "services");
        Map<String, Object> grafana = Yamls.map(services, "grafana");

        Path provisioning = hostPath(grafana, "/etc/grafana/provisioning");
        Path datasources = provisioning.resolve("datasources/prometheus.yml");
        Path providers = provisioning.resolve("dashboards/ganserve.yml");
        assertThat(datasources).isEqualTo(Repo.path("deploy/grafana/provisioning/datasources/prometheus.yml")).isRegularFile();
        assertThat(providers).isEqualTo(Repo.path("deploy/grafana/provisioning/dashboards/ganserve.yml")).isRegularFile();

        Map<String, Object> source = Yamls.list(Yamls.single(datasources), "datasources").get(0);
        assertThat(source).containsEntry("type", "prometheus").containsEntry("uid", "prometheus");
        assertThat(source.get("url")).isEqualTo("http://prometheus:9090");
        assertThat(containerPortsOf(Yamls.map(services, "prometheus"))).contains(9090);

        Map<String, Object> provider = Yamls.list(Yamls.single(providers), "providers").get(0);
        Path dashboards = hostPath(grafana, (String) Yamls.get(provider, "options", "path"));
        assertThat(dashboards.resolve("ganserve.json")).isEqualTo(DashboardTest.DASHBOARD).isRegularFile();

        String home = (String) Yamls.get(grafana, "environment", "GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
        assertThat(hostPath(grafana, home)).isEqualTo(DashboardTest.DASHBOARD);
    }

    // ------------------------------------------------------------------------------------------
    // Dockerfile

    @Test
    void dockerfileRunsAsAnUnprivilegedUserWithHealthCheckAndDataVolume() {
        List<String[]> instructions = dockerfile();
        assertThat(args(instructions, "EXPOSE")).anySatisfy(a -> assertThat(a.split("\\s+")).contains(String.valueOf(serverPort())));
        List<String> users = args(instructions, "USER");
        assertThat(users).isNotEmpty();
        String user = users.get(users.size() - 1).split(":")[0];
        assertThat(user).isNotIn("root", "0");
        assertThat(dockerfileUid()).isEqualTo(10001);
        assertThat(args(instructions, "HEALTHCHECK")).singleElement().asString()
                .contains("CMD").contains("/actuator/health");
        assertThat(args(instructions, "VOLUME")).anySatisfy(v -> assertThat(v.replaceAll("[\\[\\]\" ]", "")).isEqualTo("/data"));
        assertThat(args(instructions, "ENTRYPOINT")).singleElement().asString()
                .contains("--enable-native-access=ALL-UNNAMED").contains("-Dai.djl.offline=true").contains("-jar");

        Map<String, String> env = dockerfileEnv();
        assertThat(env).containsEntry("GANSERVE_TRAINING_DATADIR", "/data").containsKey("DJL_CACHE_DIR");
        assertThat(env.get("JAVA_TOOL_OPTIONS")).contains("-XX:MaxRAMPercentage=");
    }

    @Test
    void dockerfileBuildsInStagesAndPicksTheTorchFlavour() {
        List<String[]> instructions = dockerfile();
        assertThat(args(instructions, "ARG")).contains("TORCH_FLAVOR=cpu");
        List<String> froms = args(instructions, "FROM");
        assertThat(froms.get(0)).startsWith("eclipse-temurin:").endsWith("-jdk AS build");
        assertThat(froms).contains("runtime AS runtime-cpu", "runtime AS runtime-cuda");
        assertThat(froms.get(froms.size() - 1)).isEqualTo("runtime-${TORCH_FLAVOR}");

        // The dependency layer: wrapper and pom before the sources, go-offline between them.
        List<String> build = new ArrayList<>();
        for (String[] i : instructions) {
            if (i[0].equals("FROM") && !build.isEmpty()) {
                break;
            }
            if (i[0].equals("FROM") || !build.isEmpty()) {
                build.add(i[0] + " " + i[1]);
            }
        }
        assertThat(build.get(0)).endsWith("AS build");
        int pom = indexOf(build, "COPY mvnw pom.xml");
        int offline = indexOf(build, "dependency:go-offline");
        int src = indexOf(build, "COPY src");
        int pkg = indexOf(build, "-DskipTests package");
        assertThat(pom).isNotNegative().isLessThan(offline);
        assertThat(offline).isLessThan(src);
        assertThat(src).isLessThan(pkg);

        // Testcontainers builds through the Docker API's classic builder, which refuses these.
        for (String[] i : instructions) {
            String line = i[0] + " " + i[1];
            assertThat(line).as("classic-builder syntax").doesNotContain("--mount", "--chmod", "--link", "<<");
        }
    }

    @Test
    void dockerignoreKeepsBuildOutputsAndDataOutButNotTheBuildInputs() throws IOException {
        List<String> patterns = Files.readAllLines(Repo.path(".dockerignore")).stream()
                .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(patterns).contains("target", "data", ".git", "deploy");
        for (String input : List.of("Dockerfile", "mvnw", ".mvn", "pom.xml", "src", "scripts")) {
            assertThat(patterns).as(input + " must reach the build")
                    .noneMatch(p -> p.equals(input) || p.equals(input + "/") || p.equals("*") || p.equals("**"));
        }
        // docker-java (Testcontainers) reads comment lines as patterns too: keep them harmless.
        Files.readAllLines(Repo.path(".dockerignore")).stream().filter(l -> l.startsWith("#"))
                .forEach(l -> assertThat(l).doesNotContain("[", "]", "\\", ".."));
    }

    // ------------------------------------------------------------------------------------------

    /**
     * The API keys the service would accept with these environment variables, bound as Spring
     * binds the real environment (GANSERVE_SECURITY_APIKEYS_0_SHA256 to ganserve.security.api-keys[0].sha256).
     */
    static ApiKeyStore keysFromEnvironment(Map<String, Object> environment) {
        Map<String, Object> env = new LinkedHashMap<>();
        environment.forEach((k, v) -> env.put(k, String.valueOf(v)));
        SystemEnvironmentPropertySource source = new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, env);
        SecurityProperties properties = new Binder(ConfigurationPropertySources.from(source))
                .bindOrCreate("ganserve.security", SecurityProperties.class);
        assertThat(properties.apiKeys()).as("ganserve.security.api-keys bound from " + env.keySet()).isNotEmpty();
        return ConfiguredApiKeys.from(properties, new SecureRandom());
    }

    static int serverPort() {
        return (Integer) Yamls.get(APPLICATION, "server", "port");
    }

    static Duration shutdownPhaseTimeout() {
        return duration((String) Yamls.get(APPLICATION, "spring", "lifecycle", "timeout-per-shutdown-phase"));
    }

    static Duration duration(String text) {
        Matcher m = Pattern.compile("(\\d+)(ms|s|m)").matcher(Objects.requireNonNull(text));
        assertThat(m.matches()).as("duration " + text).isTrue();
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
    }

    static boolean isYaml(Path f) {
        String name = f.getFileName().toString();
        return Files.isRegularFile(f) && (name.endsWith(".yaml") || name.endsWith(".yml"));
    }

    static List<Path> yamlFiles(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(DeploymentManifestsTest::isYaml).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Doc> k8sDocs() {
        List<Doc> docs = new ArrayList<>();
        for (Path file : yamlFiles(K8S)) {
            for (Object doc : Yamls.all(file)) {
                docs.add(new Doc(file, Yamls.asMap(doc, file.toString())));
            }
        }
        return docs;
    }

    /** The base's resource of that kind (and name, when given), from the files its kustomization lists. */
    static Doc base(String kind, String name) {
        List<Doc> found = new ArrayList<>();
        for (Object resource : (List<?>) Yamls.single(BASE.resolve("kustomization.yaml")).get("resources")) {
            Path file = BASE.resolve((String) resource);
            for (Object doc : Yamls.all(file)) {
                Doc d = new Doc(file, Yamls.asMap(doc, file.toString()));
                if (kind.equals(d.kind()) && (name == null || name.equals(d.name()))) {
                    found.add(d);
                }
            }
        }
        assertThat(found).as(kind + " " + name + " in k8s/base").hasSize(1);
        return found.get(0);
    }

    static Map<String, Object> podSpec() {
        return Yamls.map(base("Deployment", "ganserve").body(), "spec", "template", "spec");
    }

    static Map<String, Object> container() {
        List<Map<String, Object>> containers = Yamls.listOrEmpty(podSpec(), "containers");
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    static int containerPort(Map<String, Object> container, String name) {
        return Yamls.listOrEmpty(container, "ports").stream()
                .filter(p -> name.equals(p.get("name")))
                .map(p -> (Integer) p.get("containerPort"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + name));
    }

    /** The name of the pod volume mounted at that path. */
    static String mountedAt(String path) {
        return Yamls.listOrEmpty(container(), "volumeMounts").stream()
                .filter(m -> path.equals(m.get("mountPath")))
                .map(m -> (String) m.get("name"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("nothing mounted at " + path));
    }

    static Map<String, String> env(Map<String, Object> container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Map<String, Object> e : Yamls.listOrEmpty(container, "env")) {
            env.put((String) e.get("name"), (String) e.get("value"));
        }
        return env;
    }

    static Map<String, Map<String, Object>> byName(List<Map<String, Object>> items) {
        Map<String, Map<String, Object>> named = new LinkedHashMap<>();
        items.forEach(i -> named.put((String) i.get("name"), i));
        return named;
    }

    static Map<String, Object> compose() {
        return Yamls.single(COMPOSE);
    }

    /** Short port syntax: [host_ip:]host:container[/proto]. Returns the container ports. */
    static List<Integer> containerPorts(Map<String, Object> service) {
        return containerPortsOf(service);
    }

    static List<Integer> containerPortsOf(Map<String, Object> service) {
        List<Integer> ports = new ArrayList<>();
        for (Object p : (List<?>) service.getOrDefault("ports", List.of())) {
            String[] parts = String.valueOf(p).replaceAll("/(tcp|udp)$", "").split(":");
            ports.add(Integer.parseInt(parts[parts.length - 1]));
        }
        return ports;
    }

    static List<String> hostPorts(Map<String, Object> service) {
        List<String> ports = new ArrayList<>();
        for (Object p : (List<?>) service.getOrDefault("ports", List.of())) {
            String[] parts = String.valueOf(p).split(":");
            ports.add(parts[parts.length - 2]);
        }
        return ports;
    }

    /**
     * Short volume syntax, source:target[:mode], as target to source. A source may be a variable
     * with a default, ${NAME:-./path}, whose own colon is not a separator.
     */
    static Map<String, String> volumeMounts(Map<String, Object> service) {
        Map<String, String> mounts = new LinkedHashMap<>();
        for (Object v : (List<?>) service.getOrDefault("volumes", List.of())) {
            String spec = (String) v;
            int sourceEnd = spec.startsWith("${") ? spec.indexOf('}') + 1 : spec.indexOf(':');
            String source = spec.substring(0, sourceEnd);
            String[] rest = spec.substring(sourceEnd + 1).split(":");
            mounts.put(rest[0], source);
        }
        return mounts;
    }

    /** Where a path inside a compose service's container comes from on the host (bind mounts only). */
    static Path hostPath(Map<String, Object> service, String containerPath) {
        String best = null;
        for (String target : volumeMounts(service).keySet()) {
            if ((containerPath.equals(target) || containerPath.startsWith(target + "/"))
                    && (best == null || target.length() > best.length())) {
                best = target;
            }
        }
        assertThat(best).as("a bind mount covering " + containerPath).isNotNull();
        String source = volumeMounts(service).get(best);
        assertThat(source).as("bind mount source of " + best).startsWith("./");
        return COMPOSE.getParent().resolve(source).resolve(containerPath.substring(best.length()).replaceFirst("^/", ""))
                .normalize();
    }

    static Map<String, Object> scrapeConfigFor(Map<String, Object> prometheus, String jobName) {
        return Yamls.list(prometheus, "scrape_configs").stream()
                .filter(s -> jobName.equals(s.get("job_name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no scrape job " + jobName));
    }

    /** Instructions as {KEYWORD, arguments}, comments dropped and continuation lines joined. */
    static List<String[]> dockerfile() {
        List<String> lines;
        try {
            lines = Files.readAllLines(DOCKERFILE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String[]> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            String text = current.toString().strip();
            current.setLength(0);
            if (text.isEmpty()) {
                continue;
            }
            int space = text.indexOf(' ');
            instructions.add(new String[] {text.substring(0, space).toUpperCase(), text.substring(space + 1).strip()});
        }
        return instructions;
    }

    static List<String> args(List<String[]> instructions, String keyword) {
        return instructions.stream().filter(i -> i[0].equals(keyword)).map(i -> i[1].replaceAll("\\s+", " ")).toList();
    }

    /** The ENV of the runtime stage (the CPU image's; the CUDA stage's own come after it and are left out). */
    static Map<String, String> dockerfileEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        Pattern assignment = Pattern.compile("(\\w+)=(\"[^\"]*\"|\\S+)");
        boolean runtime = false;
        for (String[] i : dockerfile()) {
            if (i[0].equals("FROM")) {
                runtime = i[1].endsWith("AS runtime");
            } else if (runtime && i[0].equals("ENV")) {
                Matcher m = assignment.matcher(i[1]);
                while (m.find()) {
                    env.put(m.group(1), m.group(2).replace("\"", ""));
                }
            }
        }
        return env;
    }

    static int dockerfileUid() {
        List<String> users = args(dockerfile(), "USER");
        return Integer.parseInt(users.get(users.size() - 1).split(":")[0]);
    }

    private static int indexOf(List<String> lines, String fragment) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(fragment)) {
                return i;
            }
        }
        return -1;
    }
}
