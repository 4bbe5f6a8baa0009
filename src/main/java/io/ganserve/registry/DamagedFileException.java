package io.ganserve.registry;

import java.nio.file.Path;

/**
 * A registry file that cannot be read as what it claims to be: cut short, altered after it was
 * written (its checksum does not match), or holding a record with required fields missing. Names
 * the file relative to the data directory, so an operator can find it.
 */
public final class DamagedFileException extends RuntimeException {

    private final String jobId;
    private final String file;

    public DamagedFileException(String jobId, String file, String reason, Throwable cause) {
        super(file + " of job " + jobId + " is damaged: " + reason, cause);
        this.jobId = jobId;
        this.file = file;
    }

    public String jobId() {
        return jobId;
    }

    /** The file, relative to the data directory ({@code jobs/<id>/generator.bin}). */
    public String file() {
        return file;
    }

    static String relative(Path jobsDir, Path file) {
        return jobsDir.getFileName().resolve(jobsDir.relativize(file)).toString();
    }
}
