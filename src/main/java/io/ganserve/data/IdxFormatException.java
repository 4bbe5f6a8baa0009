package io.ganserve.data;

import java.nio.file.Path;

/** An IDX file that cannot be trusted: wrong magic number, truncated, or inconsistent dimensions. */
public class IdxFormatException extends RuntimeException {

    // Path is not Serializable; the file name is already part of the message.
    private final transient Path file;

    public IdxFormatException(Path file, String problem) {
        super("IDX file " + file + ": " + problem);
        this.file = file;
    }

    public IdxFormatException(Path file, String problem, Throwable cause) {
        super("IDX file " + file + ": " + problem, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
