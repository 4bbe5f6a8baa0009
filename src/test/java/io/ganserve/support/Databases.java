package io.ganserve.support;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Databases for store tests, each migrated by the service's own Flyway scripts: an in-memory H2, and
 * a PostgreSQL — Testcontainers' where a Docker engine runs, else the machine's own on
 * 127.0.0.1:5432 (this project's CI machines run one), each test in a schema of its own.
 */
public final class Databases {

    /** Reachable at {@code url} as {@code user}; {@link #close} drops what the test made. */
    public record Database(String kind, String url, String user, String password, DataSource dataSource,
                           Runnable cleanUp) implements AutoCloseable {
        @Override
        public void close() {
            cleanUp.run();
        }

        @Override
        public String toString() {
            return kind;
        }
    }

    private static PostgreSQLContainer container;

    private Databases() {
    }

    public static Database h2() {
        String url = "jdbc:h2:mem:jobs-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        DataSource ds = new DriverManagerDataSource(url, "sa", "");
        migrate(ds, null);
        return new Database("h2", url, "sa", "", ds, () -> new JdbcTemplate(ds).execute("SHUTDOWN"));
    }

    /** Empty when there is neither a Docker engine nor a local server: the caller skips, saying so. */
    public static Optional<Database> postgres() {
        String base;
        String user;
        String password;
        if (dockerAvailable()) {
            synchronized (Databases.class) {
                if (container == null) {
                    container = new PostgreSQLContainer("postgres:16-alpine");
                    container.start();
                }
            }
            base = container.getJdbcUrl();
            user = container.getUsername();
            password = container.getPassword();
        } else if (localServerListening()) {
            base = "jdbc:postgresql://127.0.0.1:5432/test";
            user = "postgres";
            password = "";
        } else {
            return Optional.empty();
        }
        String schema = "jobs_" + UUID.randomUUID().toString().replace("-", "");
        String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        DataSource ds = new DriverManagerDataSource(url, user, password);
        migrate(ds, schema);
        return Optional.of(new Database("postgresql", url, user, password, ds,
                () -> new JdbcTemplate(ds).execute("DROP SCHEMA " + schema + " CASCADE")));
    }

    public static final String NO_POSTGRES = "no PostgreSQL: neither a Docker engine for Testcontainers"
            + " nor a server on 127.0.0.1:5432";

    private static void migrate(DataSource ds, String schema) {
        var config = Flyway.configure().dataSource(ds);
        if (schema != null) {
            config.schemas(schema).createSchemas(true);
        }
        config.load().migrate();
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean localServerListening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 5432), 1000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
