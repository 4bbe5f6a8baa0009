package io.ganserve.training;

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
 * </pre>
 *
 * Every file is written under a temporary name, synced and renamed, so a crash leaves either the
 * old file or the new one, never half of one.
 */
public final class ModelRegistry {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ModelRegistry.class);

    static final String CHECKPOINT_MAGIC = "ganserve-checkpoint-v1";
    static final String GENERATOR_MAGIC = "ganserve-generator-v1";
    private static final java.util.regex.Pattern CHECKPOINT_NAME = java.util.regex.Pattern.compile("step-(\\d+)\\.ckpt");

    private final Path jobsDir;
    private final ObjectMapper json;
    private final int keepCheckpoints;

    /**
     * The registry's JSON: unlike the API, which refuses unknown fields, stored files are read
     * leniently, so a registry written by an older or newer version still loads (absent fields take
     * their neutral values, unknown ones are ignored).
     */
    static ObjectMapper storageMapper() {
        return tools.jackson.databind.json.JsonMapper.builder()
                .disable(tools.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(tools.jackson.databind.DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .build();
    }

    public ModelRegistry(Path root, int keepCheckpoints) {
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

    /** Job records as versions before the job store kept them (job.json files), for moving into the store. */
    public List<Job> loadJobs() {
        List<Job> jobs = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(jobsDir)) {
            for (Path dir : dirs.toList()) {
                Path file = dir.resolve("job.json");
                if (Files.isRegularFile(file)) {
                    try {
                        jobs.add(json.readValue(file.toFile(), Job.class));
                    } catch (RuntimeException unreadable) {
                        log.warn("skipping unreadable job record {}: {}", file, unreadable.getMessage());
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
        writeAtomically(file, out -> {
            out.writeUTF(CHECKPOINT_MAGIC);
            out.writeLong(step);
            state.write(out);
        });
        pruneCheckpoints(jobId);
        return new Checkpoint(jobId, step, file);
    }

    public Optional<Checkpoint> latestCheckpoint(String jobId) {
        return checkpoints(jobId).stream().max(Comparator.comparingLong(Checkpoint::step));
    }

    /** Opens a checkpoint positioned after its header, where the trainer's state begins. */
    public <T> T readCheckpoint(Checkpoint checkpoint, Reader<T> reader) {
        return read(checkpoint.file(), CHECKPOINT_MAGIC, reader);
    }

    public void saveGenerator(ModelInfo info, Writer parameters) {
        Path dir = jobDir(info.jobId());
        writeAtomically(dir.resolve("generator.bin"), out -> {
            out.writeUTF(GENERATOR_MAGIC);
            out.writeLong(info.step());
            parameters.write(out);
        });
        writeAtomically(dir.resolve("model.json"), out -> out.write(json.writeValueAsBytes(info)));
    }

    /** What a run is training, written when it starts, so its checkpoints can be served mid-run. */
    public void saveRunInfo(ModelInfo info) {
        writeAtomically(jobDir(info.jobId()).resolve("network.json"), out -> out.write(json.writeValueAsBytes(info)));
    }

    public Optional<ModelInfo> runInfo(String jobId) {
        Path file = jobDir(jobId).resolve("network.json");
        return Files.isRegularFile(file) ? Optional.of(json.readValue(file.toFile(), ModelInfo.class)) : Optional.empty();
    }

    public <T> T readGenerator(String jobId, Reader<T> reader) {
        return read(jobDir(jobId).resolve("generator.bin"), GENERATOR_MAGIC, reader);
    }

    public Optional<ModelInfo> model(String jobId) {
        Path file = jobDir(jobId).resolve("model.json");
        if (!Files.isRegularFile(file) || !Files.isRegularFile(jobDir(jobId).resolve("generator.bin"))) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(file.toFile(), ModelInfo.class));
        } catch (RuntimeException unreadable) {
            log.warn("skipping unreadable model description {}: {}", file, unreadable.getMessage());
            return Optional.empty();
        }
    }

    public List<ModelInfo> models() {
        if (!Files.isDirectory(jobsDir)) {
            return List.of(); // a volume not mounted (yet): nothing to serve, not an error to log every few seconds
        }
        try (Stream<Path> dirs = Files.list(jobsDir)) {
            return dirs.map(d -> d.getFileName().toString())
                    .map(this::model)
                    .flatMap(Optional::stream)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    /** The best-scoring generator kept so far: what {@code checkpoint=best} serves. */
    public record BestModel(ModelInfo model, String metric, double score) {}

    /** Keeps {@code parameters} as the job's best generator; the description is written last, so it never names missing weights. */
    public void saveBest(BestModel best, Writer parameters) {
        Path dir = jobDir(best.model().jobId()).resolve("best");
        writeAtomically(dir.resolve("generator.bin"), out -> {
            out.writeUTF(GENERATOR_MAGIC);
            out.writeLong(best.model().step());
            parameters.write(out);
        });
        writeAtomically(dir.resolve("best.json"), out -> out.write(json.writeValueAsBytes(best)));
    }

    public Optional<BestModel> best(String jobId) {
        Path file = jobDir(jobId).resolve("best").resolve("best.json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(file.toFile(), BestModel.class));
        } catch (RuntimeException unreadable) {
            log.warn("ignoring unreadable best-model record {}: {}", file, unreadable.getMessage());
            return Optional.empty();
        }
    }

    public <T> T readBestGenerator(String jobId, Reader<T> reader) {
        return read(jobDir(jobId).resolve("best").resolve("generator.bin"), GENERATOR_MAGIC, reader);
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

    private static <T> T read(Path file, String magic, Reader<T> reader) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            String found = in.readUTF();
            if (!magic.equals(found)) {
                throw new IOException(file + " is not a " + magic + " file");
            }
            in.readLong();
            return reader.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
