package routes.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * How long a client may take to send a request (http.read-timeout) and to start the next one (http.idle-timeout),
 * so slow or silent clients cannot hold connections. These are hard deadlines: a client that drips a byte now and
 * then gets no more time than a silent one (Vert.x's own idle timeout restarts with every byte).
 * <ul>
 * <li>a new connection must deliver its first request's headers within the read timeout, and a kept-alive
 * connection the next request's within the idle timeout after the last response; otherwise it is closed
 * (there is no request to answer yet);</li>
 * <li>a request's body must be complete within the read timeout after its headers; otherwise it is answered
 * 408 (or, when it was answered already without its body, not answered again) and the connection closed.</li>
 * </ul>
 */
final class RequestDeadlines {

    private final Vertx vertx;
    private final ErrorResponses errors;
    private final long readTimeoutMillis;
    private final long idleTimeoutMillis;
    /** Connections between requests, and the timer that closes each unless a request arrives first. */
    private final Map<HttpConnection, Long> awaitingRequest = new ConcurrentHashMap<>();

    RequestDeadlines(Vertx vertx, ErrorResponses errors, Duration readTimeout, Duration idleTimeout) {
        this.vertx = vertx;
        this.errors = errors;
        this.readTimeoutMillis = readTimeout.toMillis();
        this.idleTimeoutMillis = idleTimeout.toMillis();
    }

    /** The server's connection handler. */
    void connected(HttpConnection connection) {
        awaitRequest(connection, readTimeoutMillis);
        connection.closeHandler(closed -> stopAwaiting(connection));
    }

    /** The first handler of every request on the router. */
    void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        HttpConnection connection = request.connection();
        stopAwaiting(connection);
        // when the timer fires with the body read, the route is merely slow: that is not the client's doing
        long bodyTimer = request.isEnded() ? -1 : vertx.setTimer(readTimeoutMillis, id -> {
            if (!request.isEnded()) {
                timedOut(ctx);
            }
        });
        ctx.addEndHandler(done -> {
            // answered before the body was read (a refusal): the timer still bounds the unread rest
            if (bodyTimer >= 0 && request.isEnded()) {
                vertx.cancelTimer(bodyTimer);
            }
            if (done.succeeded()) {
                awaitRequest(connection, idleTimeoutMillis);
            }
        });
        ctx.next();
    }

    private void timedOut(RoutingContext ctx) {
        HttpConnection connection = ctx.request().connection();
        if (ctx.response().headWritten()) {
            connection.close();
            return;
        }
        ctx.response().putHeader("Connection", "close");
        errors.reply(ctx, 408, "request timeout", "the request was not complete within http.read-timeout ("
                + readTimeoutMillis + " ms)").onComplete(written -> connection.close());
    }

    private void awaitRequest(HttpConnection connection, long millis) {
        long timer = vertx.setTimer(millis, id -> {
            // a timer cancelled too late (the request arrived meanwhile) finds another id, or none, here
            if (awaitingRequest.remove(connection, id)) {
                connection.close();
            }
        });
        Long previous = awaitingRequest.put(connection, timer);
        if (previous != null) {
            vertx.cancelTimer(previous);
        }
    }

    private void stopAwaiting(HttpConnection connection) {
        Long timer = awaitingRequest.remove(connection);
        if (timer != null) {
            vertx.cancelTimer(timer);
        }
    }
}
