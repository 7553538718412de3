package routes.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A URL that cannot be used is named in the one line the service prints before it exits, and that line goes to the
 * log: it shows where the URL points, never its password (a password with '#' or a space is what makes such a
 * URL malformed in the first place).
 */
class SettingsSecretsTest {

    private static Map<String, String> defaults() throws Exception {
        Properties properties = new Properties();
        try (var in = SettingsSecretsTest.class.getResourceAsStream("/application.properties")) {
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

    private static String refusal(String key, String value) throws Exception {
        Map<String, String> values = defaults();
        values.put(key, value);
        return assertThrows(ConfigurationException.class, () -> Settings.load(values::get)).getMessage();
    }

    @Test
    void a_malformed_redis_url_is_named_without_its_password() throws Exception {
        String message = refusal("redis.url", "redis://:pa#ss wd9@cache.internal:6379");
        assertFalse(message.contains("pa#ss") || message.contains("wd9"), message);
        assertTrue(message.startsWith("redis.url (REDIS_URL): not a URL: 'redis://***@cache.internal:6379'"), message);

        message = refusal("redis.url", "http://admin:s3cret@cache.internal:6379");
        assertFalse(message.contains("s3cret") || message.contains("admin"), message);
    }

    @Test
    void a_wrong_database_url_is_named_without_its_password() throws Exception {
        String message = refusal("db.url", "postgresql://db.internal/app?user=app&password=s3cret&ssl=true");
        assertFalse(message.contains("s3cret"), message);
        assertTrue(message.contains("postgresql://db.internal/app?user=app&password=***&ssl=true"), message);
    }

    @Test
    void the_packaged_management_port_is_for_this_machine_only() throws Exception {
        Settings settings = Settings.load(defaults()::get);
        assertEquals("127.0.0.1", settings.managementHost());
        assertEquals(9876, settings.managementPort());
    }
}
