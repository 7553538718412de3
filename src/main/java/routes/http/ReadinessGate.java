package routes.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers every request 503 with Retry-After, in the JSON error shape, while the service is not ready: from the
 * moment its port opens until every route is registered (a POST /messages used to find no route there and get a
 * 404, which a producer may take for a wrong URL and drop its message), and again from the moment it begins to
 * stop. Requests it let through before finish normally: Camel's graceful shutdown waits for them.
 *
 * <p>{@link HttpErrorPages} opens it once the routers are complete. It closes in the CamelContext's
 * {@code onContextStopping} (see MessageLoggerConfiguration), which Camel calls first thing in {@code stop()},
 * before its stopping event and before any route stops. On SIGTERM, camel-main's shutdown hook only wakes the main
 * thread, which then stops the context: until that moment the service is still whole.
 */
public final class ReadinessGate implements Handler<RoutingContext> {

    private enum State { STARTING, READY, STOPPING }

    private final ErrorResponses errors;
    private volatile State state = State.STARTING;

    public ReadinessGate(ErrorResponses errors) {
        this.errors = errors;
    }

    /** Every route is there: let requests through. */
    public void open() {
        state = State.READY;
    }

    /** The service begins to stop: refuse what comes next. */
    public void close() {
        state = State.STOPPING;
    }

    public boolean isOpen() {
        return state == State.READY;
    }

    @Override
    public void handle(RoutingContext ctx) {
        State now = state;
        if (now == State.READY) {
            ctx.next();
            return;
        }
        // the body is never read: closing the connection keeps it from holding up the client's next request, and
        // sends a client of a stopping instance elsewhere
        ctx.response().putHeader("Connection", "close");
        if (now == State.STARTING) {
            ctx.response().putHeader("Retry-After", "1");
            errors.reply(ctx, 503, "service unavailable", "the service is starting; retry in a moment");
        } else {
            ctx.response().putHeader("Retry-After", "5");
            errors.reply(ctx, 503, "service unavailable", "the service is shutting down; retry later or elsewhere");
        }
    }
}
