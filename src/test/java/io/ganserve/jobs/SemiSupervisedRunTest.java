package io.ganserve.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.ganserve.data.Dataset;
import io.ganserve.data.DatasetCatalog;
import io.ganserve.data.DatasetLocations;
import io.ganserve.engine.GradientCollectors;
import io.ganserve.gan.SemiSupervisedNetwork;
import io.ganserve.registry.Evaluation;
import io.ganserve.registry.ModelRegistry;
import io.ganserve.registry.SemiSupervisedInfo;
import io.ganserve.registry.TrainingConfig;
import io.ganserve.support.ShapeImages;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** A semi-supervised run stopped part way resumes from its checkpoint, scores both classifiers and leaves one to serve. */
class SemiSupervisedRunTest {

    @TempDir
    Path root;

    @Test
    void aStoppedRunResumesFromItsCheckpointAndLeavesItsClassifier() throws Exception {
        Engine.getInstance();
        JniUtils.setGradMode(false);
        Path images = root.resolve("images");
        ShapeImages.writeFolder(images.resolve("shapes"), 28, 10, 2, ShapeImages.FOUR);
        DatasetCatalog catalog = new DatasetCatalog(new DatasetLocations(root.resolve("no-mnist"),
                root.resolve("no-fashion"), images, 100));
        TrainingConfig config = new JobPreview(catalog).resolve(JsonMapper.builder().build().readValue(
                "{\"architecture\":\"semi-supervised\",\"dataset\":\"shapes\",\"labels\":8,\"imageSize\":28,"
                        + "\"featureMaps\":8,\"latentDim\":8,\"steps\":20,\"batchSize\":8,\"checkpointEvery\":10}",
                JobRequest.class));
        ModelRegistry registry = new ModelRegistry(root.resolve("registry"), 3);
        AtomicReference<Job> job = new AtomicReference<>(Job.queued("semi", config, Instant.now()));
        Dataset train = catalog.load("shapes", config.seed(), config.imageSize());
        JobListener quiet = new JobListener() {};
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainingRun run = new TrainingRun(registry, catalog, manager, GradientCollectors.lock(), Clock.systemUTC(),
                    null);
            TrainingRun.Outcome first = run.run(job.get(), train, (change, persist) -> job.updateAndGet(change),
                    () -> job.get().progress().step() >= 13, quiet);
            assertThat(first).isEqualTo(TrainingRun.Outcome.STOPPED);
            assertThat(job.get().progress().checkpointStep()).as("the stop writes one").isEqualTo(13);
            assertThat(registry.classifier("semi")).as("nothing served before the end").isEmpty();
            assertThat(registry.classifierRun("semi")).isPresent();
            assertThat(registry.evaluations("semi")).isEmpty();

            TrainingRun.Outcome second = run.run(job.get(), train, (change, persist) -> job.updateAndGet(change),
                    () -> false, quiet);
            assertThat(second).isEqualTo(TrainingRun.Outcome.COMPLETED);
        }
        assertThat(job.get().progress().resumedFromStep()).isEqualTo(13);
        assertThat(job.get().progress().step()).isEqualTo(20);
        assertThat(job.get().losses().isFinite()).isTrue();
        SemiSupervisedInfo served = registry.classifier("semi").orElseThrow();
        assertThat(served.step()).isEqualTo(20);
        assertThat(served.spec()).isEqualTo(new SemiSupervisedNetwork.Spec(4, 8, 1, 28));
        assertThat(served.classNames()).containsExactly("bar", "disc", "square", "triangle");
        List<Evaluation> evaluations = registry.evaluations("semi");
        assertThat(evaluations).hasSize(1);
        Evaluation end = evaluations.get(0);
        assertThat(end.status()).as(String.valueOf(end.error())).isEqualTo(Evaluation.SUCCEEDED);
        assertThat(end.samples()).isEqualTo(40);
        assertThat(end.scores().classification().testImages()).isEqualTo(40);
        assertThat(job.get().quality().latestEvaluation()).isEqualTo(end);
        // the served file reads back into a network of the recorded layout
        registry.readClassifier("semi", in -> {
            try (NDManager m = NDManager.newBaseManager()) {
                io.ganserve.engine.NativeArrays.loadParameters(SemiSupervisedNetwork.empty(served.spec(), m).block(), m, in);
            } catch (ai.djl.MalformedModelException e) {
                throw new java.io.IOException(e);
            }
            return null;
        });
    }
}
