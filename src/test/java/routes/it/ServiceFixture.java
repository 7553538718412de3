package routes.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import static routes.support.Await.awaitValue;

/**
 * What one integration test owns: a Redis queue name (every key starts with it), a PostgreSQL schema, and the
 * service processes it started. After the test, pass or fail, the processes are killed, the {@code <queue>*}
 * keys deleted and the schema dropped; on failure the processes' output is printed first.
 */
final class ServiceFixture implements BeforeEachCallback, AfterEachCallback {

    static final String REDIS_HOST = "127.0.0.1";
    static final int REDIS_PORT = 6379;
    static final String DB_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    static final String DB_USER = "postgres";

    /** Ports 5100-5199 are ours on this machine; others use 5000-5099. */
    private static final int FIRST_PORT = 5100;
    private static final int LAST_PORT = 5199;
    private static final AtomicInteger NEXT_PORT = new AtomicInteger(FIRST_PORT);
    private static final Duration STEADY_FOR = Duration.ofSeconds(1);

    private String queue;
    private String schema;
    private Path logDir;
    private JedisPooled redis;
    private Connection database;
    private final List<ServiceProcess> processes = new ArrayList<>();

    /** The rows the test pushed and the table holds. */
    record StoredCounts(long rows, long distinctUuids, long distinctSeqs) {
    }

    /** A look at the whole pipeline at one moment. */
    record Progress(long waiting, long claimed, StoredCounts stored, boolean steady) {
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        String token = HexFormat.of().formatHex(random);
        queue = "it-msglog-" + token;
        schema = "it_msglog_" + token;
        logDir = Path.of("target", "it-logs", context.getRequiredTestClass().getSimpleName(),
                context.getRequiredTestMethod().getName() + "-" + token);
        redis = new JedisPooled(REDIS_HOST, REDIS_PORT);
        processes.clear();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        List<Exception> problems = new ArrayList<>();
        if (context.getExecutionException().isPresent()) {
            System.out.println("===== " + context.getDisplayName() + " failed; queue " + queue + ", schema " + schema
                    + ", logs in " + logDir.toAbsolutePath());
            processes.forEach(process -> System.out.println(process.output()));
        }
        // processes first: a live one would write its heartbeat key or rows again
        for (ServiceProcess process : processes) {
            try {
                process.destroy();
            } catch (RuntimeException e) {
                problems.add(e);
            }
        }
        try {
            deleteKeys();
        } catch (RuntimeException e) {
            problems.add(e);
        }
        try (Connection connection = DriverManager.getConnection(DB_URL, DB_USER, "");
             Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
        } catch (SQLException e) {
            problems.add(e);
        }
        closeQuietly();
        if (!problems.isEmpty()) {
            Exception first = problems.get(0);
            problems.subList(1, problems.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    String queue() {
        return queue;
    }

    /** The test's PostgreSQL schema (DB_SCHEMA of its services). */
    String schema() {
        return schema;
    }

    String processingKey(String instanceId) {
        return queue + ":processing:" + instanceId;
    }

    String aliveKey(String instanceId) {
        return queue + ":alive:" + instanceId;
    }

    /** A client of the test's Redis; thread-safe. */
    JedisPooled redis() {
        return redis;
    }

    /**
     * Starts a service on this test's queue and schema with a fresh HTTP port; {@code settings} are environment
     * variables that override the defaults (BATCH_SIZE, ...). Not yet ready when it returns.
     */
    ServiceProcess start(String instanceId, Map<String, String> settings) {
        Map<String, String> environment = new HashMap<>();
        environment.put("HTTP_PORT", Integer.toString(freePort()));
        environment.put("MANAGEMENT_PORT", Integer.toString(freePort()));
        environment.put("FEED_PORT", Integer.toString(freePort()));
        environment.put("REDIS_URL", "redis://" + REDIS_HOST + ":" + REDIS_PORT);
        environment.put("REDIS_QUEUE", queue);
        environment.put("DB_URL", DB_URL);
        environment.put("DB_USER", DB_USER);
        environment.put("DB_SCHEMA", schema);
        environment.put("DRAIN_INSTANCE_ID", instanceId);
        environment.putAll(settings);
        long runsOfInstance = processes.stream().filter(p -> p.instanceId().equals(instanceId)).count();
        ServiceProcess process = ServiceProcess.start(instanceId + "-" + (runsOfInstance + 1), environment, logDir);
        processes.add(process);
        return process;
    }

    /** Fails at once when a service this test did not stop has died. */
    void assertServicesRunning() {
        processes.forEach(ServiceProcess::assertRunning);
    }

    /** LPUSHes the entries as other services would, in one pipeline. */
    void push(List<String> entries) {
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (int from = 0; from < entries.size(); from += 1000) {
                List<String> chunk = entries.subList(from, Math.min(from + 1000, entries.size()));
                pipeline.lpush(queue, chunk.toArray(new String[0]));
            }
            pipeline.sync();
        }
    }

    long queueLength() {
        return redis.llen(queue);
    }

    long processingLength(String instanceId) {
        return redis.llen(processingKey(instanceId));
    }

    /** Entries on every {@code <queue>:processing:*} list, of live and dead instances alike. */
    long claimedByAnyInstance() {
        long claimed = 0;
        for (String key : keys(queue + ":processing:*")) {
            claimed += redis.llen(key);
        }
        return claimed;
    }

    /** Counts in the test's message_exchange; zeros until the service has created it. */
    synchronized StoredCounts stored() throws SQLException {
        try (Statement statement = database().createStatement();
             ResultSet result = statement.executeQuery("SELECT count(*), count(DISTINCT message_uuid), "
                     + "count(DISTINCT message_data->>'seq') FROM \"" + schema + "\".message_exchange")) {
            result.next();
            return new StoredCounts(result.getLong(1), result.getLong(2), result.getLong(3));
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState()) || "3F000".equals(e.getSQLState())) {
                return new StoredCounts(0, 0, 0);
            }
            throw e;
        }
    }

