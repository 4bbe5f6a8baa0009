package io.ganserve.storage;

import java.nio.file.FileSystemException;
import java.util.Locale;

/**
 * Recognises a write that failed because the disk is full (ENOSPC), however deep the layers above
 * it (the registry, libtorch, H2) wrapped it, so the error can say so plainly instead of naming
 * whichever layer noticed.
 */
public final class OutOfSpace {

    public static final String MESSAGE = "no space left on device";

    private OutOfSpace() {
    }

    public static boolean causes(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t instanceof FileSystemException fs ? fs.getReason() + " " + fs.getMessage() : t.getMessage();
            if (message != null && message.toLowerCase(Locale.ROOT).contains(MESSAGE)) {
                return true;
            }
        }
        return false;
    }

    /** The error's message, led by {@link #MESSAGE} when the disk was full. */
    public static String describe(Throwable error) {
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        if (causes(error) && !message.toLowerCase(Locale.ROOT).startsWith(MESSAGE)) {
            return MESSAGE + ": " + message;
        }
        return message;
    }
}
