package io.ganserve.registry;

import io.ganserve.jobs.Job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTest {

    @TempDir
    Path root;

    private ModelRegistry registry() {
        return new ModelRegistry(root, 2);
    }

    @Test
    void keepsTheNewestCheckpointsAndFindsTheLatest() {
        ModelRegistry r = registry();
        for (long step : new long[] {100, 200, 300}) {
            r.saveCheckpoint("job-1", step, out -> out.writeLong(step * 10));
        }
        Checkpoint latest = r.latestCheckpoint("job-1").orElseThrow();
        assertThat(latest.step()).isEqualTo(300);
        long value = r.readCheckpoint(latest, in -> in.readLong());
        assertThat(value).isEqualTo(3000L);
        assertThat(files("job-1/checkpoints")).containsExactlyInAnyOrder("step-000000200.ckpt", "step-000000300.ckpt");
    }

    @Test
    void aFailedWriteLeavesThePreviousCheckpointAndNoPartialFile() {
        ModelRegistry r = registry();
        r.saveCheckpoint("job-2", 100, out -> out.writeLong(1));
        assertThatThrownBy(() -> r.saveCheckpoint("job-2", 200, out -> {
            out.write(new byte[1 << 20]); // half a checkpoint, then the crash
            throw new IOException("disk full");
        })).isInstanceOf(UncheckedIOException.class);
        assertThat(r.latestCheckpoint("job-2").orElseThrow().step()).isEqualTo(100);
        assertThat(files("job-2/checkpoints")).containsExactly("step-000000100.ckpt");
    }

    @Test
    void recordsFromAnOlderVersionStillLoadAndUnreadableOnesAreSkipped() throws IOException {
        Path old = Files.createDirectories(root.resolve("jobs/old-job"));
        // written before variants, devices and schedules existed, with a field this version does not know
        Files.writeString(old.resolve("job.json"), """
                {"id":"old-job","status":"SUCCEEDED","config":{"dataset":"ring8","architecture":"mlp",
                 "loss":"non-saturating","steps":10,"batchSize":8,"discriminatorSteps":1,"latentDim":2,
                 "hiddenUnits":8,"hiddenLayers":1,"featureMaps":0,"imageSize":0,"generatorLearningRate":0.001,
                 "discriminatorLearningRate":0.001,"beta1":0.5,"beta2":0.999,"seed":5,"checkpointEvery":5,
                 "retiredField":true},
                 "step":10,"epoch":1.0,"samplesPerSecond":0,"secondsPerStep":0,"checkpointStep":10,
                 "resumedFromStep":0,"createdAt":"2026-01-01T00:00:00Z"}""");
        Files.createDirectories(root.resolve("jobs/broken"));
        Files.writeString(root.resolve("jobs/broken/job.json"), "{not json");
        List<Job> jobs = registry().loadJobRecords(Job.class, j -> j.id() != null && j.status() != null
                && j.config() != null && j.times().createdAt() != null);
        assertThat(jobs).singleElement().satisfies(job -> {
            assertThat(job.id()).isEqualTo("old-job");
            assertThat(job.config().variant()).isEqualTo(Variant.NONE);
            assertThat(job.config().device()).isEqualTo(DeviceKind.AUTO);
            assertThat(job.config().learningRateSchedule()).isEqualTo(LearningRateSchedule.CONSTANT);
            assertThat(job.progress()).isEqualTo(new Job.Progress(10, 1.0, 0, 0, 10, 0));
            assertThat(job.losses()).as("no losses field in the file").isNull();
            assertThat(job.times().createdAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
            assertThat(job.claims()).isEqualTo(new Job.Claims(0, 0));
        });
    }

    @Test
    void networksSavedBeforeConditionalGansReadBackUnconditional() throws IOException {
        ModelRegistry r = registry();
        Variant conditional = Variant.builder().conditional(true).build();
        TrainingConfig config = TrainingConfig.builder("ring8").hidden(8, 1).steps(10).batchSize(8).latentDim(2)
                .learningRates(1e-3f, 1e-3f).seed(5).checkpointEvery(5).variant(conditional).build();
        io.ganserve.gan.NetworkSpec spec = io.ganserve.gan.NetworkSpec.mlp(2, List.of(2), 8, 1).withClasses(8);
        ModelInfo info = new ModelInfo("cond-job", "ring8", io.ganserve.data.DataKind.POINTS, config, spec, 0,
                Instant.parse("2026-01-01T00:00:00Z"));
        r.saveRunInfo(info);
        assertThat(r.runInfo("cond-job")).hasValue(info);

        Path file = root.resolve("jobs/cond-job/network.json");
        String written = Files.readString(file);
        assertThat(written).contains("\"numClasses\":8").contains("\"conditional\":true");
        Files.writeString(file, written.replaceAll(",?\"numClasses\":8,?", ",").replace(",}", "}").replace("{,", "{")
                .replaceAll(",?\"conditional\":true", ""));
        ModelInfo old = r.runInfo("cond-job").orElseThrow();
        assertThat(old.network().numClasses()).isZero();
        assertThat(old.config().variant().conditional()).isFalse();
    }

    @Test
    void aTruncatedNewestCheckpointGivesWayToTheNewestIntactOneAndIsQuarantined() throws IOException {
        ModelRegistry r = new ModelRegistry(root, 3);
        for (long step : new long[] {100, 200, 300}) {
            r.saveCheckpoint("job-3", step, out -> out.write(new byte[4096]));
        }
        Path newest = root.resolve("jobs/job-3/checkpoints/step-000000300.ckpt");
        byte[] whole = Files.readAllBytes(newest);
        Files.write(newest, java.util.Arrays.copyOf(whole, whole.length / 2)); // a kill -9 during a copy
        assertThat(r.latestCheckpoint("job-3").orElseThrow().step()).isEqualTo(200);
        assertThat(files("job-3/checkpoints")).contains("step-000000300.ckpt.damaged")
                .doesNotContain("step-000000300.ckpt");
        // named in the job's state, also by the registry of a restarted service
        assertThat(new ModelRegistry(root, 3).damagedFiles("job-3")).singleElement().satisfies(d -> {
            assertThat(d.file()).isEqualTo("jobs/job-3/checkpoints/step-000000300.ckpt");
            assertThat(d.quarantinedAs()).isEqualTo("jobs/job-3/checkpoints/step-000000300.ckpt.damaged");
            assertThat(d.reason()).contains("cut short");
        });
        assertThat(r.damagedFiles("job-9")).as("a job without a folder").isEmpty();
    }

    @Test
    void aChangedByteIsCaughtByTheChecksumBeforeAnythingIsLoaded() throws IOException {
        ModelRegistry r = registry();
        r.saveCheckpoint("job-4", 100, out -> out.write(new byte[4096]));
        r.saveCheckpoint("job-4", 200, out -> out.write(new byte[4096]));
        Path newest = root.resolve("jobs/job-4/checkpoints/step-000000200.ckpt");
        byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(newest, bytes);
        assertThat(r.latestCheckpoint("job-4").orElseThrow().step()).isEqualTo(100);
    }

    @Test
    void anEncoderIsKeptBesideItsGeneratorAndAChangedByteIsCaught() throws IOException {
        ModelRegistry r = registry();
        assertThat(r.encoderRecord("job-9")).isEmpty();
        EncoderRecord queued = EncoderRecord.queued("job-9", 1500, 2000, 64, 2e-4f, 1,
                io.ganserve.engine.precision.Precision.BFLOAT16, 123_456, Instant.EPOCH);
        r.saveEncoderRecord(queued);
        assertThat(r.encoderRecord("job-9")).contains(queued);
        EncoderRecord done = queued.progressed(2000, 0.5f).succeeded(0.48, Instant.EPOCH.plusSeconds(60), 60);
        r.saveEncoderRecord(done);
        assertThat(r.encoderRecord("job-9").orElseThrow().status()).isEqualTo(EncoderRecord.SUCCEEDED);
        assertThat(r.encoderRecord("job-9").orElseThrow().validationError()).isEqualTo(0.48);
        assertThat(r.encoderRecord("job-9").orElseThrow().precision()).as("kept through its states")
                .isEqualTo(io.ganserve.engine.precision.Precision.BFLOAT16);

        assertThat(r.hasEncoder("job-9")).isFalse();
        r.saveEncoder("job-9", 1500, out -> out.write(new byte[2048]));
        assertThat(r.hasEncoder("job-9")).isTrue();
        int read = r.readEncoder("job-9", in -> in.readNBytes(2048).length);
        assertThat(read).isEqualTo(2048);
        Path file = root.resolve("jobs/job-9/encoder.bin");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(file, bytes);
        assertThatThrownBy(() -> r.readEncoder("job-9", in -> 0)).isInstanceOfSatisfying(DamagedFileException.class,
                e -> assertThat(e.file()).isEqualTo("jobs/job-9/encoder.bin"));

        Files.writeString(root.resolve("jobs/job-9/encoder.json"), "{}");
        assertThat(r.encoderRecord("job-9")).as("a record without its fields reads as none").isEmpty();
    }

    @Test
    void aTranslatorLivesApartFromTheModelsAndItsDamageIsNamed() throws IOException {
        ModelRegistry r = registry();
        TranslatorInfo info = new TranslatorInfo("job-7", "emoji-google", "emoji-twitter",
                new io.ganserve.gan.cyclegan.TranslatorSpec(3, 32, 16, 4, 32), 6000, java.time.Instant.EPOCH);
        assertThat(r.translator("job-7")).isEmpty();
        r.saveTranslator(info, out -> out.write(new byte[4096]));
        assertThat(r.translator("job-7")).hasValue(info);
        assertThat(r.models()).as("sampling never sees a translator").isEmpty();
        int read = r.readTranslator("job-7", in -> in.readNBytes(4096).length);
        assertThat(read).isEqualTo(4096);
        Path file = root.resolve("jobs/job-7/translator.bin");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(file, bytes);
        assertThatThrownBy(() -> r.readTranslator("job-7", in -> 0)).isInstanceOfSatisfying(DamagedFileException.class,
                e -> assertThat(e.file()).isEqualTo("jobs/job-7/translator.bin"));
        Files.writeString(root.resolve("jobs/job-7/translator.json"), "{\"jobId\":\"job-7\"}");
        assertThat(r.translator("job-7")).as("a description without its spec reads as none").isEmpty();
    }

    @Test
    void aDamagedGeneratorIsNamedAndAMissingOneIsSaidToBeMissing() throws IOException {
        ModelRegistry r = registry();
        ModelInfo info = model("job-5");
        r.saveGenerator(info, out -> out.write(new byte[1024]));
        int read = r.readGenerator("job-5", in -> in.readNBytes(1024).length);
        assertThat(read).isEqualTo(1024);
        Files.write(root.resolve("jobs/job-5/generator.bin"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> r.readGenerator("job-5", in -> in.readNBytes(1024).length))
                .isInstanceOfSatisfying(DamagedFileException.class, e -> {
                    assertThat(e.file()).isEqualTo("jobs/job-5/generator.bin");
                    assertThat(e.jobId()).isEqualTo("job-5");
                });
        Files.delete(root.resolve("jobs/job-5/generator.bin"));
        assertThat(r.hasModelDescription("job-5")).isTrue();
        assertThat(r.hasGenerator("job-5")).isFalse();
        assertThatThrownBy(() -> r.readGenerator("job-5", in -> 0)).isInstanceOf(DamagedFileException.class)
                .hasMessageContaining("missing");
    }

    @Test
    void aModelRecordWithoutItsFieldsIsQuarantinedAndTheOthersStillList() throws IOException {
        ModelRegistry r = registry();
        r.saveGenerator(model("good"), out -> out.write(new byte[8]));
        r.saveGenerator(model("empty"), out -> out.write(new byte[8]));
        Files.writeString(root.resolve("jobs/empty/model.json"), "{}");
        assertThat(r.models()).extracting(ModelInfo::jobId).containsExactly("good");
        assertThat(files("empty")).contains("model.json.damaged").doesNotContain("model.json");
    }

    @Test
    void filesWrittenBeforeChecksumsStillRead() throws IOException {
        Path dir = Files.createDirectories(root.resolve("jobs/job-6/checkpoints"));
        try (var out = new java.io.DataOutputStream(Files.newOutputStream(dir.resolve("step-000000100.ckpt")))) {
            out.writeUTF(ModelRegistry.CHECKPOINT_MAGIC_V1);
            out.writeLong(100);
            out.writeLong(42);
        }
        ModelRegistry r = registry();
        Checkpoint c = r.latestCheckpoint("job-6").orElseThrow();
        long value = r.readCheckpoint(c, in -> in.readLong());
        assertThat(value).isEqualTo(42L);
    }

    @Test
    void staleTemporaryFilesAreSweptAndFreshOnesLeftToTheirWriter() throws IOException {
        Path dir = Files.createDirectories(root.resolve("jobs/job-7/checkpoints"));
        Path stale = Files.write(dir.resolve("step-000000500.ckpt.tmp"), new byte[10_000]);
        Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
        Path fresh = Files.write(dir.resolve("step-000000600.ckpt.tmp"), new byte[10]);
        assertThat(registry().sweepTemporaryFiles(java.time.Duration.ofMinutes(1))).isEqualTo(10_000);
        assertThat(stale).doesNotExist();
        assertThat(fresh).exists();
    }

    @Test
    void theJobsOwnerSweepsItsCheckpointTemporariesHoweverFresh() throws IOException {
        Path mine = Files.createDirectories(root.resolve("jobs/job-8/checkpoints"));
        Path cut = Files.write(mine.resolve("step-000000700.ckpt.tmp"), new byte[5_000]);
        Path intact = Files.write(mine.resolve("step-000000600.ckpt"), new byte[10]);
        Path evaluations = Files.write(root.resolve("jobs/job-8/evaluations.json.tmp"), new byte[10]);
        Path others = Files.write(Files.createDirectories(root.resolve("jobs/job-9/checkpoints"))
                .resolve("step-000000700.ckpt.tmp"), new byte[10]);
        assertThat(registry().sweepCheckpointTemporaries("job-8")).isEqualTo(5_000);
        assertThat(cut).doesNotExist();
        assertThat(intact).exists();
        assertThat(evaluations).as("written by whoever scores the job, not by its trainer").exists();
        assertThat(others).as("another job's, maybe being written").exists();
        assertThat(registry().sweepCheckpointTemporaries("job-10")).as("no folder yet").isZero();
    }

    private static ModelInfo model(String jobId) {
        TrainingConfig config = TrainingConfig.builder("ring8").hidden(8, 1).steps(10).batchSize(8).latentDim(2)
                .learningRates(1e-3f, 1e-3f).seed(5).checkpointEvery(5).build();
        io.ganserve.gan.NetworkSpec spec = io.ganserve.gan.NetworkSpec.mlp(2, List.of(2), 8, 1);
        return new ModelInfo(jobId, "ring8", io.ganserve.data.DataKind.POINTS, config, spec, 10,
                Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void rejectsJobIdsThatCouldEscapeTheRegistry() {
        assertThatThrownBy(() -> registry().latestCheckpoint("../etc")).isInstanceOf(IllegalArgumentException.class);
    }

    private Stream<String> filesStream(String dir) throws IOException {
        return Files.list(root.resolve("jobs").resolve(dir)).map(p -> p.getFileName().toString());
    }

    private java.util.List<String> files(String dir) {
        try (Stream<String> s = filesStream(dir)) {
            return s.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
