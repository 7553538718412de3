package routes.http;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Cross-origin requests from browsers: allowed only for the origins in http.cors.allowed-origins (none by default),
 * and then only for that origin by name, never '*'. A preflight from any other origin is answered 403; other
 * requests from it go on without CORS headers, so the browser keeps the answer from the page (what such a page
 * could still send without a preflight, a form or text/plain body, is refused with 415 by {@link JsonBodies}).
 */
final class CorsPolicy implements Handler<RoutingContext> {

    private static final String METHODS = "GET, POST, DELETE, PATCH";
    private static final String HEADERS = "Authorization, Content-Type";
    /** Response headers a page may read: where an accepted message is, the next page, when to retry. */
    private static final String EXPOSED = "Location, Link, Retry-After";
    private static final String MAX_AGE_SECONDS = "600";

    private final Set<String> allowedOrigins;
    private final ErrorResponses errors;

    CorsPolicy(List<String> allowedOrigins, ErrorResponses errors) {
        this.allowedOrigins = Set.copyOf(allowedOrigins);
        this.errors = errors;
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        boolean preflight = origin != null && request.method() == HttpMethod.OPTIONS
                && request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD) != null;
        HttpServerResponse response = ctx.response();
        if (origin != null && !allowedOrigins.isEmpty()) {
            response.putHeader(HttpHeaders.VARY, "Origin");
        }
        if (origin != null && allowedOrigins.contains(origin.toLowerCase(Locale.ROOT))) {
            response.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            if (preflight) {
                response.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, METHODS)
                        .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, HEADERS)
                        .putHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, MAX_AGE_SECONDS)
                        .setStatusCode(204)
                        .end();
                return;
            }
            response.putHeader(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED);
        } else if (preflight) {
            errors.reply(ctx, 403, "origin not allowed", allowedOrigins.isEmpty()
                    ? "cross-origin requests are off: http.cors.allowed-origins is empty"
                    : "origin " + origin + " is not in http.cors.allowed-origins");
            return;
        }
        ctx.next();
    }
}
