package io.ganserve.storage;

import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;

/**
 * Named by {@code spring.datasource.hikari.exception-override-class-name}. When H2 cannot write its
 * file (a full disk) it closes the database, and every pooled connection then fails with "Database
 * is already closed" for good: SQL states Hikari does not take for a broken connection. Evicting
 * them makes the pool open new connections, which reopen the database once it can be written again.
 */
public final class H2ClosedDatabaseOverride implements SQLExceptionOverride {

    /** DATABASE_IS_CLOSED, DATABASE_CALLED_AT_SHUTDOWN, IO_EXCEPTION_1, IO_EXCEPTION_2, FILE_CORRUPTED */
    private static final int[] BROKEN = {90098, 90121, 90028, 90031, 90030};

    @java.lang.Override
    public Override adjudicate(SQLException e) {
        for (int code : BROKEN) {
            if (e.getErrorCode() == code) {
                return Override.MUST_EVICT;
            }
        }
        return Override.CONTINUE_EVICT;
    }
}
