package io.ganserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.ganserve.security.ApiKeyHash;
import io.ganserve.support.TestKeys;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds the image from the repository's Dockerfile (the repository as context, .dockerignore
 * honoured) and uses it as a person would: train a small job, sample from it, scrape metrics.
 * Skipped where no Docker engine is reachable. The build downloads the Maven dependencies and the
 * base images, so the first run takes minutes.
 */
class ContainerImageTest {

    static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);
    static final String JOB = """
            {"dataset":"ring8","steps":200,"batchSize":64,"checkpointEvery":100,"seed":1}""";

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final JsonMapper json = JsonMapper.builder().build();

    // Per test rather than @BeforeAll: Surefire then counts the test as skipped, with this reason,
    // instead of leaving it out of the report.
    @BeforeEach
    void dockerEngine() {
        Assumptions.assumeTrue(DockerClientFactory.instance().isDockerAvailable(),
                "no Docker engine reachable: ContainerImageTest builds the Dockerfile and runs the image, which needs one");
    }

    @Test
    void imageTrainsSamplesAndExportsMetrics() throws Exception {
        ImageFromDockerfile image = new ImageFromDockerfile("ganserve-test:" + UUID.randomUUID(), true)
                .withDockerfile(Repo.path("Dockerfile"))
                // The defaults, spelled out so that Testcontainers can resolve and pre-pull the
                // base images named with them.
                .withBuildArg("JAVA_VERSION", "25")
                .withBuildArg("TORCH_FLAVOR", "cpu");

        try (GenericContainer<?> container = new GenericContainer<>(image)
                .withExposedPorts(8080)
                // as docker-compose.yml and the k8s Secret configure keys: by hash, in the environment
                .withEnv("GANSERVE_SECURITY_APIKEYS_0_NAME", "test")
                .withEnv("GANSERVE_SECURITY_APIKEYS_0_SHA256", ApiKeyHash.hex(TestKeys.ADMIN))
                .withEnv("GANSERVE_SECURITY_APIKEYS_0_ROLES", "WRITE,READ,METRICS")
                .waitingFor(Wait.forHttp("/actuator/health")
                        .forPort(8080)
                        .forStatusCode(200)
                        .withStartupTimeout(Duration.ofMinutes(3)))) {
            container.start();
            String base = "http://" + container.getHost() + ":" + container.getMappedPort(8080);

            assertThat(exec(container, "id", "-u")).isEqualTo("10001");
            assertThat(container.execInContainer("test", "-f", "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")
                    .getExitCode()).as("Debian's Fashion-MNIST in the image").isZero();
            assertThat(container.getContainerInfo().getConfig().getHealthcheck()).as("HEALTHCHECK").isNotNull();

            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(base + "/jobs"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JOB))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).as("POST /jobs without a key").isEqualTo(401);

            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/jobs"))
                    .header("Content-Type", "application/json")
                    .header("X-API-Key", TestKeys.ADMIN)
                    .POST(HttpRequest.BodyPublishers.ofString(JOB))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
            String id = json.readTree(created.body()).get("id").asString();

            JsonNode job = awaitFinished(base, id, container);
            assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");

            HttpResponse<byte[]> samples = http.send(HttpRequest.newBuilder(URI.create(base + "/samples?n=16")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(samples.statusCode()).isEqualTo(200);
            assertThat(samples.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type.toLowerCase(Locale.ROOT)).startsWith("image/png"));
            assertThat(Arrays.copyOf(samples.body(), 8)).as("PNG signature")
                    .containsExactly(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);

            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/prometheus"))
                            .header("Authorization", "ApiKey " + TestKeys.ADMIN).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("gan_training_step");
        }
    }

    private JsonNode awaitFinished(String base, String id, GenericContainer<?> container)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
        JsonNode job = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/jobs/" + id)).build(),
                    HttpResponse.BodyHandlers.ofString());
            job = json.readTree(response.body());
            String status = job.path("status").asString();
            if (status.equals("SUCCEEDED") || status.equals("FAILED") || status.equals("CANCELLED")) {
                return job;
            }
            Thread.sleep(500);
        }
        return fail("job %s not finished within %s: %s%n--- container log ---%n%s", id, JOB_TIMEOUT, job, container.getLogs());
    }

    private static String exec(GenericContainer<?> container, String... command) throws IOException, InterruptedException {
        ExecResult result = container.execInContainer(command);
        assertThat(result.getExitCode()).as(String.join(" ", command) + ": " + result.getStderr()).isZero();
        return result.getStdout().strip();
    }
}
