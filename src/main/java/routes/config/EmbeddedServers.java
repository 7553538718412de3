package routes.config;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static routes.config.ConfigKeys.DB_URL;
import static routes.config.ConfigKeys.EMBEDDED;
import static routes.config.ConfigKeys.EMBEDDED_DATA_DIR;
import static routes.config.ConfigKeys.REDIS_URL;

/**
 * PostgreSQL and Redis of the service's own, so that it runs on a machine with neither: each stands in for db.url or
 * redis.url while that is left at its default, when nothing answers there (embedded=auto) or whatever answers
 * (embedded=always, then on free ports). Their data stays in embedded.data-dir, so a restart keeps every message;
 * they stop when the service stops.
 */
public final class EmbeddedServers implements AutoCloseable {

    /** The values of the {@code embedded} setting. */
    public enum Mode { AUTO, ALWAYS, NEVER }

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServers.class);
    private static final String HOST = "127.0.0.1";
    private static final int POSTGRES_PORT = 5432;
    private static final int REDIS_PORT = 6379;
    /** db.url's default in application.properties: the one value an embedded PostgreSQL replaces. */
    public static final String DEFAULT_DB_URL = "jdbc:postgresql://" + HOST + ":" + POSTGRES_PORT + "/postgres";
    /** redis.url's default in application.properties: the one value an embedded Redis replaces. */
    public static final String DEFAULT_REDIS_URL = "redis://" + HOST + ":" + REDIS_PORT;
    private static final int PROBE_TIMEOUT_MILLIS = 1000;

    private final Path dataDirectory;
    private final FileLock lock;
    private final EmbeddedPostgresServer postgres;
    private final EmbeddedRedisServer redis;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private EmbeddedServers(Path dataDirectory, FileLock lock, EmbeddedPostgresServer postgres, EmbeddedRedisServer redis) {
        this.dataDirectory = dataDirectory;
        this.lock = lock;
        this.postgres = postgres;
        this.redis = redis;
    }

    /**
     * Decides for db.url and redis.url (as {@code properties} resolves them) and starts what is needed; logs one line
     * when it started anything. A killed run's servers still running on the data folder are stopped first.
     */
    public static EmbeddedServers start(Settings.EmbeddedSettings settings, Function<String, String> properties) {
        boolean dbAtDefault = DEFAULT_DB_URL.equals(trimmed(properties.apply(DB_URL)));
        boolean redisAtDefault = DEFAULT_REDIS_URL.equals(trimmed(properties.apply(REDIS_URL)));
        Mode mode = settings.mode();
        if (mode == Mode.NEVER || !dbAtDefault && !redisAtDefault) {
            return new EmbeddedServers(null, null, null, null);
        }
        Path data = settings.dataDirectory().toAbsolutePath().normalize();
        // a folder that does not exist yet holds no leftovers: auto creates it only when it embeds something
        FileLock lock = mode == Mode.ALWAYS || Files.isDirectory(data) ? lock(data) : null;
        try {
            if (lock != null) {
                // before looking at the ports: a leftover on a default port would pass for a real server
                LeftoverServer.stop(data.resolve("postgres").resolve("postmaster.pid"), "postgres");
                LeftoverServer.stop(data.resolve("redis").resolve("redis.pid"), "redis-server");
            }
            boolean embedPostgres = dbAtDefault && (mode == Mode.ALWAYS || !answers(POSTGRES_PORT));
            boolean embedRedis = redisAtDefault && (mode == Mode.ALWAYS || !answers(REDIS_PORT));
            if (!embedPostgres && !embedRedis) {
                release(lock);
                return new EmbeddedServers(null, null, null, null);
            }
            if (lock == null) {
                lock = lock(data);
            }
            if (lock == null) {
                throw new ConfigurationException(EMBEDDED_DATA_DIR, data + " is in use by another running message-logger;"
                        + " give this one a folder of its own");
            }
            EmbeddedServers servers = startServers(data, lock, embedPostgres, embedRedis, mode);
            LOG.info(servers.startLine(mode));
            return servers;
        } catch (IOException | RuntimeException e) {
            release(lock);
            throw e instanceof ConfigurationException bad ? bad
                    : new ConfigurationException(EMBEDDED, "cannot start the embedded servers in " + data + ": " + e.getMessage());
        }
    }

    private static EmbeddedServers startServers(Path data, FileLock lock, boolean embedPostgres, boolean embedRedis,
                                                Mode mode) throws IOException {
        EmbeddedPostgresServer postgres = null;
        if (embedPostgres) {
            int port = mode == Mode.ALWAYS ? freePort() : POSTGRES_PORT;
            postgres = EmbeddedPostgresServer.start(data.resolve("postgres"), data.resolve("postgres.log"), port, true);
        }
        try {
            EmbeddedRedisServer redis = null;
            if (embedRedis) {
                int port = mode == Mode.ALWAYS ? freePort() : REDIS_PORT;
                redis = EmbeddedRedisServer.start(data.resolve("redis"), data.resolve("redis.log"), port, true);
            }
            return new EmbeddedServers(data, lock, postgres, redis);
        } catch (IOException | RuntimeException e) {
            if (postgres != null) {
                postgres.close();
            }
            throw e;
        }
    }

    /** True when nothing was embedded: db.url and redis.url are used as they are. */
    public boolean isEmpty() {
        return postgres == null && redis == null;
    }

    /** {@code properties} with db.url and redis.url pointing at the embedded servers where there are some. */
    public Function<String, String> urlsIn(Function<String, String> properties) {
        return key -> {
            if (DB_URL.equals(key) && postgres != null) {
                return postgres.jdbcUrl("postgres");
            }
            if (REDIS_URL.equals(key) && redis != null) {
                return "redis://" + HOST + ":" + redis.port();
            }
            return properties.apply(key);
        };
    }

    /**
     * Also stops the servers when the JVM exits without the service stopping them (a start that failed half-way). On
     * SIGTERM the service stops its routes first, and their last batch needs both servers: while {@code serviceRunning}
     * this waits for that, at most {@code patience}.
     */
    public void stopOnExit(BooleanSupplier serviceRunning, Duration patience) {
        if (isEmpty()) {
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (serviceRunning.getAsBoolean()) {
                try {
                    stopped.await(patience.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            close();
        }, "embedded-servers-stop"));
    }

    /** Stops Redis (its append-only file written) and PostgreSQL (a fast shutdown); then frees the data folder. */
    @Override
    public synchronized void close() {
        if (isEmpty() || stopped.getCount() == 0) {
            return;
        }
        try {
            if (redis != null) {
                redis.close();
            }
            if (postgres != null) {
                postgres.close();
            }
            LOG.info("Embedded servers stopped; their data stays in {}", dataDirectory);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Stopping the embedded servers: {}", e.toString());
        } finally {
            release(lock);
            stopped.countDown();
        }
    }

    private String startLine(Mode mode) {
        List<String> embedded = new ArrayList<>();
        List<String> settings = new ArrayList<>();
        if (postgres != null) {
            embedded.add("PostgreSQL on " + HOST + ":" + postgres.port());
            settings.add(ConfigKeys.envName(DB_URL));
        }
        if (redis != null) {
            embedded.add("Redis on " + HOST + ":" + redis.port());
            settings.add(ConfigKeys.envName(REDIS_URL));
        }
        String why = mode == Mode.ALWAYS ? "embedded=always" : "nothing answered at the default "
                + (postgres != null && redis != null ? "db.url and redis.url" : postgres != null ? "db.url" : "redis.url");
        return "Embedded " + String.join(" and ", embedded) + " (" + why + "), data in " + dataDirectory
                + "; to use real servers set " + String.join(" and ", settings) + ", or EMBEDDED=never";
    }

    /** The data folder's lock, held while our servers run on it; null when another live process holds it. */
    private static FileLock lock(Path data) {
        try {
            Files.createDirectories(data);
            FileChannel channel = FileChannel.open(data.resolve("embedded.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException heldInThisJvm) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
            }
            return lock;
        } catch (IOException e) {
            throw new ConfigurationException(EMBEDDED_DATA_DIR, "cannot use " + data + ": " + e.getMessage());
        }
    }

    private static void release(FileLock lock) {
        if (lock == null) {
            return;
        }
        try {
            lock.release();
            lock.channel().close();
        } catch (IOException ignored) {
            // the lock goes with the channel, and the channel with the process
        }
    }

    private static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), PROBE_TIMEOUT_MILLIS);
            return true;
        } catch (IOException nothing) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(HOST, 0));
            return socket.getLocalPort();
        }
    }

    private static String trimmed(String value) {
        return value == null ? "" : value.trim();
    }
}
