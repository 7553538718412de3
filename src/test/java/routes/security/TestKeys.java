package routes.security;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import routes.support.ApiClient;
import routes.support.ApiResponse;
import routes.support.Json;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Keys made through POST /keys, as an operator would. */
final class TestKeys {

    /** The bootstrap admin key the security tests start the service with (security.admin-key). */
    static final String ADMIN = "test-bootstrap-admin-key-0123456789abcdef";

    private TestKeys() {
    }

    /** A new key's token; subjects null: not bound to subjects. */
    static String create(ApiClient admin, String name, List<String> scopes, List<String> subjects) {
        ObjectNode request = Json.object();
        request.put("name", name);
        scopes.forEach(request.putArray("scopes")::add);
        if (subjects != null) {
            subjects.forEach(request.putArray("subjects")::add);
        }
        ApiResponse created = admin.sendJson("POST", "/keys", Json.write(request));
        assertEquals(201, created.status(), created.body());
        return created.json().get("key").asText();
    }
}
