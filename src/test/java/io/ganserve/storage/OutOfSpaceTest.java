package io.ganserve.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.SQLExceptionOverride;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class OutOfSpaceTest {

    @Test
    void aFullDiskIsRecognisedUnderAnyWrappingAndNamedFirst() {
        var wrapped = new IllegalStateException("checkpoint of job j failed",
                new UncheckedIOException("writing step-100.ckpt", new IOException("No space left on device")));
        assertThat(OutOfSpace.causes(wrapped)).isTrue();
        assertThat(OutOfSpace.describe(wrapped))
                .isEqualTo("no space left on device: checkpoint of job j failed");

        var fs = new FileSystemException("/data/jobs/j/evaluations.json.tmp", null, "No space left on device");
        assertThat(OutOfSpace.causes(new UncheckedIOException(fs))).isTrue();
    }

    @Test
    void otherFailuresKeepTheirOwnMessage() {
        var other = new IllegalStateException("loss is NaN at step 7", new IOException("Permission denied"));
        assertThat(OutOfSpace.causes(other)).isFalse();
        assertThat(OutOfSpace.describe(other)).isEqualTo("loss is NaN at step 7");
        assertThat(OutOfSpace.describe(new NullPointerException())).isEqualTo("NullPointerException");
    }

    @Test
    void connectionsToADatabaseH2ClosedAreEvictedOthersAreLeftToHikari() {
        var override = new H2ClosedDatabaseOverride();
        assertThat(override.adjudicate(new SQLException("Database is already closed", "90098", 90098)))
                .isEqualTo(SQLExceptionOverride.Override.MUST_EVICT);
        assertThat(override.adjudicate(new SQLException("Table JOBS not found", "42S02", 42102)))
                .isEqualTo(SQLExceptionOverride.Override.CONTINUE_EVICT);
    }
}
