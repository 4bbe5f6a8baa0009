package io.ganserve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ganserve.support.Databases;
import io.ganserve.support.HttpApi;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The split deployment in one JVM: a trainer (training on, serving off) and a server (training off,
 * serving on) sharing one PostgreSQL database and one registry directory, as the k8s manifests run
 * them. A job posted to the server is trained by the trainer, and the server serves its generator
 * without a restart.
 */
class ScaleOutTest {

    @TempDir
    Path data;

    @Test
    void aServerAcceptsJobsATrainerTrainsThemAndTheServerServesTheResult() {
        Optional<Databases.Database> postgres = Databases.postgres();
        assumeTrue(postgres.isPresent(), Databases.NO_POSTGRES);
        try (Databases.Database db = postgres.get();
             ConfigurableApplicationContext trainer = start(db, "trainer", true, false);
             ConfigurableApplicationContext server = start(db, "server", false, true)) {
            HttpApi toServer = new HttpApi(port(server));
            HttpApi toTrainer = new HttpApi(port(trainer));

            var created = toServer.post("/jobs", "{\"dataset\":\"ring8\",\"steps\":300,\"checkpointEvery\":100,"
                    + "\"batchSize\":64,\"hiddenUnits\":32,\"hiddenLayers\":2,\"latentDim\":4,\"seed\":5,"
                    + "\"evaluateAtEnd\":false}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
            String id = toServer.json(created).get("id").asString();

            JsonNode done = toServer.awaitFinished(id, Duration.ofMinutes(3));
            assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
            assertThat(toTrainer.json(toTrainer.get("/jobs/" + id)).get("status").asString()).isEqualTo("SUCCEEDED");

            JsonNode served = awaitServed(toServer, id);
            assertThat(served.get("step").asLong()).isEqualTo(300);
            assertThat(toServer.getBytes("/samples?n=16").statusCode()).isEqualTo(200);
            assertThat(toTrainer.getBytes("/samples?n=16").statusCode()).as("a trainer serves no samples")
                    .isEqualTo(404);
        }
    }

    /** The server's samples as JSON, once it has noticed the trainer's generator in the shared registry. */
    private static JsonNode awaitServed(HttpApi api, String jobId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            var r = api.get("/samples?n=1&format=json");
            if (r.statusCode() == 200) {
                JsonNode body = api.json(r);
                if (body.path("model").asString("").equals(jobId)) {
                    return body;
                }
            }
            HttpApi.sleep(200);
        }
        throw new AssertionError("the server did not pick up job " + jobId + "'s generator");
    }

    private ConfigurableApplicationContext start(Databases.Database db, String name, boolean training,
                                                 boolean serving) {
        return new SpringApplicationBuilder(GanServeApplication.class).run(
                "--server.port=0",
                "--spring.datasource.url=" + db.url(),
                "--spring.datasource.username=" + db.user(),
                "--spring.datasource.password=" + db.password(),
                "--ganserve.training.data-dir=" + data,
                "--ganserve.training.worker-id=" + name,
                "--ganserve.training.poll-interval=200ms",
                "--ganserve.roles.training=" + training,
                "--ganserve.roles.serving=" + serving,
                "--ganserve.sampling.refresh-interval=300ms",
                "--spring.application.name=ganserve-" + name);
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }
}
