package routes.security;

import java.util.List;

import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;

import routes.support.ApiClient;
import routes.support.ApiResponse;
import routes.support.RouteTestSupport;

import static org.junit.jupiter.api.Assertions.*;

/**
 * OWASP API3:2023 Broken Object Property Level Authorization: a key request sets only name, scopes and subjects
 * (no id, creator or hash of its own choosing), and what the API shows of a key never includes its secret or hash.
 */
@CamelMainTest(properties = {
        "security.admin-key=" + TestKeys.ADMIN
})
class PropertyLevelAuthorizationRouteTest extends RouteTestSupport {

    private final ApiClient admin = api.withKey(TestKeys.ADMIN);

    @Test
    void a_key_request_sets_only_name_scopes_and_subjects() {
        ApiResponse extra = admin.sendJson("POST", "/keys",
                "{\"name\": \"x\", \"scopes\": [\"read\"], \"id\": \"0123456789abcdef\", \"created_by\": \"someone\","
                        + " \"secret_hash\": \"00\"}");
        assertEquals(400, extra.status(), extra.body());
        assertTrue(extra.body().contains("id: unknown field"), extra.body());
        for (String bad : List.of("{\"scopes\": [\"read\"]}", "{\"name\": \"x\"}", "{\"name\": \"x\", \"scopes\": []}",
                "{\"name\": \"x\", \"scopes\": [\"root\"]}", "{\"name\": \"x\", \"scopes\": [\"read\"], \"subjects\": []}",
                "{\"name\": \"x\", \"scopes\": [\"read\"], \"subjects\": [\"\"]}", "[]", "not json")) {
            ApiResponse response = admin.sendJson("POST", "/keys", bad);
            assertEquals(400, response.status(), bad + " -> " + response.body());
        }
        assertEquals(415, admin.post("/keys", "text/plain", "{\"name\": \"x\", \"scopes\": [\"read\"]}").status());
    }

    @Test
    void what_the_api_shows_of_a_key_is_never_its_secret() {
        ApiResponse created = admin.sendJson("POST", "/keys", "{\"name\": \"shown\", \"scopes\": [\"read\"]}");
        String secret = created.json().get("key").asText().substring(21);
        String listed = admin.get("/keys").body();
        assertFalse(listed.contains(secret), listed);
        for (String field : List.of("secret", "hash", "key\"")) {
            assertFalse(listed.contains("\"" + field), field + " in " + listed);
        }
    }
}
