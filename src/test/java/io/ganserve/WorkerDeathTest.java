package io.ganserve;

import static org.assertj.core.api.Assertions.assertThat;

import io.ganserve.support.ServiceProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The real process, killed with SIGKILL while it trains one job, again and again: as the kernel's
 * OOM killer would kill a worker that takes up a job too large for it. After
 * {@code ganserve.training.max-attempts} deaths in a row (three by default, killed here three times)
 * the job fails, saying why, instead of killing every restart of the worker.
 */
class WorkerDeathTest {

    /** ganserve.training.max-attempts as shipped (application.yml): the test sets nothing, so it checks the default. */
    private static final int MAX_ATTEMPTS = 3;

    @TempDir
    Path data;

    @TempDir
    Path logs;

    @Test
    void aJobWhoseWorkerKeepsDyingFailsAfterMaxAttemptsAndIsNotClaimedAgain() throws Exception {
        try (ServiceProcess service = new ServiceProcess(data, logs, List.of())) {
            service.start("first");
            var created = service.api().post("/jobs", "{\"dataset\":\"ring8\",\"steps\":1000000,"
                    + "\"checkpointEvery\":100,\"evaluateAtEnd\":false,\"seed\":3,"
                    + "\"batchSize\":64,\"hiddenUnits\":32,\"hiddenLayers\":2,\"latentDim\":4}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
            String jobId = service.api().json(created).get("id").asString();

            for (int death = 1; death <= MAX_ATTEMPTS; death++) {
                // Right after a restart the stored row still says RUNNING with the dead worker's step;
                // only a claim by the new process raises the attempt count.
                int claim = death;
                JsonNode training = service.awaitJob(jobId, j -> j.get("status").asString().equals("RUNNING")
                        && j.get("attempts").asInt() >= claim
                        && j.get("progress").get("step").asLong() > 0, Duration.ofMinutes(3));
                assertThat(training.get("attempts").asInt()).as("claims so far").isEqualTo(death);
                service.kill();
                service.start("after-death-" + death);
            }

            JsonNode failed = service.awaitJob(jobId, j -> j.get("status").asString().equals("FAILED"),
                    Duration.ofMinutes(3));
            assertThat(failed.get("error").asString())
                    .startsWith("the worker training this job died " + MAX_ATTEMPTS + " times in a row (last at step ")
                    .contains("not retried");
            assertThat(failed.get("attempts").asInt()).as("the last claim only failed it").isEqualTo(MAX_ATTEMPTS + 1);

            service.stop();
            service.start("after-failure");
            JsonNode afterRestart = service.awaitJob(jobId, j -> true, Duration.ofMinutes(1));
            assertThat(afterRestart.get("status").asString()).isEqualTo("FAILED");
            assertThat(afterRestart.get("attempts").asInt()).as("nobody claimed it again").isEqualTo(MAX_ATTEMPTS + 1);
        }
    }
}
