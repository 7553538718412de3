package routes.http;

import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * JSON bodies for the errors the HTTP server answers before any route runs: unknown path, wrong method, body
 * over the limit. Installed on the platform-http Vert.x router once it exists.
 */
public final class HttpErrorPages implements StartupListener {

    private final ErrorResponses errors;

    public HttpErrorPages(ErrorResponses errors) {
        this.errors = errors;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        install(context);
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        install(context);
    }

    private void install(CamelContext context) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context);
        if (router == null) {
            return;
        }
        answer(router, 404, "not found", "no such resource; see the README for the API");
        answer(router, 405, "method not allowed", "this resource does not take that method");
        answer(router, 413, "payload too large", "the body exceeds the limit set by http.max-body-size");
        answer(router, 415, "unsupported media type", "send Content-Type: application/json");
        answer(router, 400, "bad request", "the request could not be read");
    }

    private void answer(VertxPlatformHttpRouter router, int status, String error, String detail) {
        String body = errors.json(error, List.of(detail));
        router.errorHandler(status, ctx -> {
            if (!ctx.response().ended()) {
                ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
            }
        });
    }
}
