package io.ganserve.registry;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import tools.jackson.databind.ObjectMapper;

/**
 * The on-disk home of jobs and their models:
 *
 * <pre>
 * {root}/jobs/{id}/job.json                  status, progress, resolved config
 * {root}/jobs/{id}/checkpoints/step-N.ckpt   G, D and optimiser state after N steps
 * {root}/jobs/{id}/network.json              what the run trains (written at its start)
 * {root}/jobs/{id}/generator.bin             the final generator
 * {root}/jobs/{id}/model.json                what the final generator is
 * {root}/jobs/{id}/history.json              losses and figures over the run, bounded in size
 * {root}/jobs/{id}/progress/step-N.png       samples from the same fixed noise at checkpoint N
 * {root}/jobs/{id}/keep.json                 present while the model is kept from retention and deletion
 * {root}/serving.json                        the model pinned as the default served one, if any
 * </pre>
 *
 * Every file is written under a temporary name, synced and renamed, so a crash leaves either the
 * old file or the new one, never half of one; temporary files a crash left behind are swept at
 * start. Binary files end with the payload's length and CRC32C, checked before anything is loaded
 * from them; JSON records are checked for their required fields. A damaged record is renamed
 * {@code <name>.damaged} (quarantined) and named in a warning, and the rest of the registry loads;
 * a damaged generator answers {@link DamagedFileException}; a damaged checkpoint gives way to the
 * newest intact one.
 */
