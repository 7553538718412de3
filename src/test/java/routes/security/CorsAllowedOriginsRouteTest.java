package routes.security;

import java.util.Map;

import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;

import routes.support.Json;
import routes.support.Messages;
import routes.support.RouteTestSupport;

import static org.junit.jupiter.api.Assertions.*;

/** With http.cors.allowed-origins set, pages of exactly those origins may call the API from a browser; no other. */
@CamelMainTest(properties = {
        "http.cors.allowed-origins=https://ops.example.com, http://localhost:3000"
})
class CorsAllowedOriginsRouteTest extends RouteTestSupport {

    private static final String ALLOWED = "https://ops.example.com";
    private static final String FOREIGN = "https://attacker.example";

    private final HttpProbe browser = HttpProbe.plain(owned.httpPort());

    @Test
    void a_preflight_from_an_allowed_origin_names_that_origin_the_methods_and_the_headers() {
        for (String origin : new String[] {ALLOWED, "http://localhost:3000"}) {
            HttpProbe.Answer preflight = browser.preflight("/dead-letters/1/replay", origin);
            assertEquals(204, preflight.status(), preflight::toString);
            Map<String, String> cors = preflight.accessControl();
            assertEquals(origin, cors.get("access-control-allow-origin"), preflight::toString);
            assertEquals("GET, POST, DELETE, PATCH", cors.get("access-control-allow-methods"), preflight::toString);
            assertEquals("Authorization, Content-Type", cors.get("access-control-allow-headers"), preflight::toString);
            assertFalse(cors.containsKey("access-control-allow-credentials"), preflight::toString);
            assertEquals("Origin", preflight.header("Vary").orElse(null), preflight::toString);
        }
    }

    @Test
    void an_allowed_origin_may_read_the_answers() {
        HttpProbe.Answer stats = browser.send("GET", "/stats", "", "Origin", ALLOWED);
        assertEquals(200, stats.status(), stats::toString);
        assertEquals(ALLOWED, stats.header("Access-Control-Allow-Origin").orElse(null), stats::toString);

        String message = Json.write(Messages.complete(Messages.uniqueSubject("cors"), "r"));
        HttpProbe.Answer posted = browser.send("POST", "/messages", message, "Origin", ALLOWED, "Content-Type", "application/json");
        assertEquals(202, posted.status(), posted::toString);
        assertEquals(ALLOWED, posted.header("Access-Control-Allow-Origin").orElse(null), posted::toString);
        assertTrue(posted.header("Access-Control-Expose-Headers").orElse("").contains("Location"), posted::toString);
        assertTrue(posted.header("Location").isPresent(), posted::toString);
    }

    @Test
    void another_origin_gets_no_allow_and_its_preflight_is_refused() {
        HttpProbe.Answer preflight = browser.preflight("/messages", FOREIGN);
        assertEquals(403, preflight.status(), preflight::toString);
        assertEquals("origin not allowed", preflight.json().path("error").asText(), preflight::toString);
        assertTrue(preflight.json().path("details").toString().contains(FOREIGN), preflight::toString);
        assertEquals(Map.of(), preflight.accessControl(), preflight::toString);

        // a look-alike is another origin: scheme, host and port must all match
        for (String origin : new String[] {FOREIGN, "http://ops.example.com", "https://ops.example.com.attacker.example",
                "https://ops.example.com:8443", "null"}) {
            HttpProbe.Answer stats = browser.send("GET", "/stats", "", "Origin", origin);
            assertEquals(200, stats.status(), stats::toString);
            assertEquals(Map.of(), stats.accessControl(), stats::toString);
            assertEquals("Origin", stats.header("Vary").orElse(null), "caches keep answers per origin: " + stats);
        }
    }

    @Test
    void requests_without_an_origin_are_not_cors_at_all() {
        HttpProbe.Answer stats = browser.send("GET", "/stats", "");
        assertEquals(200, stats.status(), stats::toString);
        assertEquals(Map.of(), stats.accessControl(), stats::toString);
    }
}
