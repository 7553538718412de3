package routes.security;

import java.util.List;

import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;

import routes.support.ApiClient;
import routes.support.ApiResponse;
import routes.support.RouteTestSupport;

import static org.junit.jupiter.api.Assertions.*;

/**
 * OWASP API4:2023 Unrestricted Resource Consumption: requests per key in a window, then 429 with Retry-After and
 * the RateLimit headers; a client guessing keys spends its address's limit.
 */
@CamelMainTest(properties = {
        "security.admin-key=" + TestKeys.ADMIN,
        "security.rate-limit=8",
        "security.rate-limit-window=600000"
})
class RateLimitRouteTest extends RouteTestSupport {

    @Test
    void a_key_gets_its_limit_per_window_then_429_with_retry_after() {
        ApiClient admin = api.withKey(TestKeys.ADMIN);
        ApiClient reader = api.withKey(TestKeys.create(admin, "reader", List.of("read"), null));
        ApiClient other = api.withKey(TestKeys.create(admin, "other reader", List.of("read"), null));
        for (int i = 0; i < 8; i++) {
            ApiResponse ok = reader.get("/stats");
            assertEquals(200, ok.status(), ok.body());
            assertEquals("8", ok.header("RateLimit-Limit").orElse(null));
            assertEquals(Integer.toString(7 - i), ok.header("RateLimit-Remaining").orElse(null));
        }
        ApiResponse refused = reader.get("/stats");
        assertEquals(429, refused.status());
        assertEquals("too many requests", refused.json().get("error").asText());
        long retryAfter = Long.parseLong(refused.header("Retry-After").orElseThrow());
        assertTrue(retryAfter > 0 && retryAfter <= 600, refused.toString());
        assertEquals("0", refused.header("RateLimit-Remaining").orElse(null));
        assertTrue(refused.header("RateLimit-Reset").isPresent());
        assertEquals(200, other.get("/stats").status(), "another key has a limit of its own");
    }

    @Test
    void guessing_keys_spends_the_address_limit() {
        int unauthorized = 0;
        ApiResponse last = null;
        for (int i = 0; i < 12; i++) {
            last = api.withKey("mlk_0123456789abcdef_" + "x".repeat(43)).get("/stats");
            if (last.status() == 401) {
                unauthorized++;
            }
        }
        assertTrue(unauthorized <= 8, "at most the limit of guesses get an answer");
        assertEquals(429, last.status(), last.body());
    }
}
