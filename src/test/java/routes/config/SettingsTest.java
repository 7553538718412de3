package routes.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class SettingsTest {

    private static Map<String, String> defaults() throws Exception {
        Properties properties = new Properties();
        try (var in = SettingsTest.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        Map<String, String> map = new HashMap<>();
        properties.forEach((k, v) -> map.put(k.toString(), v.toString()));
        // the one placeholder form application.properties uses: a key's default taken from another key
        for (int round = 0; round < 3; round++) {
            map.replaceAll((k, v) -> v.startsWith("{{")
                    ? map.get(v.substring(2, v.indexOf("}}"))) + v.substring(v.indexOf("}}") + 2)
                    : v);
        }
        return map;
    }

    private static Settings load(Map<String, String> values) {
        return Settings.load(values::get);
    }

    @Test
    void the_packaged_defaults_are_valid() throws Exception {
        Settings settings = load(defaults());
        assertEquals(5000, settings.httpPort());
        assertEquals("message_queue", settings.queue());
        assertEquals(500, settings.batchSize());
        assertEquals(1000, settings.batchInterval().toMillis());
        assertEquals(2000, settings.maxInFlight());
        assertEquals("127.0.0.1", settings.redis().host());
        assertEquals(5001, settings.feed().port());
        assertEquals("message_queue", settings.feed().channel());
        assertEquals("message_queue:events", settings.feed().eventsChannel());
        assertEquals(30_000, settings.stallTimeout().toMillis());
    }

    @Test
    void a_stall_timeout_outlasts_the_wait_of_a_lone_message() throws Exception {
        Map<String, String> values = defaults();
        values.put("drain.stall-timeout", "1000");
        assertEquals(2000, load(values).stallTimeout().toMillis(), "at least twice batch.interval (1000)");
        values.put("batch.interval", "600000");
        values.put("drain.stall-timeout", "30000");
        assertEquals(1_200_000, load(values).stallTimeout().toMillis(), "a long batch.interval does not stop the service");
    }

    @Test
    void the_feed_is_limited_by_default_and_its_settings_are_checked() throws Exception {
        Settings.FeedSettings feed = load(defaults()).feed();
        assertEquals(java.util.List.of("self"), feed.allowedOrigins());
        assertEquals(1000, feed.maxClients());
        assertEquals(50, feed.maxClientsPerKey());
        assertEquals(30, feed.ticketTtl().toSeconds());

        Map<String, String> values = defaults();
        values.put("feed.allowed-origins", "self, https://dash.example.com:8443 ,http://[::1]:5000");
        assertEquals(java.util.List.of("self", "https://dash.example.com:8443", "http://[::1]:5000"),
                load(values).feed().allowedOrigins());
        values.put("feed.allowed-origins", "https://dash.example.com/app");
        assertTrue(assertThrows(ConfigurationException.class, () -> load(values)).getMessage()
                .startsWith("feed.allowed-origins (FEED_ALLOWED_ORIGINS): each entry must be self, * or an origin"));
        values.put("feed.allowed-origins", "self");
        values.put("feed.max-clients-per-key", "2000");
        assertEquals("feed.max-clients-per-key (FEED_MAX_CLIENTS_PER_KEY): must not exceed feed.max-clients (1000), got 2000",
                assertThrows(ConfigurationException.class, () -> load(values)).getMessage());
        values.put("feed.max-clients-per-key", "50");
        values.put("feed.ticket-ttl", "0");
        assertEquals("feed.ticket-ttl (FEED_TICKET_TTL): must be between 1 and 3600, got 0",
                assertThrows(ConfigurationException.class, () -> load(values)).getMessage());
    }

    @Test
    void reads_password_database_and_tls_from_the_redis_url() throws Exception {
        Map<String, String> values = defaults();
        values.put("redis.url", "rediss://:s3cret@cache.internal:6380/4");
        Settings.RedisSettings redis = load(values).redis();
        assertEquals("cache.internal", redis.host());
        assertEquals(6380, redis.port());
        assertEquals("s3cret", redis.password());
        assertEquals(4, redis.database());
        assertTrue(redis.tls());
    }

    @Test
    void a_bad_value_names_its_key_and_variable() throws Exception {
        Map<String, String> values = defaults();
        values.put("batch.size", "-1");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> load(values));
        assertEquals("batch.size (BATCH_SIZE): must be between 1 and 10000, got -1", e.getMessage());

        values.put("batch.size", "500");
        values.put("redis.url", "localhost:6379");
        assertTrue(assertThrows(ConfigurationException.class, () -> load(values)).getMessage().startsWith("redis.url (REDIS_URL)"));

        values.put("redis.url", "redis://127.0.0.1:6379");
        values.put("db.url", "postgres://x");
        assertTrue(assertThrows(ConfigurationException.class, () -> load(values)).getMessage().startsWith("db.url (DB_URL)"));
    }

    @Test
    void embedded_servers_are_allowed_by_default_with_their_data_in_a_folder_of_the_working_directory() throws Exception {
        Settings.EmbeddedSettings embedded = load(defaults()).embedded();
        assertEquals(EmbeddedServers.Mode.AUTO, embedded.mode());
        assertEquals(Path.of("./data"), embedded.dataDirectory());

        Map<String, String> values = defaults();
        values.put("embedded", "never");
        assertEquals(EmbeddedServers.Mode.NEVER, load(values).embedded().mode());
        values.put("embedded", "sometimes");
        assertEquals("embedded (EMBEDDED): must be auto, always or never, got 'sometimes'",
                assertThrows(ConfigurationException.class, () -> load(values)).getMessage());
    }

    @Test
    void the_http_server_listens_everywhere_without_cors_or_tls_by_default() throws Exception {
        Settings.HttpSettings http = load(defaults()).http();
        assertEquals("0.0.0.0", http.host());
        assertEquals(10_000, http.readTimeout().toMillis());
        assertEquals(60_000, http.idleTimeout().toMillis());
        assertEquals(List.of(), http.corsAllowedOrigins());
        assertFalse(http.tls());
    }

    @Test
    void cors_origins_are_exact_origins_never_a_wildcard() throws Exception {
        Map<String, String> values = defaults();
        values.put("http.cors.allowed-origins", " https://Ops.Example.com , http://localhost:3000,");
        assertEquals(List.of("https://ops.example.com", "http://localhost:3000"), load(values).http().corsAllowedOrigins());

        for (String bad : List.of("*", "https://ops.example.com/", "ops.example.com", "ftp://x", "https://a.example/path")) {
            values.put("http.cors.allowed-origins", bad);
            ConfigurationException e = assertThrows(ConfigurationException.class, () -> load(values), bad);
            assertTrue(e.getMessage().startsWith("http.cors.allowed-origins (HTTP_CORS_ALLOWED_ORIGINS)"), e.getMessage());
        }
    }

    @Test
    void tls_needs_both_pem_files() throws Exception {
        Map<String, String> values = defaults();
        Path cert = Files.writeString(Files.createTempFile("settings-test", ".crt"),
                "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        Path key = Files.writeString(Files.createTempFile("settings-test", ".key"),
                "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n");
        try {
            values.put("http.tls.cert-file", cert.toString());
            assertEquals("http.tls.key-file (HTTP_TLS_KEY_FILE): must be set together with http.tls.cert-file",
                    assertThrows(ConfigurationException.class, () -> load(values)).getMessage());
            values.put("http.tls.key-file", key.resolveSibling("missing.key").toString());
            assertTrue(assertThrows(ConfigurationException.class, () -> load(values)).getMessage()
                    .startsWith("http.tls.key-file (HTTP_TLS_KEY_FILE): cannot read the file"));
            values.put("http.tls.key-file", cert.toString());
            assertTrue(assertThrows(ConfigurationException.class, () -> load(values)).getMessage()
                    .startsWith("http.tls.key-file (HTTP_TLS_KEY_FILE): '" + cert + "' holds no PEM private key"));
            values.put("http.tls.key-file", key.toString());
            assertTrue(load(values).http().tls());
        } finally {
            Files.delete(cert);
            Files.delete(key);
        }
    }

    @Test
    void the_idle_timeout_is_at_least_the_read_timeout() throws Exception {
        Map<String, String> values = defaults();
        values.put("http.idle-timeout", "5000");
        assertEquals("http.idle-timeout (HTTP_IDLE_TIMEOUT): must be at least http.read-timeout (10000), got 5000",
                assertThrows(ConfigurationException.class, () -> load(values)).getMessage());
    }
}
