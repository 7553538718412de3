package routes.http;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * JSON bodies for what the HTTP server answers before any route runs: an unknown path (404), a known path
 * with another method (405, with Allow), a body over http.max-body-size (413), and the path of a route an
 * operator stopped (503, with Retry-After). Installed on the platform-http
 * Vert.x router once the routes have registered their paths; then the {@link ReadinessGate} opens.
 */
public final class HttpErrorPages implements StartupListener {

    private final ErrorResponses errors;
    private final ReadinessGate readiness;
    /** Path templates and methods served at start-up: a stopped route's path answers 503, not 404. */
    private final List<Route> servedAtStart = new java.util.ArrayList<>();

    public HttpErrorPages(ErrorResponses errors, ReadinessGate readiness) {
        this.errors = errors;
        this.readiness = readiness;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // the routers are complete only once every route has started; see onCamelContextFullyStarted
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        for (VertxPlatformHttpRouter router : context.getRegistry().findByType(VertxPlatformHttpRouter.class)) {
            servedAtStart.addAll(router.getRoutes());
            router.route().failureHandler(this::failed);
            router.route().last().handler(ctx -> unmatched(router, ctx));
        }
        readiness.open();
    }

    private void failed(RoutingContext ctx) {
        int status = ctx.statusCode();
        switch (status) {
            case 413 -> send(ctx, 413, "payload too large", "the body exceeds the limit set by http.max-body-size");
            case 400 -> send(ctx, 400, "bad request", "the request could not be read");
            default -> send(ctx, status < 400 ? 500 : status, "request failed", String.valueOf(ctx.failure()));
        }
    }

    private void unmatched(Router router, RoutingContext ctx) {
        Set<String> allowed = allowedMethods(router.getRoutes(), ctx.normalizedPath());
        if (allowed.isEmpty() && allowedMethods(servedAtStart, ctx.normalizedPath()).contains(ctx.request().method().name())) {
            ctx.response().putHeader("Retry-After", "5");
            send(ctx, 503, "service unavailable", "the route serving " + ctx.normalizedPath() + " is stopped; retry later");
        } else if (allowed.isEmpty()) {
            send(ctx, 404, "not found", "no resource at " + ctx.normalizedPath() + "; see the README for the API");
        } else {
            ctx.response().putHeader("Allow", String.join(", ", allowed));
            send(ctx, 405, "method not allowed", ctx.request().method() + " is not allowed on " + ctx.normalizedPath()
                    + "; allowed: " + String.join(", ", allowed));
        }
    }

    /** Methods of the routes whose path template (segments, ':name' for a parameter) matches this path. */
    private static Set<String> allowedMethods(List<Route> routes, String path) {
        Set<String> allowed = new TreeSet<>();
        String[] segments = path.split("/", -1);
        for (Route route : routes) {
            String template = route.getPath();
            if (template == null || route.methods() == null || route.methods().isEmpty()) {
                continue;
            }
            String[] parts = template.split("/", -1);
            boolean matches = parts.length == segments.length;
            for (int i = 0; matches && i < parts.length; i++) {
                matches = parts[i].startsWith(":") ? !segments[i].isEmpty() : parts[i].equals(segments[i]);
            }
            if (matches) {
                route.methods().stream().map(HttpMethod::name).forEach(allowed::add);
            }
        }
        return allowed;
    }

    private void send(RoutingContext ctx, int status, String error, String detail) {
        errors.reply(ctx, status, error, detail);
    }
}
