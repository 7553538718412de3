package routes.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.camel.test.main.junit5.CamelMainTest;

import routes.config.ConfigKeys;

/**
 * What one route test class owns while it runs: free HTTP, management and feed ports, a database schema, a Redis
 * queue name and a drain instance id, all unique to this run, in the shared database {@code test} with a small pool.
 * They reach the application as system properties under its own keys ({@code http.port}, {@code db.schema}, ...):
 * Camel reads a system property before application.properties, as it would {@code -Dhttp.port=...} on the command
 * line, so no test class repeats them. Surefire runs one test class at a time in its JVM (no {@code parallel}, no
 * parallel Jupiter execution), so one set of names at a time is enough; they are published when the test instance is
 * made, before the application boots, and cleared once it has stopped.
 * <p>
 * A key the class's own {@code @CamelMainTest} properties set (a {@code db.url} through a proxy the test cuts) is not
 * published: Camel would read the system property before the annotation's value.
 */
public final class OwnedResources {

    private final Map<String, String> published = new LinkedHashMap<>();
    private final int httpPort;
    private final int managementPort;
    private final int feedPort;
    private final String schema;
    private final String queueName;
    private final String instanceId;

    private OwnedResources(Class<?> testClass) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String slug = testClass.getSimpleName().replaceAll("(Route)?Test$", "")
                .replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
        this.httpPort = freePort();
        this.managementPort = freePort();
        this.feedPort = freePort();
        this.schema = "rt_" + slug + "_" + run;
        this.queueName = "rt:" + slug + ":" + run;
        this.instanceId = "rt-" + slug + "-" + run;
    }

    /** Picks this run's names and publishes them, with the test database, for the application to read. */
    public static OwnedResources claimFor(Class<?> testClass) {
        OwnedResources owned = new OwnedResources(testClass);
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(ConfigKeys.HTTP_PORT, Integer.toString(owned.httpPort));
        properties.put(ConfigKeys.MANAGEMENT_PORT, Integer.toString(owned.managementPort));
        properties.put(ConfigKeys.FEED_PORT, Integer.toString(owned.feedPort));
        properties.put(ConfigKeys.DB_URL, MessageTable.DB_URL);
        properties.put(ConfigKeys.DB_POOL_SIZE, "2");
        properties.put(ConfigKeys.DB_SCHEMA, owned.schema);
        properties.put(ConfigKeys.REDIS_QUEUE, owned.queueName);
        properties.put(ConfigKeys.DRAIN_INSTANCE_ID, owned.instanceId);
        Set<String> setByTheClass = keysSetBy(testClass);
        properties.forEach((key, value) -> {
            if (setByTheClass.contains(key)) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, value);
                owned.published.put(key, value);
            }
        });
        return owned;
    }

    private static Set<String> keysSetBy(Class<?> testClass) {
        CamelMainTest test = testClass.getAnnotation(CamelMainTest.class);
        if (test == null) {
            return Set.of();
        }
        return Arrays.stream(test.properties()).map(property -> property.substring(0, property.indexOf('=')))
                .collect(Collectors.toSet());
    }

    public int httpPort() {
        return httpPort;
    }

    /** The port of the management server (health, metrics), never the fixed default. */
    public int managementPort() {
        return managementPort;
    }

    /** The port of the live feed's WebSocket server. */
    public int feedPort() {
        return feedPort;
    }

    public String schema() {
        return schema;
    }

    public String queueName() {
        return queueName;
    }

    public String instanceId() {
        return instanceId;
    }

    /** Drops the schema and every Redis key under the queue's name; call once the application has stopped. */
    public void release() {
        try (TestQueue queue = new TestQueue(queueName)) {
            queue.deleteAll();
        } finally {
            new MessageTable(schema).dropSchema();
            published.keySet().forEach(System::clearProperty);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }
}
