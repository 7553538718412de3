package routes.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A PostgreSQL server of our own on 127.0.0.1, from the binaries io.zonky's jars ship, its data in one folder that
 * outlives it (initialised on first use). As root it runs in a user namespace (zonky's {@code unshare -U}), since
 * PostgreSQL refuses to run as root.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    /** Long enough for initdb and the first start on a slow machine, and for a recovery after a crash. */
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * Starts on {@code port}, with user postgres (trust) and database postgres. {@code durable}: fsync and synchronous
     * commits on, as data that must survive needs (zonky turns both off, which suits throw-away test data). Its output
     * goes to {@code logFile}.
     */
    public static EmbeddedPostgresServer start(Path dataDirectory, Path logFile, int port, boolean durable) throws IOException {
        Files.createDirectories(dataDirectory);
        LeftoverServer.stop(dataDirectory.resolve("postmaster.pid"), "postgres");
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                // the service stops it after its last batch; zonky's own hook would race Camel's graceful stop
                .setRegisterShutdownHook(false)
                .setPort(port)
                .setPGStartupWait(STARTUP_WAIT)
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        if (durable) {
            builder.setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on");
        }
        return new EmbeddedPostgresServer(builder.start());
    }

    public int port() {
        return postgres.getPort();
    }

    /** A JDBC URL of one of its databases, for user postgres without a password. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    /** Fast shutdown (pg_ctl stop -m fast): open sessions end, a checkpoint is written. */
    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
