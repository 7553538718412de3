package routes.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Locale;
import java.util.UUID;

/**
 * What one test class owns while it runs: free HTTP, management and feed ports, a database schema, a Redis queue name
 * and a drain instance id, all unique to this run. They reach the application as system properties named after
 * the test class ({@code <SimpleName>.http.port}, {@code .management.port}, {@code .feed.port}, {@code .db.schema},
 * {@code .redis.queue}, {@code .drain.instance-id}),
 * which its {@code @CamelMainTest} properties read with {@code {{sys:...}}}: annotation values are constants,
 * and keys per class keep two classes from ever reading each other's values.
 */
public final class OwnedResources {

    private final String prefix;
    private final int httpPort;
    private final int managementPort;
    private final int feedPort;
    private final String schema;
    private final String queueName;
    private final String instanceId;

    private OwnedResources(Class<?> testClass) {
        String name = testClass.getSimpleName();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String slug = name.replaceAll("(Route)?Test$", "").replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
        this.prefix = name;
        this.httpPort = freePort();
        this.managementPort = freePort();
        this.feedPort = freePort();
        this.schema = "rt_" + slug + "_" + run;
        this.queueName = "rt:" + slug + ":" + run;
        this.instanceId = "rt-" + slug + "-" + run;
    }

    /** Picks this run's names and publishes them for the application's property placeholders. */
    public static OwnedResources claimFor(Class<?> testClass) {
        OwnedResources owned = new OwnedResources(testClass);
        System.setProperty(owned.prefix + ".http.port", Integer.toString(owned.httpPort));
        System.setProperty(owned.prefix + ".management.port", Integer.toString(owned.managementPort));
        System.setProperty(owned.prefix + ".feed.port", Integer.toString(owned.feedPort));
        System.setProperty(owned.prefix + ".db.schema", owned.schema);
        System.setProperty(owned.prefix + ".redis.queue", owned.queueName);
        System.setProperty(owned.prefix + ".drain.instance-id", owned.instanceId);
        return owned;
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
            System.clearProperty(prefix + ".http.port");
            System.clearProperty(prefix + ".management.port");
            System.clearProperty(prefix + ".feed.port");
            System.clearProperty(prefix + ".db.schema");
            System.clearProperty(prefix + ".redis.queue");
            System.clearProperty(prefix + ".drain.instance-id");
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
