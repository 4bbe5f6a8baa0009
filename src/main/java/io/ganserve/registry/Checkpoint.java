package io.ganserve.registry;

import java.nio.file.Path;

/** A checkpoint file on disk: the trainer's full state after {@code step} generator steps. */
public record Checkpoint(String jobId, long step, Path file) {

    public long sizeBytes() {
        try {
            return java.nio.file.Files.size(file);
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