    long storedRows() throws SQLException {
        return stored().rows();
    }

    /** Every message_uuid in the test's message_exchange. */
    synchronized Set<String> storedUuids() throws SQLException {
        Set<String> uuids = new HashSet<>();
        try (Statement statement = database().createStatement();
             ResultSet result = statement.executeQuery("SELECT message_uuid FROM \"" + schema + "\".message_exchange")) {
            while (result.next()) {
                uuids.add(result.getString(1));
            }
        }
        return uuids;
    }

    /** Messages the service gave up on (message_dead_letter); zero when that table does not exist. */
    synchronized long deadLetters() throws SQLException {
        try (Statement statement = database().createStatement();
             ResultSet result = statement.executeQuery("SELECT count(*) FROM \"" + schema + "\".message_dead_letter")) {
            result.next();
            return result.getLong(1);
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState()) || "3F000".equals(e.getSQLState())) {
                return 0;
            }
            throw e;
        }
    }

    /**
     * Waits until nothing waits on the queue, no instance holds a claim, and the row count has not moved for a
     * second; fails at once if a service this test did not stop dies meanwhile.
     */
    StoredCounts awaitSettled(Duration timeout) {
        long[] lastRows = {-1};
        long[] unchangedSince = {System.nanoTime()};
        return awaitValue(timeout, () -> {
            assertServicesRunning();
            long waiting = queueLength();
            long claimed = claimedByAnyInstance();
            StoredCounts stored = stored();
            long now = System.nanoTime();
            if (waiting > 0 || claimed > 0 || stored.rows() != lastRows[0]) {
                lastRows[0] = stored.rows();
                unchangedSince[0] = now;
            }
            return new Progress(waiting, claimed, stored, now - unchangedSince[0] >= STEADY_FOR.toNanos());
        }, Progress::steady, "the queue drains, every claim is acknowledged and the row count stays put").stored();
    }

    private Connection database() throws SQLException {
        if (database == null || !database.isValid(2)) {
            database = DriverManager.getConnection(DB_URL, DB_USER, "");
        }
        return database;
    }

    private List<String> keys(String pattern) {
        List<String> keys = new ArrayList<>();
        ScanParams params = new ScanParams().match(pattern).count(1000);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = redis.scan(cursor, params);
            keys.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
        return keys;
    }

    private void deleteKeys() {
        List<String> keys = keys(queue + "*");
        if (!keys.isEmpty()) {
            redis.del(keys.toArray(new String[0]));
        }
    }

    private void closeQuietly() {
        try {
            if (database != null) {
                database.close();
            }
        } catch (SQLException ignored) {
            // the test is over; a broken connection is of no interest any more
        }
        database = null;
        redis.close();
    }

    /** The next port in our range that nothing listens on. */
    private static int freePort() {
        for (int attempt = 0; attempt <= LAST_PORT - FIRST_PORT; attempt++) {
            int port = NEXT_PORT.getAndUpdate(p -> p >= LAST_PORT ? FIRST_PORT : p + 1);
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress("0.0.0.0", port));
                return port;
            } catch (IOException inUse) {
                // taken: try the next one
            }
        }
        throw new IllegalStateException("No free port in " + FIRST_PORT + "-" + LAST_PORT);
    }
}
