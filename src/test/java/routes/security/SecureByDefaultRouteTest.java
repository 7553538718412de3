package routes.security;

import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import routes.support.ApiResponse;
import routes.support.Json;
import routes.support.Messages;
import routes.support.RouteTestSupport;

import static org.junit.jupiter.api.Assertions.*;

/**
 * With the defaults and no key anywhere (like Redis's protected mode): loopback clients use the API without a key,
 * everyone else gets 401 saying how to create one.
 */
@CamelMainTest
class SecureByDefaultRouteTest extends RouteTestSupport {

    @Test
    void loopback_clients_need_no_key_while_none_exists() {
        assertEquals(202, api.postMessages(Json.write(Messages.minimal("a", "b"))).status());
        assertEquals(200, api.get("/messages/subject/a").status());
    }

    @Test
    void clients_beyond_loopback_get_401_saying_how_to_create_a_key() throws Exception {
        String address = NonLoopback.address();
        Assumptions.assumeTrue(address != null, "this machine has no address beyond loopback");
        for (ApiResponse response : new ApiResponse[] {api.at(address).get("/messages/subject/a"),
                api.at(address).postMessages(Json.write(Messages.minimal("a", "b"))), api.at(address).get("/dead-letters")}) {
            assertEquals(401, response.status(), response.body());
            assertTrue(response.body().contains("SECURITY_ADMIN_KEY"), response.body());
            assertTrue(response.header("WWW-Authenticate").isPresent());
        }
    }
}
