package routes.config;

/**
 * The configuration keys our own code reads. Each can be overridden by the environment variable of the same
 * name in upper case with '_' (batch.size -> BATCH_SIZE); application.properties holds the defaults.
 */
public final class ConfigKeys {

    public static final String ROUTES_LOCATION = "routes.location";
    public static final String ROUTES_RELOAD = "routes.reload";
    public static final String ROUTES_RELOAD_DIRECTORY = "routes.reload-directory";

    public static final String HTTP_PORT = "http.port";
    public static final String HTTP_MAX_BODY_SIZE = "http.max-body-size";
    public static final String HTTP_HOST = "http.host";
    public static final String HTTP_READ_TIMEOUT = "http.read-timeout";
    public static final String HTTP_IDLE_TIMEOUT = "http.idle-timeout";
    public static final String HTTP_CORS_ALLOWED_ORIGINS = "http.cors.allowed-origins";
    public static final String HTTP_TLS_CERT_FILE = "http.tls.cert-file";
    public static final String HTTP_TLS_KEY_FILE = "http.tls.key-file";
    public static final String INGEST_MAX_MESSAGES = "ingest.max-messages";
    public static final String INGEST_MAX_QUEUE_DEPTH = "ingest.max-queue-depth";

    public static final String REDIS_URL = "redis.url";
    public static final String REDIS_QUEUE = "redis.queue";
    public static final String REDIS_TIMEOUT = "redis.timeout";
    public static final String REDIS_POOL_SIZE = "redis.pool-size";
    public static final String REDIS_CHANNEL = "redis.channel";
    public static final String REDIS_EVENTS_CHANNEL = "redis.events-channel";

    public static final String FEED_HOST = "feed.host";
    public static final String FEED_PORT = "feed.port";
    public static final String FEED_CLIENT_BUFFER = "feed.client-buffer";
    public static final String FEED_SLOW_CLIENT_TIMEOUT = "feed.slow-client-timeout";
    public static final String FEED_STATS_INTERVAL = "feed.stats-interval";
    public static final String FEED_ALLOWED_ORIGINS = "feed.allowed-origins";
    public static final String FEED_MAX_CLIENTS = "feed.max-clients";
    public static final String FEED_MAX_CLIENTS_PER_KEY = "feed.max-clients-per-key";
    public static final String FEED_TICKET_TTL = "feed.ticket-ttl";

    public static final String DB_URL = "db.url";
    public static final String DB_USER = "db.user";
    public static final String DB_PASSWORD = "db.password";
    public static final String DB_SCHEMA = "db.schema";
    public static final String DB_POOL_SIZE = "db.pool-size";
    public static final String DB_MIGRATIONS = "db.migrations";
    public static final String DB_TIMEOUT = "db.timeout";

    public static final String BATCH_SIZE = "batch.size";
    public static final String BATCH_INTERVAL = "batch.interval";

    public static final String DRAIN_INSTANCE_ID = "drain.instance-id";
    public static final String DRAIN_MAX_IN_FLIGHT = "drain.max-in-flight";
    public static final String DRAIN_MAX_ATTEMPTS = "drain.max-attempts";
    public static final String DRAIN_INSTANCE_TIMEOUT = "drain.instance-timeout";
    public static final String DRAIN_HEARTBEAT_INTERVAL = "drain.heartbeat-interval";
    public static final String DRAIN_STALL_TIMEOUT = "drain.stall-timeout";

    public static final String MANAGEMENT_HOST = "management.host";
    public static final String MANAGEMENT_PORT = "management.port";

    public static final String JMX_PORT = "jmx.port";
    public static final String JMX_HOST = "jmx.host";
    public static final String SECURITY_ADMIN_KEY = "security.admin-key";
    public static final String SECURITY_ANONYMOUS = "security.anonymous";
    public static final String SECURITY_KEY_REFRESH_INTERVAL = "security.key-refresh-interval";
    public static final String SECURITY_RATE_LIMIT = "security.rate-limit";
    public static final String SECURITY_RATE_LIMIT_WINDOW = "security.rate-limit-window";
    public static final String SECURITY_RATE_LIMIT_SYNC_INTERVAL = "security.rate-limit-sync-interval";
    public static final String JMX_PASSWORD_FILE = "jmx.password-file";
    public static final String JMX_ACCESS_FILE = "jmx.access-file";

    public static final String STORAGE_RETENTION = "storage.retention";
    public static final String STORAGE_COMPRESS_AFTER = "storage.compress-after";

    public static final String EMBEDDED = "embedded";
    public static final String EMBEDDED_DATA_DIR = "embedded.data-dir";

    public static final String QUERY_DEFAULT_LIMIT = "query.default-limit";
    public static final String QUERY_MAX_LIMIT = "query.max-limit";

    private ConfigKeys() {
    }

    /** The environment variable that overrides a key: batch.size -> BATCH_SIZE. */
    public static String envName(String key) {
        return key.toUpperCase().replace('.', '_').replace('-', '_');
    }
}
