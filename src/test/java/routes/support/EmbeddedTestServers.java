package routes.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import routes.config.EmbeddedPostgresServer;
import routes.config.EmbeddedRedisServer;

/**
 * The servers the tests connect to (127.0.0.1:5432, database test, user postgres without a password; 127.0.0.1:6379),
 * for a machine that has none: once per test JVM (surefire's and failsafe's each), whichever does not answer is started
 * embedded on that very port, with throw-away data, until the JVM's tests are done. The services that failsafe's tests
 * start as processes connect to them too. Where the real servers run (.ci/run) it starts nothing.
 */
public final class EmbeddedTestServers implements LauncherSessionListener {

    private static final String HOST = "127.0.0.1";
    private static final int POSTGRES_PORT = 5432;
    private static final int REDIS_PORT = 6379;

    private EmbeddedPostgresServer postgres;
    private EmbeddedRedisServer redis;
    private Path dataDirectory;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        boolean needPostgres = !answers(POSTGRES_PORT);
        boolean needRedis = !answers(REDIS_PORT);
        if (!needPostgres && !needRedis) {
            return;
        }
        try {
            dataDirectory = Files.createTempDirectory("message-logger-test-servers");
            if (needPostgres) {
                postgres = EmbeddedPostgresServer.start(dataDirectory.resolve("postgres"),
                        dataDirectory.resolve("postgres.log"), POSTGRES_PORT, false);
                createTestDatabase();
            }
            if (needRedis) {
                redis = EmbeddedRedisServer.start(dataDirectory.resolve("redis"), dataDirectory.resolve("redis.log"),
                        REDIS_PORT, false);
            }
        } catch (IOException | RuntimeException e) {
            Path data = dataDirectory;
            stop();
            throw new IllegalStateException("Tests: cannot start embedded servers in " + data + ": " + e.getMessage(), e);
        }
        // a fork killed by a timeout never closes its session
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "embedded-test-servers-stop"));
        List<String> started = new ArrayList<>();
        if (postgres != null) {
            started.add("PostgreSQL on " + HOST + ":" + POSTGRES_PORT + " (database test)");
        }
        if (redis != null) {
            started.add("Redis on " + HOST + ":" + REDIS_PORT);
        }
        System.out.println("Tests: nothing answered there, so this test JVM started an embedded "
                + String.join(" and an embedded ", started) + "; throw-away data in " + dataDirectory);
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        stop();
    }

    private synchronized void stop() {
        if (redis != null) {
            redis.close();
            redis = null;
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                System.err.println("Tests: stopping the embedded PostgreSQL: " + e);
            }
            postgres = null;
        }
        if (dataDirectory != null) {
            deleteTree(dataDirectory);
            dataDirectory = null;
        }
    }

    /** The database every test's schema lives in (MessageTable.DB_URL). */
    private void createTestDatabase() throws IOException {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl("postgres"), "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE test");
        } catch (SQLException e) {
            throw new IOException("cannot create database test: " + e.getMessage(), e);
        }
    }

    private static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 1000);
            return true;
        } catch (IOException nothing) {
            return false;
        }
    }

    private static void deleteTree(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("Tests: cannot remove " + directory + ": " + e);
        }
    }
}
