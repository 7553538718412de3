package routes.security;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;

import routes.support.ApiClient;
import routes.support.ApiResponse;
import routes.support.Json;
import routes.support.MessageTable;
import routes.support.Messages;
import routes.support.RouteTestSupport;

import static org.junit.jupiter.api.Assertions.*;
import static routes.support.Await.await;

/**
 * OWASP API2:2023 Broken Authentication: no key, a malformed, guessed, forged or revoked key gets 401 with
 * WWW-Authenticate; secrets are shown once and kept only as hashes; a revocation made anywhere takes effect here
 * within 2 s.
 */
@CamelMainTest(properties = {
        "security.admin-key=" + TestKeys.ADMIN,
        "batch.interval=100"
})
class BrokenAuthenticationRouteTest extends RouteTestSupport {

    private final ApiClient admin = api.withKey(TestKeys.ADMIN);

    private static void assertUnauthorized(ApiResponse response) {
        assertEquals(401, response.status(), response.body());
        assertTrue(response.header("WWW-Authenticate").orElse("").startsWith("Bearer"), response.toString());
        JsonNode body = response.json();
        assertEquals("unauthorized", body.get("error").asText());
        assertTrue(body.get("details").isArray() && body.get("details").size() == 1, response.body());
    }

    @Test
    void once_keys_exist_even_loopback_needs_one() {
        assertUnauthorized(api.get("/messages/subject/anyone"));
        assertUnauthorized(api.postMessages(Json.write(Messages.minimal("a", "b"))));
        assertUnauthorized(api.get("/keys"));
        assertEquals(200, api.get("/openapi.json").status(), "the API description stays public");
        // the header through which routes learn the caller cannot be sent by a client, as header or query parameter
        assertUnauthorized(api.get("/stats?CamelVertxPlatformHttpAuthenticatedUser=bootstrap"));
        ApiResponse asQuery = api.withKey(TestKeys.ADMIN).get("/stats?CamelHttpResponseCode=500");
        assertEquals(200, asQuery.status(), "Camel's own headers cannot be set by a client");
    }

    @Test
    void malformed_guessed_and_forged_keys_are_refused() {
        String real = TestKeys.create(admin, "reader", List.of("read"), null);
        String id = real.substring(4, 20);
        for (String header : List.of("Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "bearer" + real, "Token " + real,
                "Bearer mlk_", "Bearer mlk_" + id + "_", "Bearer " + real.substring(0, real.length() - 1) + "A",
                "Bearer " + real.substring(0, real.length() - 1), "Bearer " + real + "x",
                "Bearer mlk_0000000000000000_" + real.substring(21), "Bearer " + "x".repeat(8000),
                "Bearer " + TestKeys.ADMIN.toUpperCase(), "Bearer " + id)) {
            ApiResponse response = api.withAuthorization(header).get("/messages/subject/anyone");
            assertUnauthorized(response);
        }
        ApiResponse invalid = api.withKey(real + "x").get("/messages/subject/anyone");
        assertTrue(invalid.header("WWW-Authenticate").orElse("").contains("error=\"invalid_token\""), invalid.toString());
        assertEquals(200, api.withKey(real).get("/messages/subject/anyone").status(), "the real key works");
        assertEquals(200, api.withAuthorization("bearer  " + real).get("/messages/subject/anyone").status(),
                "the scheme is case-insensitive (RFC 7235)");
    }

    @Test
    void a_key_is_shown_once_and_stored_only_as_a_hash() throws Exception {
        ApiResponse created = admin.sendJson("POST", "/keys", "{\"name\": \"ingest\", \"scopes\": [\"ingest\"]}");
        assertEquals(201, created.status(), created.body());
        String token = created.json().get("key").asText();
        assertTrue(token.startsWith("mlk_") && token.length() >= 60, token);
        String id = created.json().get("id").asText();

        ApiResponse listed = admin.get("/keys");
        assertEquals(200, listed.status());
        assertFalse(listed.body().contains(token.substring(21)), "GET /keys never shows a secret");
        assertFalse(listed.body().contains("hash"), listed.body());
        JsonNode row = null;
        for (JsonNode key : listed.json()) {
            if (key.get("id").asText().equals(id)) {
                row = key;
            }
        }
        assertNotNull(row, listed.body());
        assertEquals(List.of("id", "name", "scopes", "subjects", "created_at", "created_by", "revoked_at"),
                Json.fieldNames(row));
        assertEquals("bootstrap", row.get("created_by").asText());

        try (Connection c = DriverManager.getConnection(MessageTable.DB_URL, "postgres", "");
             PreparedStatement s = c.prepareStatement("SELECT t::text FROM " + owned.schema() + ".api_key t WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                assertTrue(r.next());
                String stored = r.getString(1);
                assertFalse(stored.contains(token.substring(21)), "the secret is not stored: " + stored);
            }
        }
    }

    @Test
    void a_key_revoked_through_the_api_or_by_another_instance_stops_working_within_2_seconds() throws Exception {
        String viaApi = TestKeys.create(admin, "to revoke", List.of("read"), null);
        String elsewhere = TestKeys.create(admin, "revoked elsewhere", List.of("read"), null);
        assertEquals(200, api.withKey(viaApi).get("/stats").status());
        assertEquals(200, api.withKey(elsewhere).get("/stats").status());

        ApiResponse revoked = admin.send("DELETE", "/keys/" + viaApi.substring(4, 20));
        assertEquals(200, revoked.status(), revoked.body());
        assertUnauthorized(api.withKey(viaApi).get("/stats"));

        // another instance revokes it: only the shared table changes
        try (Connection c = DriverManager.getConnection(MessageTable.DB_URL, "postgres", "");
             PreparedStatement s = c.prepareStatement("UPDATE " + owned.schema() + ".api_key SET revoked_at = now() WHERE id = ?")) {
            s.setString(1, elsewhere.substring(4, 20));
            assertEquals(1, s.executeUpdate());
        }
        long revokedAt = System.nanoTime();
        await(Duration.ofSeconds(2), () -> api.withKey(elsewhere).get("/stats").status() == 401, "refused within 2 s");
        assertTrue(System.nanoTime() - revokedAt < Duration.ofSeconds(2).toNanos());
        assertEquals(404, admin.send("DELETE", "/keys/0123456789abcdef").status(), "no such key");
        assertEquals(400, admin.send("DELETE", "/keys/bootstrap").status(), "the bootstrap key is not stored");
    }

    @Test
    void beyond_loopback_no_key_is_401_saying_how_to_get_one() throws Exception {
        String address = NonLoopback.address();
        org.junit.jupiter.api.Assumptions.assumeTrue(address != null, "this machine has no address beyond loopback");
        ApiResponse response = api.at(address).get("/messages/subject/anyone");
        assertUnauthorized(response);
        assertTrue(response.body().contains("Authorization: Bearer"), response.body());
    }
}