public final class ModelRegistry {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ModelRegistry.class);

    /** Files written before checksums: still read, unchecked. */
    static final String CHECKPOINT_MAGIC_V1 = "ganserve-checkpoint-v1";
    static final String GENERATOR_MAGIC_V1 = "ganserve-generator-v1";
    static final String CHECKPOINT_MAGIC = "ganserve-checkpoint-v2";
    static final String GENERATOR_MAGIC = "ganserve-generator-v2";
    static final String ENCODER_MAGIC = "ganserve-encoder-v1";
    static final String TRANSLATOR_MAGIC = "ganserve-translator-v1";
    static final String CLASSIFIER_MAGIC = "ganserve-classifier-v1";
    /** Encoders were checksummed from the start: no unchecked older format to accept. */
    private static final String NO_LEGACY_FORMAT = "\u0000";
    /** After the payload: its length (8 bytes), CRC32C (4) and this marker (4). */
    private static final int TRAILER_MARK = 0x47414e53; // "GANS"
    private static final int TRAILER_BYTES = 16;
    static final String QUARANTINE_SUFFIX = ".damaged";
    /** Beside a quarantined file: why, so the job's state still says so after a restart. */
    static final String REASON_SUFFIX = ".reason";
    private static final String KEEP_FILE = "keep.json";
    private static final java.util.regex.Pattern CHECKPOINT_NAME = java.util.regex.Pattern.compile("step-(\\d+)\\.ckpt");

    private final Path root;
    private final Path jobsDir;
    private final ObjectMapper json;
    private final int keepCheckpoints;
    /** Files whose checksum held, by path, with the size and time it held for: a file is read whole once, not per request. */
    private final java.util.Map<Path, String> verified = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The registry's JSON: unlike the API, which refuses unknown fields, stored files are read
     * leniently, so a registry written by an older or newer version still loads (absent fields take
     * their neutral values, unknown ones are ignored).
     */
    public static ObjectMapper storageMapper() {
        return tools.jackson.databind.json.JsonMapper.builder()
                .disable(tools.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(tools.jackson.databind.DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .build();
    }

    /** Where the feature networks that score this registry's generators are kept. */
    public Path evaluationDir() {
        return root.resolve("evaluation");
    }

    public ModelRegistry(Path root, int keepCheckpoints) {
        this.root = root;
        this.jobsDir = root.resolve("jobs");
        this.json = storageMapper();
        this.keepCheckpoints = keepCheckpoints;
        try {
            Files.createDirectories(jobsDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the model registry at " + jobsDir, e);
        }
    }

    /** Writes something a consumer produces, atomically. */
    @FunctionalInterface
    public interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    @FunctionalInterface
    public interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    /**
     * Job records as versions before the job store kept them (job.json files), for moving into the
     * store, read as {@code type}; a file that cannot be read or is not {@code complete} is quarantined.
     */
    public <T> List<T> loadJobRecords(Class<T> type, Predicate<T> complete) {
        List<T> jobs = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(jobsDir)) {
            for (Path dir : dirs.toList()) {
                Path file = dir.resolve("job.json");
                if (Files.isRegularFile(file)) {
                    try {
                        T job = json.readValue(file.toFile(), type);
                        if (!complete.test(job)) {
                            throw new IllegalArgumentException("id, status, config or createdAt missing");
                        }
                        jobs.add(job);
                    } catch (RuntimeException unreadable) {
                        quarantine(file, unreadable.getMessage());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return jobs;
    }

    public Checkpoint saveCheckpoint(String jobId, long step, Writer state) {
        Path file = jobDir(jobId).resolve("checkpoints").resolve(String.format("step-%09d.ckpt", step));
        writeAtomically(file, checked(CHECKPOINT_MAGIC, step, state));
        pruneCheckpoints(jobId);
        return new Checkpoint(jobId, step, file);
    }

    /**
     * Copies a checkpoint, byte for byte once its checksum holds, to be {@code jobId}'s checkpoint at
     * the same step: how a fine-tuning job starts from its parent's final state, and keeps it however
     * long it waits in the queue (retention may delete the parent meanwhile).
     */
    public Checkpoint copyCheckpoint(Checkpoint from, String jobId) {
        verify(from.jobId(), from.file(), CHECKPOINT_MAGIC, CHECKPOINT_MAGIC_V1);
        Path file = jobDir(jobId).resolve("checkpoints").resolve(from.file().getFileName());
        writeAtomically(file, out -> Files.copy(from.file(), out));
        return new Checkpoint(jobId, from.step(), file);
    }

    /**
     * The newest checkpoint whose checksum holds. Newer ones that are damaged (cut short by a kill
     * during a copy, altered on disk) are quarantined and named in a warning, so a run resumes from
     * the newest state it can trust instead of failing on the one it cannot read.
     */
    public Optional<Checkpoint> latestCheckpoint(String jobId) {
        List<Checkpoint> newestFirst = new ArrayList<>(checkpoints(jobId));
        newestFirst.sort(Comparator.comparingLong(Checkpoint::step).reversed());
        for (Checkpoint c : newestFirst) {
            try {
                verify(jobId, c.file(), CHECKPOINT_MAGIC, CHECKPOINT_MAGIC_V1);
                return Optional.of(c);
            } catch (DamagedFileException damaged) {
                quarantine(c.file(), damaged.getMessage());
            }
        }
        return Optional.empty();
    }

    /** Opens a checkpoint positioned after its header, where the trainer's state begins. */
    public <T> T readCheckpoint(Checkpoint checkpoint, Reader<T> reader) {
        return read(checkpoint.jobId(), checkpoint.file(), CHECKPOINT_MAGIC, CHECKPOINT_MAGIC_V1, reader);
    }

    public void saveGenerator(ModelInfo info, Writer parameters) {
        Path dir = jobDir(info.jobId());
        writeAtomically(dir.resolve("generator.bin"), checked(GENERATOR_MAGIC, info.step(), parameters));
        writeAtomically(dir.resolve("model.json"), out -> out.write(json.writeValueAsBytes(info)));
    }

    /** What a run is training, written when it starts, so its checkpoints can be served mid-run. */
    public void saveRunInfo(ModelInfo info) {
        writeAtomically(jobDir(info.jobId()).resolve("network.json"), out -> out.write(json.writeValueAsBytes(info)));
    }

    /** @throws DamagedFileException when the description is unreadable or incomplete */
    public Optional<ModelInfo> runInfo(String jobId) {
        Path file = jobDir(jobId).resolve("network.json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(validModel(json.readValue(file.toFile(), ModelInfo.class)));
        } catch (RuntimeException unreadable) {
            throw new DamagedFileException(jobId, DamagedFileException.relative(jobsDir, file),
                    unreadable.getMessage(), unreadable);
        }
    }

    public <T> T readGenerator(String jobId, Reader<T> reader) {
        return read(jobId, jobDir(jobId).resolve("generator.bin"), GENERATOR_MAGIC, GENERATOR_MAGIC_V1, reader);
    }

    /** Whether a job has a final model description, whatever the state of its weights. */
    public boolean hasModelDescription(String jobId) {
        return Files.isRegularFile(jobDir(jobId).resolve("model.json"));
    }

    /**
     * A finished job's model, when its description is valid and its weights file exists; an
     * invalid description is quarantined (the job then serves its newest checkpoint).
     */
    public Optional<ModelInfo> model(String jobId) {
        Path file = jobDir(jobId).resolve("model.json");
        if (!Files.isRegularFile(file) || !Files.isRegularFile(jobDir(jobId).resolve("generator.bin"))) {
            return Optional.empty();
        }
        try {
            return Optional.of(validModel(json.readValue(file.toFile(), ModelInfo.class)));
        } catch (RuntimeException unreadable) {
            quarantine(file, unreadable.getMessage());
            return Optional.empty();
        }
    }

    /** A record with what serving needs; {@code {}} parses, but is not one. */
    private static ModelInfo validModel(ModelInfo info) {
        if (info == null || info.jobId() == null || info.config() == null || info.network() == null
                || info.createdAt() == null || info.dataKind() == null) {
            throw new IllegalArgumentException("jobId, dataset kind, config, network or createdAt missing");
        }
        return info;
    }

    public List<ModelInfo> models() {
        if (!Files.isDirectory(jobsDir)) {
            return List.of(); // a volume not mounted (yet): nothing to serve, not an error to log every few seconds
        }
        try (Stream<Path> dirs = Files.list(jobsDir)) {
            return dirs.map(d -> d.getFileName().toString())
                    .filter(name -> name.matches("[A-Za-z0-9-]+"))
                    .map(this::model)
                    .flatMap(Optional::stream)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A CycleGAN job's final pair of generators and their description, beside (not among) the GAN
     * models: {@link #models()} never lists them, so sampling never loads a translator.
     */
    public void saveTranslator(TranslatorInfo info, Writer generators) {
        Path dir = jobDir(info.jobId());
        writeAtomically(dir.resolve("translator.bin"), checked(TRANSLATOR_MAGIC, info.step(), generators));
        writeAtomically(dir.resolve("translator.json"), out -> out.write(json.writeValueAsBytes(info)));
    }

    /** What a CycleGAN run trains, written when it starts, so its checkpoints can translate mid-run. */
    public void saveTranslatorRun(TranslatorInfo info) {
        writeAtomically(jobDir(info.jobId()).resolve("translator-run.json"), out -> out.write(json.writeValueAsBytes(info)));
    }

    /** @throws DamagedFileException when the description is unreadable or incomplete */
    public Optional<TranslatorInfo> translatorRun(String jobId) {
        Path file = jobDir(jobId).resolve("translator-run.json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(validTranslator(json.readValue(file.toFile(), TranslatorInfo.class)));
        } catch (RuntimeException unreadable) {
            throw new DamagedFileException(jobId, DamagedFileException.relative(jobsDir, file),
                    unreadable.getMessage(), unreadable);
        }
    }

    private static TranslatorInfo validTranslator(TranslatorInfo info) {
        if (info == null || info.jobId() == null || info.spec() == null || info.source() == null
                || info.target() == null) {
            throw new IllegalArgumentException("jobId, spec, source or target missing");
        }
        return info;
    }

    /** A finished CycleGAN job's translator; an unreadable description is quarantined and reads as none. */
    public Optional<TranslatorInfo> translator(String jobId) {
        Path file = jobDir(jobId).resolve("translator.json");
        if (!Files.isRegularFile(file) || !Files.isRegularFile(jobDir(jobId).resolve("translator.bin"))) {
            return Optional.empty();
        }
        try {
            return Optional.of(validTranslator(json.readValue(file.toFile(), TranslatorInfo.class)));
        } catch (RuntimeException unreadable) {
            quarantine(file, unreadable.getMessage());
            return Optional.empty();
        }
    }

    /** Every finished CycleGAN job's translator, newest first. */
    public List<TranslatorInfo> translators() {
        return jobIds().stream().map(this::translator).flatMap(Optional::stream)
                .sorted(java.util.Comparator.comparing(TranslatorInfo::createdAt).reversed())
                .toList();
    }

    /** @throws DamagedFileException when the weights are cut or changed */
    public <T> T readTranslator(String jobId, Reader<T> reader) {
        return read(jobId, jobDir(jobId).resolve("translator.bin"), TRANSLATOR_MAGIC, NO_LEGACY_FORMAT, reader);
    }

    /**
     * A semi-supervised job's final classifier and its description, beside (not among) the GAN
     * models: {@link #models()} never lists it, so sampling never loads a classifier.
     */
    public void saveClassifier(SemiSupervisedInfo info, Writer parameters) {
        Path dir = jobDir(info.jobId());
        writeAtomically(dir.resolve("classifier.bin"), checked(CLASSIFIER_MAGIC, info.step(), parameters));
        writeAtomically(dir.resolve("classifier.json"), out -> out.write(json.writeValueAsBytes(info)));
    }

    /** What a semi-supervised run trains, written when it starts, so its checkpoints can classify mid-run. */
    public void saveClassifierRun(SemiSupervisedInfo info) {
        writeAtomically(jobDir(info.jobId()).resolve("classifier-run.json"), out -> out.write(json.writeValueAsBytes(info)));
    }

    /** @throws DamagedFileException when the description is unreadable or incomplete */
    public Optional<SemiSupervisedInfo> classifierRun(String jobId) {
        Path file = jobDir(jobId).resolve("classifier-run.json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(validClassifier(json.readValue(file.toFile(), SemiSupervisedInfo.class)));
        } catch (RuntimeException unreadable) {
            throw new DamagedFileException(jobId, DamagedFileException.relative(jobsDir, file),
                    unreadable.getMessage(), unreadable);
        }
    }

    private static SemiSupervisedInfo validClassifier(SemiSupervisedInfo info) {
        if (info == null || info.jobId() == null || info.spec() == null || info.dataset() == null
                || info.createdAt() == null) {
            throw new IllegalArgumentException("jobId, spec, dataset or createdAt missing");
        }
        return info;
    }

    /** A finished semi-supervised job's classifier; an unreadable description is quarantined and reads as none. */
    public Optional<SemiSupervisedInfo> classifier(String jobId) {
        Path file = jobDir(jobId).resolve("classifier.json");
        if (!Files.isRegularFile(file) || !Files.isRegularFile(jobDir(jobId).resolve("classifier.bin"))) {
            return Optional.empty();
        }
        try {
            return Optional.of(validClassifier(json.readValue(file.toFile(), SemiSupervisedInfo.class)));
        } catch (RuntimeException unreadable) {
            quarantine(file, unreadable.getMessage());
            return Optional.empty();
        }
    }

    /** @throws DamagedFileException when the weights are cut or changed */
    public <T> T readClassifier(String jobId, Reader<T> reader) {
        return read(jobId, jobDir(jobId).resolve("classifier.bin"), CLASSIFIER_MAGIC, NO_LEGACY_FORMAT, reader);
    }

    /** Replaces the job's encoder record (learned inference); the weights are {@link #saveEncoder}'s. */
    public void saveEncoderRecord(EncoderRecord record) {
        writeAtomically(jobDir(record.jobId()).resolve("encoder.json"), out -> out.write(json.writeValueAsBytes(record)));
    }

    /** The job's encoder record, if one was requested; an unreadable one is quarantined and reads as none. */
    public Optional<EncoderRecord> encoderRecord(String jobId) {
        Path file = jobDir(jobId).resolve("encoder.json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            EncoderRecord record = json.readValue(file.toFile(), EncoderRecord.class);
            if (record == null || record.status() == null || record.jobId() == null) {
                throw new IllegalArgumentException("jobId or status missing");
            }
            return Optional.of(record);
        } catch (RuntimeException unreadable) {
            quarantine(file, unreadable.getMessage());
            return Optional.empty();
        }
    }

    /** The encoder's weights, in the generator's checked format, beside the generator they invert. */
    public void saveEncoder(String jobId, long generatorStep, Writer parameters) {
        writeAtomically(jobDir(jobId).resolve("encoder.bin"), checked(ENCODER_MAGIC, generatorStep, parameters));
    }

    public boolean hasEncoder(String jobId) {
        return Files.isRegularFile(jobDir(jobId).resolve("encoder.bin"));
    }

    public <T> T readEncoder(String jobId, Reader<T> reader) {
        return read(jobId, jobDir(jobId).resolve("encoder.bin"), ENCODER_MAGIC, NO_LEGACY_FORMAT, reader);
    }

    /** Records an evaluation, replacing an earlier record with the same id (a running one that finished). */
    public synchronized void saveEvaluation(Evaluation evaluation) {
        List<Evaluation> all = new ArrayList<>(evaluations(evaluation.jobId()));
        all.removeIf(e -> e.id().equals(evaluation.id()));
        all.add(evaluation);
        writeAtomically(jobDir(evaluation.jobId()).resolve("evaluations.json"),
                out -> out.write(json.writeValueAsBytes(all)));
    }

    /** A job's evaluations, oldest first. */
    public synchronized List<Evaluation> evaluations(String jobId) {
        Path file = jobDir(jobId).resolve("evaluations.json");
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            return List.of(json.readValue(file.toFile(), Evaluation[].class));
        } catch (RuntimeException unreadable) {
            log.warn("ignoring unreadable evaluations {}: {}", file, unreadable.getMessage());
            return List.of();
        }
    }

    /** Replaces the job's training history. */
    public void saveHistory(TrainingHistory history) {
        writeAtomically(jobDir(history.jobId()).resolve("history.json"), out -> out.write(json.writeValueAsBytes(history)));
    }

    /**
     * The job's training history as last saved; empty when none was, or when the file cannot be read
     * (a curve is worth less than the job: it is logged and the job goes on without it).
     */
    public Optional<TrainingHistory> history(String jobId) {
        Path file = jobDir(jobId).resolve("history.json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(file.toFile(), TrainingHistory.class));
        } catch (RuntimeException unreadable) {
            log.warn("ignoring unreadable training history {}: {}", file, unreadable.getMessage());
            return Optional.empty();
        }
    }

    private static final java.util.regex.Pattern PROGRESS_NAME = java.util.regex.Pattern.compile("step-(\\d+)\\.png");

    /** Keeps the grid drawn from the job's fixed noise at {@code step}. */
    public void saveProgressGrid(String jobId, long step, byte[] png) {
        writeAtomically(progressFile(jobId, step), out -> out.write(png));
    }

    /** The steps the job has progress grids for, oldest first. */
    public List<Long> progressSteps(String jobId) {
        Path dir = jobDir(jobId).resolve("progress");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> PROGRESS_NAME.matcher(f.getFileName().toString()))
                    .filter(Matcher::matches)
                    .map(m -> Long.parseLong(m.group(1)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Optional<byte[]> progressGrid(String jobId, long step) {
        Path file = progressFile(jobId, step);
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void deleteProgressGrid(String jobId, long step) {
        try {
            Files.deleteIfExists(progressFile(jobId, step));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path progressFile(String jobId, long step) {
        if (step < 0) {
            throw new IllegalArgumentException("invalid step " + step);
        }
        return jobDir(jobId).resolve("progress").resolve(String.format("step-%09d.png", step));
    }

    /** The best-scoring generator kept so far: what {@code checkpoint=best} serves. */
    public record BestModel(ModelInfo model, String metric, double score) {}

    /** Keeps {@code parameters} as the job's best generator; the description is written last, so it never names missing weights. */
    public void saveBest(BestModel best, Writer parameters) {
        Path dir = jobDir(best.model().jobId()).resolve("best");
        writeAtomically(dir.resolve("generator.bin"), checked(GENERATOR_MAGIC, best.model().step(), parameters));
        writeAtomically(dir.resolve("best.json"), out -> out.write(json.writeValueAsBytes(best)));
    }

    public Optional<BestModel> best(String jobId) {
        Path file = jobDir(jobId).resolve("best").resolve("best.json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            BestModel best = json.readValue(file.toFile(), BestModel.class);
            if (best == null || best.metric() == null) {
                throw new IllegalArgumentException("metric missing");
            }
            validModel(best.model());
            return Optional.of(best);
        } catch (RuntimeException unreadable) {
            quarantine(file, unreadable.getMessage());
            return Optional.empty();
        }
    }

    public <T> T readBestGenerator(String jobId, Reader<T> reader) {
        return read(jobId, jobDir(jobId).resolve("best").resolve("generator.bin"), GENERATOR_MAGIC,
                GENERATOR_MAGIC_V1, reader);
    }

    /**
     * Deletes the temporary files of writes a crash interrupted (a checkpoint's can be gigabytes):
     * the renamed file they were to become is either there from an earlier write or never was.
     * Files written to within {@code olderThan} are left alone.
     *
     * @return the bytes freed
     */
    public long sweepTemporaryFiles(java.time.Duration olderThan) {
        // a write in progress (another instance's, on a shared volume) touches its file as it goes
        return sweep(jobsDir, Integer.MAX_VALUE, System.currentTimeMillis() - olderThan.toMillis());
    }

    /**
     * Deletes the temporary files in a job's checkpoint folder, however new: for the worker that has
     * just claimed the job and so owns its checkpoints, where any {@code .tmp} is a write of an
     * earlier owner that did not finish. A restart within the lease duration leaves one too young
     * for {@link #sweepTemporaryFiles}, and a checkpoint's can be gigabytes until that step is
     * written again.
     *
     * @return the bytes freed
     */
    public long sweepCheckpointTemporaries(String jobId) {
        return sweep(jobDir(jobId).resolve("checkpoints"), 1, Long.MAX_VALUE);
    }

    private long sweep(Path dir, int depth, long modifiedBefore) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        long[] freed = {0, 0};
        try (Stream<Path> files = Files.walk(dir, depth)) {
            files.filter(f -> f.getFileName().toString().endsWith(".tmp") && Files.isRegularFile(f)
                    && lastModified(f) < modifiedBefore).forEach(f -> {
                try {
                    long size = Files.size(f);
                    Files.delete(f);
                    freed[0] += size;
                    freed[1]++;
                    log.warn("removed {} ({} bytes), left by a write that did not finish", f, size);
                } catch (IOException e) {
                    log.warn("cannot remove the stale temporary file {}: {}", f, e.toString());
                }
            });
        } catch (IOException | UncheckedIOException e) {
            log.warn("cannot sweep temporary files under {}: {}", dir, e.toString());
        }
        if (freed[1] > 0) {
            log.warn("swept {} temporary files ({} bytes) left by interrupted writes", freed[1], freed[0]);
        }
        return freed[0];
    }

    private static long lastModified(Path f) {
        try {
            return Files.getLastModifiedTime(f).toMillis();
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    /** The pinned default model, if an operator pinned one; an unreadable pin file counts as none (and is quarantined). */
    public Optional<ServingPin> pin() {
        Path file = root.resolve("serving.json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            ServingPin pin = json.readValue(file.toFile(), ServingPin.class);
            if (pin == null || pin.jobId() == null || !pin.jobId().matches("[A-Za-z0-9-]+")) {
                throw new IllegalArgumentException("jobId missing or invalid");
            }
            return Optional.of(pin);
        } catch (RuntimeException unreadable) {
            quarantine(file, unreadable.getMessage());
            return Optional.empty();
        }
    }

    public void savePin(ServingPin pin) {
        jobDir(pin.jobId()); // checks the id
        writeAtomically(root.resolve("serving.json"), out -> out.write(json.writeValueAsBytes(pin)));
    }

    public void clearPin() {
        try {
            Files.deleteIfExists(root.resolve("serving.json"));
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove the pin " + root.resolve("serving.json"), e);
        }
    }

    /**
     * Marks a job's model as kept ({@code PUT /models/{id}/keep}): retention passes over it and
     * {@code DELETE /models/{id}} refuses it until {@link #unkeep}. A file in the job's folder, so a
     * restart and every instance sharing the registry see it, and it goes with the folder.
     */
    public void keep(String jobId) {
        Path dir = jobDir(jobId);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("job " + jobId + " has no folder in the registry");
        }
        writeAtomically(dir.resolve(KEEP_FILE), out -> out.write(json.writeValueAsBytes(
                java.util.Map.of("since", java.time.Instant.now().toString()))));
    }

    public void unkeep(String jobId) {
        Path file = jobDir(jobId).resolve(KEEP_FILE);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove the keep flag " + file, e);
        }
    }

    /** Whether the job's model is kept; the file's presence is the flag, so an unreadable one still keeps. */
    public boolean kept(String jobId) {
        return Files.isRegularFile(jobDir(jobId).resolve(KEEP_FILE));
    }

    /** The jobs whose models are kept. */
    public java.util.Set<String> keptJobs() {
        java.util.Set<String> kept = new java.util.HashSet<>();
        for (String jobId : jobIds()) {
            if (kept(jobId)) {
                kept.add(jobId);
            }
        }
        return kept;
    }

    /** Ids of the jobs with a folder in the registry, finished or not, with a model or without. */
    public List<String> jobIds() {
        if (!Files.isDirectory(jobsDir)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(jobsDir)) {
            return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString())
                    .filter(name -> name.matches("[A-Za-z0-9-]+")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Bytes of everything a job keeps: checkpoints, generators, history, progress grids. */
    public long jobBytes(String jobId) {
        return bytesUnder(jobDir(jobId));
    }

    /** Bytes the registry's job folders hold together (what a registry quota counts). */
    public long jobsBytes() {
        return bytesUnder(jobsDir);
    }

    private static long bytesUnder(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException gone) {
                    return 0; // deleted while counted (a pruned checkpoint)
                }
            }).sum();
        } catch (IOException | UncheckedIOException e) {
            log.warn("cannot measure {}: {}", dir, e.toString());
            return 0;
        }
    }

    /**
     * Deletes a job's folder and everything in it. The model description goes first, so a crash
     * half-way leaves a folder that no longer lists as a model rather than a model without weights.
     *
     * @return the bytes freed
     */
    public long deleteJob(String jobId) {
        Path dir = jobDir(jobId);
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        long bytes = bytesUnder(dir);
        try {
            Files.deleteIfExists(dir.resolve("model.json"));
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
        verified.keySet().removeIf(p -> p.startsWith(dir));
        return bytes;
    }

    /** Whether a job's final weights file exists. */
    public boolean hasGenerator(String jobId) {
        return Files.isRegularFile(jobDir(jobId).resolve("generator.bin"));
    }

    /**
     * Moves a damaged file aside, so it is neither read again nor lost to an operator who wants it,
     * and notes why beside it, for {@link #damagedFiles}.
     */
    private void quarantine(Path file, String reason) {
        Path aside = file.resolveSibling(file.getFileName() + QUARANTINE_SUFFIX);
        try {
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            log.warn("quarantined damaged file {} as {}: {}", file, aside.getFileName(), reason);
        } catch (IOException e) {
            log.warn("damaged file {} ({}) could not be moved aside: {}", file, reason, e.toString());
            return;
        }
        try {
            Files.writeString(aside.resolveSibling(aside.getFileName() + REASON_SUFFIX),
                    reason == null ? "unreadable" : reason);
        } catch (IOException e) {
            // a full disk, say: the file is aside and the warning names the reason; the job's state will not
            log.warn("could not note why {} was quarantined: {}", file, e.toString());
        }
    }

    /**
     * The job's files quarantined as damaged (its records, checkpoints, best generator), by name;
     * they stay until the job is deleted, so an operator can look at them.
     */
    public List<DamagedFile> damagedFiles(String jobId) {
        Path dir = jobDir(jobId);
        List<DamagedFile> found = new ArrayList<>();
        for (Path folder : List.of(dir, dir.resolve("checkpoints"), dir.resolve("best"))) {
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (var aside = Files.newDirectoryStream(folder, "*" + QUARANTINE_SUFFIX)) {
                for (Path f : aside) {
                    String name = f.getFileName().toString();
                    Path original = f.resolveSibling(name.substring(0, name.length() - QUARANTINE_SUFFIX.length()));
                    found.add(new DamagedFile(DamagedFileException.relative(jobsDir, original),
                            DamagedFileException.relative(jobsDir, f), reasonFor(f)));
                }
            } catch (IOException | java.nio.file.DirectoryIteratorException e) {
                log.warn("cannot list the damaged files of job {} in {}: {}", jobId, folder, e.toString());
            }
        }
        found.sort(Comparator.comparing(DamagedFile::file));
        return found;
    }

    private static String reasonFor(Path quarantined) {
        Path note = quarantined.resolveSibling(quarantined.getFileName() + REASON_SUFFIX);
        try {
            return Files.isRegularFile(note) ? Files.readString(note) : "not recorded";
        } catch (IOException e) {
            return "not recorded (" + e + ")";
        }
    }

    private List<Checkpoint> checkpoints(String jobId) {
        Path dir = jobDir(jobId).resolve("checkpoints");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Checkpoint> found = new ArrayList<>();
            for (Path f : files.toList()) {
                Matcher m = CHECKPOINT_NAME.matcher(f.getFileName().toString());
                if (m.matches()) {
                    found.add(new Checkpoint(jobId, Long.parseLong(m.group(1)), f));
                }
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void pruneCheckpoints(String jobId) {
        List<Checkpoint> all = new ArrayList<>(checkpoints(jobId));
        all.sort(Comparator.comparingLong(Checkpoint::step).reversed());
        for (Checkpoint old : all.subList(Math.min(keepCheckpoints, all.size()), all.size())) {
            try {
                Files.deleteIfExists(old.file());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private Path jobDir(String jobId) {
        if (!jobId.matches("[A-Za-z0-9-]+")) {
            throw new IllegalArgumentException("invalid job id " + jobId);
        }
        return jobsDir.resolve(jobId);
    }

    /**
     * Checks {@code file}'s header, length and checksum, then hands its payload to {@code reader};
     * anything wrong on the way, in the file or in what the reader finds, is a damaged file.
     */
    private <T> T read(String jobId, Path file, String magic, String legacyMagic, Reader<T> reader) {
        String name = DamagedFileException.relative(jobsDir, file);
        if (!Files.isRegularFile(file)) {
            throw new DamagedFileException(jobId, name, "the file is missing", null);
        }
        verify(jobId, file, magic, legacyMagic);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            in.readUTF();
            in.readLong();
            return reader.read(in);
        } catch (IOException | RuntimeException e) {
            throw new DamagedFileException(jobId, name, e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage(), e);
        }
    }

    /** Header, then for the checked format the trailer's length and CRC32C against the payload. */
    private void verify(String jobId, Path file, String magic, String legacyMagic) {
        String name = DamagedFileException.relative(jobsDir, file);
        String signature = signature(file);
        if (signature != null && signature.equals(verified.get(file))) {
            return;
        }
        check(jobId, name, file, magic, legacyMagic);
        if (signature != null) {
            verified.put(file, signature);
        }
    }

    private static String signature(Path file) {
        try {
            // nanoseconds, not milliseconds: a same-size rewrite within one millisecond passed as verified
            return Files.size(file) + "@" + Files.getLastModifiedTime(file).to(java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (IOException e) {
            return null;
        }
    }

    private static void check(String jobId, String name, Path file, String magic, String legacyMagic) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            long size = Files.size(file);
            String found = in.readUTF();
            if (found.equals(legacyMagic)) {
                return; // written before checksums: nothing to check it against
            }
            if (!found.equals(magic)) {
                throw new DamagedFileException(jobId, name, "it does not start with " + magic, null);
            }
            in.readLong();
            long header = 2 + found.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 8;
            long payload = size - header - TRAILER_BYTES;
            if (payload < 0) {
                throw new DamagedFileException(jobId, name, "cut short at " + size + " bytes", null);
            }
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            byte[] buffer = new byte[1 << 16];
            long left = payload;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new java.io.EOFException();
                }
                crc.update(buffer, 0, n);
                left -= n;
            }
            long declared = in.readLong();
            int checksum = in.readInt();
            int mark = in.readInt();
            if (mark != TRAILER_MARK || declared != payload) {
                throw new DamagedFileException(jobId, name, "cut short or extended: " + size + " bytes do not hold "
                        + "the payload its trailer declares", null);
            }
            if (checksum != (int) crc.getValue()) {
                throw new DamagedFileException(jobId, name, "checksum mismatch: its bytes changed after it was written",
                        null);
            }
        } catch (java.io.EOFException | java.io.UTFDataFormatException e) {
            throw new DamagedFileException(jobId, name, "cut short", e);
        } catch (IOException e) {
            throw new DamagedFileException(jobId, name, e.toString(), e);
        }
    }

    /** The checked format: header, payload, then the payload's length, CRC32C and a marker. */
    private static Writer checked(String magic, long step, Writer payload) {
        return out -> {
            out.writeUTF(magic);
            out.writeLong(step);
            out.flush();
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            long[] count = {0};
            java.io.OutputStream summing = new java.io.FilterOutputStream(out) {
                @Override
                public void write(int b) throws IOException {
                    crc.update(b);
                    count[0]++;
                    out.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    crc.update(b, off, len);
                    count[0] += len;
                    out.write(b, off, len);
                }
            };
            DataOutputStream body = new DataOutputStream(summing);
            payload.write(body);
            body.flush();
            out.writeLong(count[0]);
            out.writeInt((int) crc.getValue());
            out.writeInt(TRAILER_MARK);
        };
    }

    private static void writeAtomically(Path target, Writer writer) {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            Files.createDirectories(target.getParent());
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                        java.nio.channels.Channels.newOutputStream(channel), 1 << 16));
                writer.write(out);
                out.flush();
                channel.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the original failure is the one worth reporting
            }
            throw new UncheckedIOException("could not write " + target, e);
        }
    }
}
