package routes.security;

import java.util.List;

import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;

import routes.support.ApiClient;
import routes.support.ApiResponse;
import routes.support.Json;
import routes.support.Messages;
import routes.support.RouteTestSupport;

import static org.junit.jupiter.api.Assertions.*;

/**
 * OWASP API5:2023 Broken Function Level Authorization: each scope opens its functions only; administration needs
 * admin, and an admin bound to subjects stays within them.
 */
@CamelMainTest(properties = {
        "security.admin-key=" + TestKeys.ADMIN
})
class FunctionLevelAuthorizationRouteTest extends RouteTestSupport {

    private final ApiClient admin = api.withKey(TestKeys.ADMIN);

    private static void assertForbidden(ApiResponse response) {
        assertEquals(403, response.status(), response.toString() + " " + response.body());
        assertEquals("forbidden", response.json().get("error").asText());
    }

    @Test
    void each_scope_opens_its_own_functions_only() {
        ApiClient ingest = api.withKey(TestKeys.create(admin, "producer", List.of("ingest"), null));
        ApiClient read = api.withKey(TestKeys.create(admin, "reader", List.of("read"), null));
        ApiClient subscribe = api.withKey(TestKeys.create(admin, "watcher", List.of("subscribe"), null));

        assertEquals(202, ingest.postMessages(Json.write(Messages.minimal("a", "b"))).status());
        assertForbidden(ingest.get("/messages/subject/a"));
        assertForbidden(ingest.get("/stats"));
        assertEquals(200, read.get("/messages/subject/a").status());
        assertForbidden(read.postMessages(Json.write(Messages.minimal("a", "b"))));
        assertForbidden(subscribe.get("/messages/subject/a"));
        for (ApiClient notAdmin : List.of(ingest, read, subscribe)) {
            assertForbidden(notAdmin.get("/keys"));
            assertForbidden(notAdmin.sendJson("POST", "/keys", "{\"name\": \"escalate\", \"scopes\": [\"admin\"]}"));
            assertForbidden(notAdmin.send("DELETE", "/keys/0123456789abcdef"));
            assertForbidden(notAdmin.get("/dead-letters"));
            assertForbidden(notAdmin.send("DELETE", "/dead-letters"));
            assertForbidden(notAdmin.sendJson("POST", "/dead-letters/replay", "{}"));
        }
    }

    @Test
    void an_admin_bound_to_subjects_stays_within_them() {
        ApiClient boundAdmin = api.withKey(TestKeys.create(admin, "team admin", List.of("admin", "read"), List.of("team-a", "team-b")));
        assertForbidden(boundAdmin.get("/dead-letters"));
        assertForbidden(boundAdmin.sendJson("POST", "/keys", "{\"name\": \"wider\", \"scopes\": [\"read\"]}"));
        assertForbidden(boundAdmin.sendJson("POST", "/keys", "{\"name\": \"other\", \"scopes\": [\"read\"], \"subjects\": [\"team-c\"]}"));
        ApiResponse narrower = boundAdmin.sendJson("POST", "/keys", "{\"name\": \"a only\", \"scopes\": [\"read\"], \"subjects\": [\"team-a\"]}");
        assertEquals(201, narrower.status(), narrower.body());
    }
}
