package routes.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When embedded servers are not wanted: a URL the operator set, embedded=never, and (auto) servers that answer at the
 * defaults, as the tests' own servers do on 127.0.0.1:5432 and :6379. None of these starts anything or makes the data
 * folder. EmbeddedServersIT starts real embedded servers.
 */
class EmbeddedServersTest {

    @TempDir
    Path temp;

    @Test
    void the_urls_it_stands_in_for_are_the_defaults_of_application_properties() throws Exception {
        Properties defaults = new Properties();
        try (var in = EmbeddedServersTest.class.getResourceAsStream("/application.properties")) {
            defaults.load(in);
        }
        assertEquals(EmbeddedServers.DEFAULT_DB_URL, defaults.getProperty(ConfigKeys.DB_URL));
        assertEquals(EmbeddedServers.DEFAULT_REDIS_URL, defaults.getProperty(ConfigKeys.REDIS_URL));
    }

    @Test
    void urls_the_operator_set_are_used_as_they_are_even_with_always() {
        Function<String, String> properties = properties("jdbc:postgresql://db.internal:5432/logs", "redis://cache.internal:6379");
        assertNothingEmbedded(EmbeddedServers.Mode.ALWAYS, properties);
    }

    @Test
    void never_embeds_anything() {
        assertNothingEmbedded(EmbeddedServers.Mode.NEVER,
                properties(EmbeddedServers.DEFAULT_DB_URL, EmbeddedServers.DEFAULT_REDIS_URL));
    }

    @Test
    void auto_uses_the_servers_that_answer_at_the_defaults() {
        assertNothingEmbedded(EmbeddedServers.Mode.AUTO,
                properties(EmbeddedServers.DEFAULT_DB_URL, EmbeddedServers.DEFAULT_REDIS_URL));
    }

    private void assertNothingEmbedded(EmbeddedServers.Mode mode, Function<String, String> properties) {
        Path data = temp.resolve("data");
        try (EmbeddedServers servers = EmbeddedServers.start(new Settings.EmbeddedSettings(mode, data), properties)) {
            assertTrue(servers.isEmpty());
            Function<String, String> effective = servers.urlsIn(properties);
            assertEquals(properties.apply(ConfigKeys.DB_URL), effective.apply(ConfigKeys.DB_URL));
            assertEquals(properties.apply(ConfigKeys.REDIS_URL), effective.apply(ConfigKeys.REDIS_URL));
        }
        assertFalse(Files.exists(data), "the data folder is made only for embedded servers");
    }

    private static Function<String, String> properties(String dbUrl, String redisUrl) {
        Map<String, String> values = new HashMap<>();
        values.put(ConfigKeys.DB_URL, dbUrl);
        values.put(ConfigKeys.REDIS_URL, redisUrl);
        return values::get;
    }
}
