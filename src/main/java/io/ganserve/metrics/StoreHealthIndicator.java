package io.ganserve.metrics;

import io.ganserve.storage.OutOfSpace;
import io.ganserve.jobs.TrainingProperties;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Down while the data directory cannot take a small write (a full disk) or the job store does not
 * answer; up again by itself once they do. A probe write rather than free-space arithmetic: quotas,
 * reserved blocks and inode exhaustion all show up as a failed write and nothing else.
 */
@Component("store")
public class StoreHealthIndicator implements HealthIndicator {

    private static final int PROBE_BYTES = 4096;

    private final Path dataDir;
    private final DataSource dataSource;

    public StoreHealthIndicator(TrainingProperties training, DataSource dataSource) {
        this.dataDir = training.dataDir();
        this.dataSource = dataSource;
    }

    @Override
    public Health health() {
        Path probe = dataDir.resolve(".write-probe");
        try (FileChannel out = FileChannel.open(probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(ByteBuffer.allocate(PROBE_BYTES));
            out.force(false); // tmpfs and some others only refuse the blocks here
        } catch (IOException e) {
            return Health.down().withDetail("dataDir", OutOfSpace.describe(e)).build();
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException ignored) {
                // the next probe truncates it
            }
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
        } catch (Exception e) {
            return Health.down().withDetail("jobStore", OutOfSpace.describe(e)).build();
        }
        return Health.up().build();
    }
}
