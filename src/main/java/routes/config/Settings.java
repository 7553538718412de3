package routes.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static routes.config.ConfigKeys.*;

/** Our own settings, parsed and checked once at start-up so a bad value names its key. */
public record Settings(
        int httpPort,
        int ingestMaxMessages,
        long ingestMaxQueueDepth,
        RedisSettings redis,
        String queue,
        String dbUrl,
        String dbUser,
        String dbPassword,
        String dbSchema,
        int dbPoolSize,
        String dbMigrations,
        Duration dbTimeout,
        int batchSize,
        Duration batchInterval,
        String instanceId,
        int maxInFlight,
        int maxAttempts,
        int maxEntryBytes,
        Duration instanceTimeout,
        Duration stallTimeout,
        int queryDefaultLimit,
        int queryMaxLimit,
        int jmxPort,
        String jmxHost,
        String jmxPasswordFile,
        String jmxAccessFile,
        String retention,
        String compressAfter,
        String routesLocation,
        boolean routesReload,
        String routesReloadDirectory,
        FeedSettings feed,
        SecuritySettings security) {

    /** Who may call the API and the feed: see routes.security. */
    public record SecuritySettings(String adminKey, String anonymous, Duration keyRefreshInterval) {
    }

    /** Where Redis is and how to talk to it, from redis.url (redis://[:password@]host[:port][/db], rediss:// for TLS). */
    public record RedisSettings(String host, int port, String username, String password, int database, boolean tls,
                                Duration timeout, int poolSize) {
    }

    /**
     * The live feed: its WebSocket server, the pub/sub channels it relays, how far a client may fall behind, which
     * pages may open it, how many connections it takes, and how long a ticket works.
     */
    public record FeedSettings(String host, int port, String channel, String eventsChannel, int clientBufferBytes,
                               Duration slowClientTimeout, Duration statsInterval, List<String> allowedOrigins,
                               int maxClients, int maxClientsPerKey, Duration ticketTtl) {
    }

    public static Settings load(Function<String, String> properties) {
        Reader r = new Reader(properties);
        int httpPort = r.intIn(HTTP_PORT, 1, 65535);
        int batchSize = r.intIn(BATCH_SIZE, 1, 10_000);
        int maxInFlight = r.intIn(DRAIN_MAX_IN_FLIGHT, 0, 10_000_000);
        int defaultLimit = r.intIn(QUERY_DEFAULT_LIMIT, 1, 100_000);
        int maxLimit = r.intIn(QUERY_MAX_LIMIT, 1, 100_000);
        if (defaultLimit > maxLimit) {
            throw new ConfigurationException(QUERY_DEFAULT_LIMIT, "must not exceed " + QUERY_MAX_LIMIT + " (" + maxLimit + ")");
        }
        int batchInterval = r.intIn(BATCH_INTERVAL, 1, 3_600_000);
        int stallTimeout = r.intIn(DRAIN_STALL_TIMEOUT, 1000, 86_400_000);
        // a lone message waits batch.interval before it is written: that wait is not a stall
        if (stallTimeout <= batchInterval) {
            throw new ConfigurationException(DRAIN_STALL_TIMEOUT, "must be longer than " + BATCH_INTERVAL + " ("
                    + batchInterval + "), got " + stallTimeout);
        }
        String instanceId = r.optional(DRAIN_INSTANCE_ID);
        int instanceTimeout = r.intIn(DRAIN_INSTANCE_TIMEOUT, 1000, 86_400_000);
        int heartbeat = r.intIn(DRAIN_HEARTBEAT_INTERVAL, 100, 86_400_000);
        if (heartbeat * 2L > instanceTimeout) {
            throw new ConfigurationException(DRAIN_HEARTBEAT_INTERVAL, "must be at most half of " + DRAIN_INSTANCE_TIMEOUT
                    + " (" + instanceTimeout + "), got " + heartbeat);
        }
        return new Settings(
                httpPort,
                r.intIn(INGEST_MAX_MESSAGES, 1, 100_000),
                r.intIn(INGEST_MAX_QUEUE_DEPTH, 1, Integer.MAX_VALUE),
                redis(r),
                r.name(REDIS_QUEUE),
                r.jdbcUrl(DB_URL),
                r.required(DB_USER),
                r.optional(DB_PASSWORD),
                r.name(DB_SCHEMA),
                r.intIn(DB_POOL_SIZE, 1, 1000),
                r.required(DB_MIGRATIONS),
                Duration.ofMillis(r.intIn(DB_TIMEOUT, 250, 600_000)),
                batchSize,
                Duration.ofMillis(batchInterval),
                instanceId.isEmpty() ? hostName() + "-" + httpPort : instanceId,
                maxInFlight == 0 ? 4 * batchSize : Math.max(maxInFlight, batchSize),
                r.intIn(DRAIN_MAX_ATTEMPTS, 1, 1000),
                r.intIn(HTTP_MAX_BODY_SIZE, 1024, Integer.MAX_VALUE),
                Duration.ofMillis(instanceTimeout),
                Duration.ofMillis(stallTimeout),
                defaultLimit,
                maxLimit,
                r.intIn(JMX_PORT, 0, 65535),
                r.required(JMX_HOST),
                r.optional(JMX_PASSWORD_FILE),
                r.optional(JMX_ACCESS_FILE),
                r.interval(STORAGE_RETENTION),
                r.interval(STORAGE_COMPRESS_AFTER),
                r.required(ROUTES_LOCATION),
                r.bool(ROUTES_RELOAD),
                r.required(ROUTES_RELOAD_DIRECTORY),
                feed(r, httpPort),
                security(r));
    }

    private static SecuritySettings security(Reader r) {
        String adminKey = r.optional(SECURITY_ADMIN_KEY);
        if (!adminKey.isEmpty() && adminKey.length() < 32) {
            // the value itself is never echoed: it is a secret
            throw new ConfigurationException(SECURITY_ADMIN_KEY, "must be at least 32 characters (a random secret, e.g."
                    + " `openssl rand -base64 32`), got " + adminKey.length());
        }
        String anonymous = r.required(SECURITY_ANONYMOUS);
        if (!java.util.Set.of("loopback", "any", "none").contains(anonymous)) {
            throw new ConfigurationException(SECURITY_ANONYMOUS, "must be loopback, any or none, got '" + anonymous + "'");
        }
        return new SecuritySettings(adminKey, anonymous,
                Duration.ofMillis(r.intIn(SECURITY_KEY_REFRESH_INTERVAL, 100, 60_000)));
    }

    private static FeedSettings feed(Reader r, int httpPort) {
        int port = r.intIn(FEED_PORT, 1, 65535);
        if (port == httpPort) {
            throw new ConfigurationException(FEED_PORT, "must differ from " + HTTP_PORT + " (" + httpPort + ")");
        }
        String channel = r.name(REDIS_CHANNEL);
        String eventsChannel = r.name(REDIS_EVENTS_CHANNEL);
        if (channel.equals(eventsChannel)) {
            throw new ConfigurationException(REDIS_EVENTS_CHANNEL, "must differ from " + REDIS_CHANNEL + " ('" + channel + "')");
        }
        int maxClients = r.intIn(FEED_MAX_CLIENTS, 1, 1_000_000);
        int maxClientsPerKey = r.intIn(FEED_MAX_CLIENTS_PER_KEY, 1, 1_000_000);
        if (maxClientsPerKey > maxClients) {
            throw new ConfigurationException(FEED_MAX_CLIENTS_PER_KEY, "must not exceed " + FEED_MAX_CLIENTS + " ("
                    + maxClients + "), got " + maxClientsPerKey);
        }
        return new FeedSettings(r.required(FEED_HOST), port, channel, eventsChannel,
                r.intIn(FEED_CLIENT_BUFFER, 1024, 64 * 1024 * 1024),
                Duration.ofMillis(r.intIn(FEED_SLOW_CLIENT_TIMEOUT, 100, 600_000)),
                Duration.ofMillis(r.intIn(FEED_STATS_INTERVAL, 100, 60_000)),
                origins(r),
                maxClients,
                maxClientsPerKey,
                Duration.ofSeconds(r.intIn(FEED_TICKET_TTL, 1, 3600)));
    }

    /** self (the service's own pages), * (any page), or origins such as https://dash.example.com:8443; comma-separated. */
    private static List<String> origins(Reader r) {
        List<String> origins = new ArrayList<>();
        for (String entry : r.required(FEED_ALLOWED_ORIGINS).split(",")) {
            String origin = entry.trim();
            if (origin.isEmpty()) {
                continue;
            }
            if (!origin.equals("self") && !origin.equals("*")
                    && !origin.matches("(?i)https?://(\\[[0-9a-f:.]+]|[a-z0-9.\\-]+)(:\\d{1,5})?")) {
                throw new ConfigurationException(FEED_ALLOWED_ORIGINS, "each entry must be self, * or an origin such as"
                        + " https://dash.example.com:8443 (scheme, host, optional port; no path), got '" + origin + "'");
            }
            origins.add(origin);
        }
        if (origins.isEmpty()) {
            throw new ConfigurationException(FEED_ALLOWED_ORIGINS, "must name at least one origin, or self");
        }
        return List.copyOf(origins);
    }

    private static RedisSettings redis(Reader r) {
        String raw = r.required(REDIS_URL);
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            throw new ConfigurationException(REDIS_URL, "not a URL: '" + raw + "' (expected redis://[:password@]host[:port][/db])");
        }
        String scheme = uri.getScheme();
        if (!"redis".equals(scheme) && !"rediss".equals(scheme) || uri.getHost() == null) {
            throw new ConfigurationException(REDIS_URL, "not a Redis URL: '" + raw + "' (expected redis://[:password@]host[:port][/db])");
        }
        String username = null;
        String password = null;
        if (uri.getUserInfo() != null) {
            String[] parts = uri.getUserInfo().split(":", 2);
            username = parts.length == 2 && !parts[0].isEmpty() ? parts[0] : null;
            password = parts.length == 2 ? parts[1] : parts[0];
        }
        int database = 0;
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        if (!path.isEmpty()) {
            try {
                database = Integer.parseInt(path);
            } catch (NumberFormatException e) {
                throw new ConfigurationException(REDIS_URL, "database index must be a number, got '/" + path + "'");
            }
        }
        return new RedisSettings(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort(), username, password, database,
                "rediss".equals(scheme), Duration.ofMillis(r.intIn(REDIS_TIMEOUT, 100, 600_000)),
                r.intIn(REDIS_POOL_SIZE, 2, 1000));
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private record Reader(Function<String, String> properties) {

        String optional(String key) {
            String value = properties.apply(key);
            return value == null ? "" : value.trim();
        }

        String required(String key) {
            String value = optional(key);
            if (value.isEmpty()) {
                throw new ConfigurationException(key, "must be set");
            }
            return value;
        }

        String name(String key) {
            String value = required(key);
            if (!value.matches("[A-Za-z0-9_:.\\-]+")) {
                throw new ConfigurationException(key, "must be letters, digits, '_', ':', '.' or '-', got '" + value + "'");
            }
            return value;
        }

        String jdbcUrl(String key) {
            String value = required(key);
            if (!value.startsWith("jdbc:postgresql:")) {
                throw new ConfigurationException(key, "must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database), got '" + value + "'");
            }
            return value;
        }

        boolean bool(String key) {
            String value = required(key);
            if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                throw new ConfigurationException(key, "must be true or false, got '" + value + "'");
            }
            return Boolean.parseBoolean(value);
        }

        /** Empty (off) or a PostgreSQL interval such as "90 days". */
        String interval(String key) {
            String value = optional(key);
            if (!value.isEmpty() && !value.matches("(?i)\\d+\\s*(minutes?|hours?|days?|weeks?|months?|years?)")) {
                throw new ConfigurationException(key, "must be empty (off) or an interval such as '90 days', got '" + value + "'");
            }
            return value;
        }

        int intIn(String key, int min, int max) {
            String value = required(key);
            int parsed;
            try {
                parsed = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new ConfigurationException(key, "must be a whole number, got '" + value + "'");
            }
            if (parsed < min || parsed > max) {
                throw new ConfigurationException(key, "must be between " + min + " and " + max + ", got " + parsed);
            }
            return parsed;
        }
    }
}
