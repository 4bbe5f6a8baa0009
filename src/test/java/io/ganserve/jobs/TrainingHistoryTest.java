package io.ganserve.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ganserve.registry.Evaluation;
import io.ganserve.registry.ModelRegistry;
import io.ganserve.registry.Scores;
import io.ganserve.registry.TrainingConfig;
import io.ganserve.registry.TrainingHistory;
import io.ganserve.registry.TrainingHistory.Point;
import io.ganserve.training.StepResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training history: bounded however long the run, even in resolution, kept with the job across restarts. */
class TrainingHistoryTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final TrainingConfig CONFIG = TrainingConfig.builder("ring8").hidden(8, 1).steps(100_000)
            .batchSize(10).latentDim(2).seed(1).checkpointEvery(1000).build();

    @TempDir
    Path root;

    @Test
    void aHundredThousandStepsStayWithinTheBoundAndKeepEveryStepsWeight() {
        HistoryAccumulator history = HistoryAccumulator.empty("job", 1000);
        for (long step = 1; step <= 100_000; step++) {
            history.add(step, new StepResult(step, 1f), 50);
        }
        TrainingHistory h = history.snapshot();

        assertThat(h.points()).hasSizeLessThanOrEqualTo(1000).hasSizeGreaterThan(500);
        assertThat(h.stepsPerPoint()).isEqualTo(128); // 100,000 / 1000 rounded up to a power of two
        assertThat(h.points().stream().mapToLong(Point::steps).sum()).isEqualTo(100_000);
        assertThat(h.recordedSteps()).isEqualTo(100_000);
        assertThat(h.points().getLast().step()).isEqualTo(100_000);
        // each point is the mean of the steps it covers: for G = step, the middle of its span
        for (Point p : h.points()) {
            double middle = p.step() - (p.steps() - 1) / 2.0;
            assertThat((double) p.generatorLoss()).isCloseTo(middle, within(middle * 1e-6));
            assertThat(p.discriminatorLoss()).isEqualTo(1f);
            assertThat(p.samplesPerSecond()).isEqualTo(50.0);
            assertThat(p.wassersteinEstimate()).isNull();
        }
        // even resolution: every full point covers the same span, from the first step to the last
        assertThat(h.points().subList(0, h.points().size() - 1)).allMatch(p -> p.steps() == 128);
    }

    @Test
    void theFileStaysBoundedHoweverLongTheRun() throws Exception {
        ModelRegistry registry = new ModelRegistry(root, 3);
        TrainingHistoryRecorder recorder = new TrainingHistoryRecorder(registry, 1000, Duration.ofHours(1), clock());
        Job job = Job.queued("long", TrainingConfig.builder("ring8").hidden(8, 1).steps(1_000_000).batchSize(10)
                .latentDim(2).seed(1).checkpointEvery(1000).build(), T0).started(T0, 0, 0);
        recorder.jobStarted(job);
        long[] sizes = new long[3];
        int i = 0;
        for (long step = 1; step <= 1_000_000; step++) {
            recorder.stepCompleted(stepped(job, step, new StepResult(0.7f + step % 3, 1.3f, -0.5f, 0.1f)));
            if (step == 10_000 || step == 100_000 || step == 1_000_000) {
                recorder.checkpointWritten(job, 0, Duration.ZERO);
                sizes[i++] = Files.size(root.resolve("jobs/long/history.json"));
            }
        }
        System.out.printf("history.json after 10,000 / 100,000 / 1,000,000 steps: %,d / %,d / %,d bytes%n",
                sizes[0], sizes[1], sizes[2]);
        assertThat(sizes[2]).isLessThan(250_000).isLessThan(sizes[1] * 2);
        TrainingHistory stored = registry.history("long").orElseThrow();
        assertThat(stored.points()).hasSizeLessThanOrEqualTo(1000);
        assertThat(stored.points().getFirst().wassersteinEstimate()).isEqualTo(-0.5f);
        assertThat(stored.points().getFirst().gradientPenalty()).isEqualTo(0.1f);
        assertThat(stored.points().getFirst().mutualInformation()).isNull();
    }

    /** The disk price's bound holds for the longest numbers a history can hold, at its most points. */
    @Test
    void aFullHistoryOfTheLongestValuesFitsThePricePerPoint() throws Exception {
        ModelRegistry registry = new ModelRegistry(root, 3);
        java.util.List<Point> points = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            points.add(new Point(Long.MAX_VALUE - i, Long.MAX_VALUE, -1.2345678e-30f, -Float.MIN_VALUE,
                    -3.4028235e38f, -1.17549435e-38f, -9.8765432e-20f, -1.2345678e-30f, -1.2345678e-30f, -1.2345678e-30f,
                    -Double.MIN_NORMAL));
        }
        registry.saveHistory(new TrainingHistory("full", 1000, Long.MAX_VALUE, Long.MAX_VALUE, points));
        long size = Files.size(root.resolve("jobs/full/history.json"));
        TrainingHistoryRecorder recorder = new TrainingHistoryRecorder(registry, 1000, Duration.ofHours(1), clock());
        long priced = recorder.costOf(CONFIG, io.ganserve.gan.NetworkSpec.mlp(2, java.util.List.of(2), 8, 1)).diskBytes();
        System.out.printf("history.json of 1,000 longest points: %,d bytes; priced %,d (two copies)%n", size, priced);
        assertThat(size).isGreaterThan(1000 * 200L).isLessThanOrEqualTo(priced / 2);
    }

    @Test
    void aRestartedJobGoesOnFromItsCheckpointWithTheCurveItHad() {
        ModelRegistry registry = new ModelRegistry(root, 3);
        TrainingHistoryRecorder before = new TrainingHistoryRecorder(registry, 100, Duration.ofHours(1), clock());
        Job job = Job.queued("restarted", CONFIG, T0).started(T0, 0, 0);
        before.jobStarted(job);
        for (long step = 1; step <= 2500; step++) {
            before.stepCompleted(stepped(job, step, new StepResult(1, 2)));
            if (step == 2000) {
                before.checkpointWritten(job, 0, Duration.ZERO);
            }
        }
        // saved at the checkpoint only: what a kill at step 2500 leaves on disk
        assertThat(registry.history("restarted").orElseThrow().points().getLast().step()).isEqualTo(2000);

        ModelRegistry reopened = new ModelRegistry(root, 3);
        TrainingHistoryRecorder after = new TrainingHistoryRecorder(reopened, 100, Duration.ofHours(1), clock());
        assertThat(after.history("restarted").recordedSteps()).isEqualTo(2000);
        Job resumed = Job.queued("restarted", CONFIG, T0).started(T0, 2000, 0);
        after.jobStarted(resumed);
        for (long step = 2001; step <= 3000; step++) {
            after.stepCompleted(stepped(resumed, step, new StepResult(3, 4)));
        }
        after.jobFinished(resumed);

        TrainingHistory h = reopened.history("restarted").orElseThrow();
        assertThat(h.recordedSteps()).isEqualTo(3000);
        assertThat(h.points().getLast().step()).isEqualTo(3000);
        assertThat(h.points()).isSortedAccordingTo(java.util.Comparator.comparingLong(Point::step));
        assertThat(h.points().stream().mapToLong(Point::steps).sum()).isEqualTo(3000);
    }

    @Test
    void aReplayedDivergenceDropsTheStepsItTrainsAgain() {
        HistoryAccumulator history = HistoryAccumulator.empty("job", 10);
        for (long step = 1; step <= 37; step++) {
            history.add(step, new StepResult(1f, 1f), 1);
        }
        history.truncateAfter(20);
        TrainingHistory h = history.snapshot();
        assertThat(h.points()).allMatch(p -> p.step() <= 20);
        assertThat(h.recordedSteps()).isEqualTo(h.points().stream().mapToLong(Point::steps).sum());
    }

    /** A CycleGAN's generator loss in its parts: each a curve of its own, merged like the others. */
    @Test
    void aTranslatorsAdversarialCycleAndIdentityLossesAreKept() {
        ModelRegistry registry = new ModelRegistry(root, 3);
        TrainingHistoryRecorder recorder = new TrainingHistoryRecorder(registry, 10, Duration.ofHours(1), clock());
        Job job = Job.queued("cycle", CONFIG, T0).started(T0, 0, 0);
        recorder.jobStarted(job);
        for (long step = 1; step <= 40; step++) {
            float cycle = step <= 20 ? 4f : 2f;
            recorder.stepCompleted(stepped(job, step, new StepResult(1f + cycle + 0.5f, 0.4f, null, null, null, 1f,
                    cycle, 0.5f)));
        }
        recorder.jobFinished(job);

        TrainingHistory h = registry.history("cycle").orElseThrow();
        assertThat(h.points()).hasSizeLessThan(10);
        Point first = h.points().getFirst();
        Point last = h.points().getLast();
        assertThat(first.adversarialLoss()).isEqualTo(1f);
        assertThat(first.cycleLoss()).isEqualTo(4f);
        assertThat(last.cycleLoss()).isEqualTo(2f);
        assertThat(last.identityLoss()).isEqualTo(0.5f);
        assertThat(last.generatorLoss()).isEqualTo(3.5f);
        assertThat(last.wassersteinEstimate()).isNull();
        // the step-weighted mean over the whole run survives the merging
        double meanCycle = h.points().stream().mapToDouble(p -> p.cycleLoss() * p.steps()).sum() / 40;
        assertThat(meanCycle).isCloseTo(3.0, within(1e-6));
    }

    /** A history.json written before the parts were recorded reads as it was, and a resumed run adds them. */
    @Test
    void aHistoryWrittenBeforeTheCycleFiguresStillReadsAndGrows() throws Exception {
        Files.createDirectories(root.resolve("jobs/old"));
        Files.writeString(root.resolve("jobs/old/history.json"), """
                {"jobId":"old","maxPoints":10,"stepsPerPoint":1,"recordedSteps":2,"points":[
                  {"step":1,"steps":1,"generatorLoss":0.7,"discriminatorLoss":1.3,"samplesPerSecond":40.0},
                  {"step":2,"steps":1,"generatorLoss":0.8,"discriminatorLoss":1.2,"mutualInformation":0.5}]}
                """);
        ModelRegistry registry = new ModelRegistry(root, 3);
        TrainingHistory old = registry.history("old").orElseThrow();
        assertThat(old.points()).hasSize(2);
        assertThat(old.points().get(1).mutualInformation()).isEqualTo(0.5f);
        assertThat(old.points().get(1).cycleLoss()).isNull();

        TrainingHistoryRecorder recorder = new TrainingHistoryRecorder(registry, 10, Duration.ofHours(1), clock());
        Job resumed = Job.queued("old", CONFIG, T0).started(T0, 2, 0);
        recorder.jobStarted(resumed);
        recorder.stepCompleted(stepped(resumed, 3, new StepResult(2f, 0.5f, null, null, null, 1f, 0.75f, 0.25f)));
        recorder.jobFinished(resumed);
        TrainingHistory grown = registry.history("old").orElseThrow();
        assertThat(grown.points()).extracting(Point::step).containsExactly(1L, 2L, 3L);
        assertThat(grown.points().get(0).generatorLoss()).isEqualTo(0.7f);
        assertThat(grown.points().get(2).cycleLoss()).isEqualTo(0.75f);
        assertThat(Files.readString(root.resolve("jobs/old/history.json")))
                .contains("\"cycleLoss\":0.75").doesNotContain("\"cycleLoss\":null");
    }

    @Test
    void aDamagedHistoryIsIgnoredNotFatal() throws Exception {
        ModelRegistry registry = new ModelRegistry(root, 3);
        Files.createDirectories(root.resolve("jobs/broken"));
        Files.writeString(root.resolve("jobs/broken/history.json"), "{\"points\": [");
        assertThat(registry.history("broken")).isEmpty();
        TrainingHistoryRecorder recorder = new TrainingHistoryRecorder(registry, 100, Duration.ZERO, clock());
        assertThat(recorder.history("broken").points()).isEmpty();
    }

    @Test
    void phaseAndEtaFollowTheJob() {
        TrainingConfig config = TrainingConfig.builder("ring8").hidden(8, 1).steps(1000).batchSize(10).latentDim(2)
                .seed(1).checkpointEvery(100)
                .evaluation(new io.ganserve.registry.EvaluationPlan(500, 2500, null, io.ganserve.registry.Metric.KL, true))
                .build();
        Job queued = Job.queued("p", config, T0);
        assertThat(JobPhase.of(queued, T0).phase()).isEqualTo("queued");
        Job started = queued.started(T0, 0, 0);
        assertThat(JobPhase.of(started, T0).phase()).isEqualTo("starting");
        assertThat(JobPhase.of(started, T0).etaSeconds()).isNull();

        Job training = started.progressed(400, 1, new StepResult(1, 1), 100, 0.1);
        JobPhase phase = JobPhase.of(training, T0);
        assertThat(phase.phase()).isEqualTo("training");
        assertThat(phase.etaSeconds()).isCloseTo(60.0, within(1e-9));
        assertThat(phase.estimatedFinishAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(JobPhase.of(started.progressed(500, 1, new StepResult(1, 1), 100, 0.1), T0).phase())
                .isEqualTo("evaluating"); // evaluateEvery 500, nothing scored at 500 yet

        Job atTheEnd = started.progressed(1000, 1, new StepResult(1, 1), 100, 0.1);
        assertThat(JobPhase.of(atTheEnd, T0).phase()).isEqualTo("evaluating"); // evaluateAtEnd
        Evaluation scored = Evaluation.started("p", 1000, "training", 2500, 1, T0)
                .succeeded(1000, new Scores(null, null, null, null, null, null, null, null, null, null, 8, 8, 1.0, 0.1, Map.of()), T0);
        assertThat(JobPhase.of(atTheEnd.evaluated(scored, 1000L, 0.0), T0).phase()).isEqualTo("finishing");
        assertThat(JobPhase.of(atTheEnd.finished(JobStatus.SUCCEEDED, T0, null), T0).phase()).isEqualTo("done");
    }

    /** The job after {@code step} steps with these figures (the one place the test builds a job's progress). */
    private static Job stepped(Job job, long step, StepResult losses) {
        return job.progressed(step, 0, losses, 1000, 0.01);
    }

    private static Clock clock() {
        return Clock.fixed(T0, ZoneOffset.UTC);
    }
}
