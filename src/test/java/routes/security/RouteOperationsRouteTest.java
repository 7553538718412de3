package routes.security;

import java.time.Duration;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;

import routes.support.ApiClient;
import routes.support.ApiResponse;
import routes.support.Json;
import routes.support.Messages;
import routes.support.RouteTestSupport;

import static org.junit.jupiter.api.Assertions.*;
import static routes.support.Await.await;
import static routes.support.Await.holdsFor;

/**
 * POST /admin/routes/{id}/{operation} really starts, stops, suspends and resumes a route, each audited; an unknown
 * route is 404, an unknown operation 400; the routes of the API itself are kept in service (409); GET /admin/routes
 * lists every route and its state.
 */
@CamelMainTest(properties = {
        "security.admin-key=" + TestKeys.ADMIN,
        "batch.interval=100"
})
class RouteOperationsRouteTest extends RouteTestSupport {

    private static final Duration DRAINED = Duration.ofSeconds(20);
    private final ApiClient admin = api.withKey(TestKeys.ADMIN);

    private JsonNode operate(String route, String operation, int status) {
        ApiResponse response = admin.send("POST", "/admin/routes/" + route + "/" + operation);
        assertEquals(status, response.status(), response::toString);
        return response.json();
    }

    private JsonNode newestAudit() {
        return admin.get("/admin/audit?limit=1").json().get(0);
    }

    private String state(String route) {
        for (JsonNode row : admin.get("/admin/routes").json()) {
            if (row.get("route").asText().equals(route)) {
                return row.get("state").asText();
            }
        }
        throw new AssertionError("no route " + route + " in GET /admin/routes");
    }

    @Test
    void a_drain_stopped_over_http_leaves_messages_waiting_until_it_is_started() {
        JsonNode stopped = operate("drain-queue", "stop", 200);
        assertEquals("drain-queue", stopped.get("route").asText());
        assertEquals("stop", stopped.get("operation").asText());
        assertEquals("Stopped", stopped.get("state").asText());
        assertEquals("Stopped", state("drain-queue"));
        JsonNode audited = newestAudit();
        assertEquals("route.stop", audited.get("action").asText());
        assertEquals("drain-queue", audited.get("target").asText());
        assertEquals("ok", audited.get("outcome").asText());
        assertEquals("bootstrap", audited.get("key_id").asText());

        ObjectNode message = Messages.marker();
        UUID uuid = UUID.fromString(message.get("message_uuid").asText());
        queue.push(Json.write(message));
        holdsFor(Duration.ofMillis(1500), () -> table.countByUuid(uuid) == 0 && queue.waiting() == 1,
                "nothing is drained while drain-queue is stopped");

        assertEquals("Started", operate("drain-queue", "start", 200).get("state").asText());
        assertEquals("route.start", newestAudit().get("action").asText());
        await(DRAINED, () -> table.countByUuid(uuid) == 1, "stored once the drain is started again");
    }

    @Test
    void a_route_suspended_over_http_resumes() {
        assertEquals("Suspended", operate("drain-queue", "suspend", 200).get("state").asText());
        assertEquals("route.suspend", newestAudit().get("action").asText());
        assertEquals("Suspended", getCamelContext().getRouteController().getRouteStatus("drain-queue").name());
        assertEquals("Started", operate("drain-queue", "resume", 200).get("state").asText());
        assertEquals("route.resume", newestAudit().get("action").asText());
    }

    @Test
    void an_unknown_route_is_404_and_an_unknown_operation_400_both_audited() {
        operate("no-such-route", "stop", 404);
        JsonNode unknownRoute = newestAudit();
        assertEquals("route.stop", unknownRoute.get("action").asText());
        assertEquals("no-such-route", unknownRoute.get("target").asText());
        assertTrue(unknownRoute.get("outcome").asText().startsWith("404 "), unknownRoute::toString);

        JsonNode refused = operate("drain-queue", "restart", 400);
        assertTrue(refused.get("details").get(0).asText().contains("start, stop, suspend, resume"), refused::toString);
        JsonNode unknownOperation = newestAudit();
        assertEquals("route.restart", unknownOperation.get("action").asText());
        assertEquals("400 invalid operation", unknownOperation.get("outcome").asText());
        assertEquals("Started", state("drain-queue"));
    }

    @Test
    void the_routes_of_the_api_itself_are_kept_in_service() {
        for (String route : new String[] {"operate-route", "list-routes", "list-audit", "refresh-keys"}) {
            for (String operation : new String[] {"stop", "suspend"}) {
                JsonNode refused = operate(route, operation, 409);
                assertTrue(refused.get("details").get(0).asText().startsWith("route " + route), refused::toString);
                assertEquals("409 refused", newestAudit().get("outcome").asText());
            }
            assertEquals("Started", state(route));
        }
        assertEquals("Started", operate("operate-route", "start", 200).get("state").asText(), "starting is harmless");
    }

    @Test
    void lists_every_route_with_its_state_and_what_it_serves() {
        JsonNode routes = admin.get("/admin/routes").json();
        assertTrue(routes.size() > 20, routes::toString);
        for (JsonNode route : routes) {
            if (route.get("route").asText().equals("operate-route")) {
                assertEquals("rest://post:/admin:/routes/%7Bid%7D/%7Boperation%7D", route.get("from").asText());
            }
        }
        assertEquals("Started", state("ingest-http"));
        assertEquals("Started", state("persist-batch"));
    }
}
