package routes.admin;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.apache.camel.CamelContext;
import org.apache.camel.Headers;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.spi.RouteController;
import org.apache.camel.util.URISupport;

import routes.model.ClientErrorException;
import routes.query.RequestParameters;

/**
 * GET /admin/routes and POST /admin/routes/{id}/{operation}: the routes and their states, and start, stop, suspend
 * or resume of one route through the route controller (what JMX and Jolokia offer on the management port). Stopping
 * or suspending the routes the administration itself needs is refused with 409.
 */
public final class RouteOperations {

    private static final List<String> OPERATIONS = List.of("start", "stop", "suspend", "resume");
    /** Operations that take a route out of service; start and resume are always allowed. */
    private static final List<String> OUT_OF_SERVICE = List.of("stop", "suspend");
    /**
     * Routes kept in service, and why. A REST verb's route is the route it calls (inlined), so
     * stopping operate-route would take POST /admin/routes/... away.
     */
    private static final Map<String, String> KEPT_IN_SERVICE = Map.of(
            "operate-route", "serves POST /admin/routes/{id}/{operation}: no route could be started again over HTTP",
            "list-routes", "serves GET /admin/routes",
            "list-audit", "serves GET /admin/audit: the audit stays readable",
            "refresh-keys", "reads the keys made and revoked on other instances: a key revoked elsewhere would keep"
                    + " working here");

    private final CamelContext context;
    private final JsonFactory json;

    public RouteOperations(CamelContext context, JsonFactory json) {
        this.context = context;
        this.json = json;
    }

    /** Every route: its id, its state and what it consumes from (rest://get:/stats: the route serving GET /stats). */
    public String list() {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartArray();
            for (Route route : context.getRoutes().stream().sorted(Comparator.comparing(Route::getRouteId)).toList()) {
                g.writeStartObject();
                g.writeStringField("route", route.getRouteId());
                g.writeStringField("state", state(route.getRouteId()));
                g.writeStringField("from", URISupport.sanitizeUri(route.getEndpoint().getEndpointBaseUri()));
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** POST /admin/routes/{id}/{operation}: {"route": id, "operation": ..., "state": "Started|Stopped|Suspended"}. */
    public String operate(@Headers Map<String, Object> headers) throws Exception {
        RequestParameters.requireUtf8(headers, "id");
        String operation = RequestParameters.text("operation", headers.get("operation"));
        if (!OPERATIONS.contains(operation)) {
            throw ClientErrorException.badRequest("invalid operation", List.of("operation: must be one of "
                    + String.join(", ", OPERATIONS) + ", got " + RequestParameters.shown(String.valueOf(operation))));
        }
        String id = RequestParameters.text("id", headers.get("id"));
        Route route = id == null ? null : context.getRoute(id);
        if (route == null) {
            throw ClientErrorException.notFound("no route with id " + RequestParameters.shown(String.valueOf(id)));
        }
        String refusal = KEPT_IN_SERVICE.get(id);
        if (refusal != null && OUT_OF_SERVICE.contains(operation)) {
            throw new ClientErrorException(409, "refused", List.of("route " + id + " " + refusal + "; use JMX or Jolokia"
                    + " on the management port if it must be " + (operation.equals("stop") ? "stopped" : "suspended")));
        }
        RouteController controller = context.getRouteController();
        switch (operation) {
            case "start" -> controller.startRoute(id);
            case "stop" -> controller.stopRoute(id);
            case "suspend" -> controller.suspendRoute(id);
            default -> controller.resumeRoute(id);
        }
        StringWriter out = new StringWriter();
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("route", id);
            g.writeStringField("operation", operation);
            g.writeStringField("state", state(id));
            g.writeEndObject();
        }
        return out.toString();
    }

    private String state(String id) {
        ServiceStatus status = context.getRouteController().getRouteStatus(id);
        return status == null ? null : status.name();
    }
}
