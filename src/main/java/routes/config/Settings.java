package routes.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
        String managementHost,
        int managementPort,
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
        SecuritySettings security,
        HttpSettings http,
        EmbeddedSettings embedded) {

    /** Whether PostgreSQL and Redis of our own may stand in for db.url and redis.url, and where their data stays. */
    public record EmbeddedSettings(EmbeddedServers.Mode mode, Path dataDirectory) {
    }

    /** Who may call the API and the feed: see routes.security. */
    public record SecuritySettings(String adminKey, String anonymous, Duration keyRefreshInterval, int rateLimit,
                                   Duration rateLimitWindow) {
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

    /**
     * The API's HTTP server beyond its port: the address it binds, how long a request may take to arrive, how long
     * an idle connection stays open, the origins CORS allows (none: no CORS), and TLS from PEM files (the feed too).
     */
    public record HttpSettings(String host, Duration readTimeout, Duration idleTimeout, List<String> corsAllowedOrigins,
                               String tlsCertFile, String tlsKeyFile) {

        public boolean tls() {
            return !tlsCertFile.isEmpty();
        }
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
        // a lone message waits batch.interval before it is written: that wait is not a stall, so the timeout is
        // at least twice batch.interval whatever is set (a long batch.interval must not stop the service)
        long stallTimeout = Math.max(r.intIn(DRAIN_STALL_TIMEOUT, 1000, 86_400_000), 2L * batchInterval);
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
                r.required(MANAGEMENT_HOST),
                r.intIn(MANAGEMENT_PORT, 1, 65535),
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
                security(r),
                http(r),
                embedded(r));
    }

    private static EmbeddedSettings embedded(Reader r) {
        String mode = r.required(EMBEDDED);
        if (!java.util.Set.of("auto", "always", "never").contains(mode)) {
            throw new ConfigurationException(EMBEDDED, "must be auto, always or never, got '" + mode + "'");
        }
        String dataDirectory = r.required(EMBEDDED_DATA_DIR);
        try {
            return new EmbeddedSettings(EmbeddedServers.Mode.valueOf(mode.toUpperCase(Locale.ROOT)), Path.of(dataDirectory));
        } catch (InvalidPathException e) {
            throw new ConfigurationException(EMBEDDED_DATA_DIR, "not a folder name: '" + dataDirectory + "'");
        }
    }

    private static SecuritySettings security(Reader r) {
        String adminKey = r.optional(SECURITY_ADMIN_KEY);
        if (!adminKey.isEmpty() && adminKey.length() < 32) {
            // the value itself is never echoed: it is a secret
            throw new ConfigurationException(SECURITY_ADMIN_KEY, "must be at least 32 characters (a random secret, e.g."
                    + " `openssl rand -base64 32`), got " + adminKey.length());
        }
        r.intIn(SECURITY_RATE_LIMIT_SYNC_INTERVAL, 10, 60_000); // read by routes/security.yaml; checked here
        String anonymous = r.required(SECURITY_ANONYMOUS);
        if (!java.util.Set.of("loopback", "any", "none").contains(anonymous)) {
            throw new ConfigurationException(SECURITY_ANONYMOUS, "must be loopback, any or none, got '" + anonymous + "'");
        }
        return new SecuritySettings(adminKey, anonymous,
                Duration.ofMillis(r.intIn(SECURITY_KEY_REFRESH_INTERVAL, 100, 60_000)),
                r.intIn(SECURITY_RATE_LIMIT, 0, Integer.MAX_VALUE),
                Duration.ofMillis(r.intIn(SECURITY_RATE_LIMIT_WINDOW, 100, 3_600_000)));
    }

    private static HttpSettings http(Reader r) {
        int readTimeout = r.intIn(HTTP_READ_TIMEOUT, 100, 3_600_000);
        int idleTimeout = r.intIn(HTTP_IDLE_TIMEOUT, 100, 86_400_000);
        // a stalled request must get its 408 before the idle connection is simply dropped
        if (idleTimeout < readTimeout) {
            throw new ConfigurationException(HTTP_IDLE_TIMEOUT, "must be at least " + HTTP_READ_TIMEOUT + " ("
                    + readTimeout + "), got " + idleTimeout);
        }
        String cert = r.optional(HTTP_TLS_CERT_FILE);
        String key = r.optional(HTTP_TLS_KEY_FILE);
        if (cert.isEmpty() != key.isEmpty()) {
            throw new ConfigurationException(cert.isEmpty() ? HTTP_TLS_CERT_FILE : HTTP_TLS_KEY_FILE,
                    "must be set together with " + (cert.isEmpty() ? HTTP_TLS_KEY_FILE : HTTP_TLS_CERT_FILE));
        }
        return new HttpSettings(r.required(HTTP_HOST), Duration.ofMillis(readTimeout), Duration.ofMillis(idleTimeout),
                r.origins(HTTP_CORS_ALLOWED_ORIGINS), r.pemFile(HTTP_TLS_CERT_FILE, "CERTIFICATE"),
                r.pemFile(HTTP_TLS_KEY_FILE, "PRIVATE KEY"));
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
            throw new ConfigurationException(REDIS_URL, "not a URL: '" + withoutPassword(raw) + "' (expected redis://[:password@]host[:port][/db])");
        }
        String scheme = uri.getScheme();
        if (!"redis".equals(scheme) && !"rediss".equals(scheme) || uri.getHost() == null) {
            throw new ConfigurationException(REDIS_URL, "not a Redis URL: '" + withoutPassword(raw) + "' (expected redis://[:password@]host[:port][/db])");
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

    /**
     * A URL as a message may show it: what stands before the host's '@' (a password, or user and password) and a
     * password= parameter become ***. Such messages go to the log, and the URL they quote may be malformed exactly
     * because of a character in its password, so everything up to the last '@' goes.
     */
    public static String withoutPassword(String url) {
        return url.replaceFirst("^(\\w[\\w+.-]*:(?:[\\w+.-]+:)*(?://)?).*@", "$1***@")
                .replaceAll("(?i)(password=)[^&;]*", "$1***");
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
                throw new ConfigurationException(key, "must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database), got '"
                        + withoutPassword(value) + "'");
            }
            return value;
        }

        /** Empty, or a readable PEM file holding a {@code kind}: "CERTIFICATE", "PRIVATE KEY" (also RSA, EC). */
        String pemFile(String key, String kind) {
            String value = optional(key);
            if (value.isEmpty()) {
                return value;
            }
            String text;
            try {
                text = Files.readString(Path.of(value), StandardCharsets.ISO_8859_1);
            } catch (IOException | InvalidPathException e) {
                throw new ConfigurationException(key, "cannot read the file '" + value + "'");
            }
            if (!text.contains("-----BEGIN ") || !text.contains(kind + "-----")) {
                throw new ConfigurationException(key, "'" + value + "' holds no PEM " + kind.toLowerCase(Locale.ROOT)
                        + " (-----BEGIN " + kind + "-----)");
            }
            return value;
        }

        /** Comma-separated origins as browsers send them (scheme://host[:port]); lower case. Never '*'. */
        List<String> origins(String key) {
            List<String> origins = new ArrayList<>();
            for (String part : optional(key).split(",")) {
                String origin = part.trim().toLowerCase(Locale.ROOT);
                if (origin.isEmpty()) {
                    continue;
                }
                URI uri;
                try {
                    uri = new URI(origin);
                } catch (URISyntaxException e) {
                    uri = null;
                }
                if (uri == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                        || uri.getUserInfo() != null || !uri.getRawPath().isEmpty() || uri.getRawQuery() != null
                        || uri.getRawFragment() != null) {
                    throw new ConfigurationException(key, "each origin must be scheme://host[:port] with no path, e.g. "
                            + "https://app.example.com, got '" + part.trim() + "'");
                }
                origins.add(origin);
            }
            return List.copyOf(origins);
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
