package io.ganserve.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Free space checks made before work writes, so that it is refused up front rather than failing halfway. */
public final class DiskSpace {

    private final long minFree;

    /** @param minFree bytes the file system keeps free beyond what work plans to write */
    public DiskSpace(long minFree) {
        this.minFree = minFree;
    }

    /**
     * @param what the work, for the message ("this job's checkpoints and generator")
     * @throws DiskBudgetExceededException when {@code bytes} plus the reserve exceed the free space of {@code dir}'s file system
     */
    public void ensureRoom(Path dir, long bytes, String what) {
        long usable = usable(dir);
        if (usable >= 0 && bytes + minFree > usable) {
            throw new DiskBudgetExceededException(what + " need about " + Bytes.format(bytes) + " of disk, and "
                    + dir + " has " + Bytes.format(usable) + " free, of which " + Bytes.format(minFree)
                    + " is kept free (ganserve.resources.min-free-disk)", bytes, usable, minFree);
        }
    }

    /** Usable bytes of {@code dir}'s file system; −1 when it cannot be read (then nothing is refused for it). */
    public static long usable(Path dir) {
        try {
            Path existing = dir;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            return existing == null ? -1 : Files.getFileStore(existing).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }
}
