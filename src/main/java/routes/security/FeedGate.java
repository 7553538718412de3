package routes.security;

import java.util.List;
import java.util.Locale;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

import routes.model.Principal;
import routes.model.Scope;

/**
 * Runs first on every request to the feed's WebSocket server, before any upgrade: a handshake it refuses gets a
 * plain HTTP answer (403 foreign Origin, 401 no working key or ticket, 403 no scope subscribe, 429 too many
 * connections), never a socket that is closed later. The caller is found as the API finds it ({@link ApiGate}: the
 * same Authorization header, the same anonymous rule, the same 401s), or from a single-use {@code ?ticket=}
 * ({@link FeedTickets}) for browsers. An admitted handshake holds a connection slot ({@link Slots}) that carries
 * its caller on to the connection.
 */
public final class FeedGate implements Handler<RoutingContext> {

    private static final String TICKET = "ticket";

    /** The feed's connection slots (routes.feed.FeedSlots). */
    @FunctionalInterface
    public interface Slots {
        /** Takes a slot for this connection and caller; null when taken, otherwise why not (a cap is reached). */
        String reserve(SocketAddress remote, Principal caller);
    }

    private final ApiGate api;
    private final FeedTickets tickets;
    private final AllowedOrigins origins;
    private final Slots slots;

    public FeedGate(ApiGate api, FeedTickets tickets, AllowedOrigins origins, Slots slots) {
        this.api = api;
        this.tickets = tickets;
        this.origins = origins;
        this.slots = slots;
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String origin = request.getHeader("Origin");
        if (origin != null && !origins.allows(origin, hostOf(request))) {
            api.refuse(ctx, 403, "forbidden", "a page of origin " + origin + " may not open the feed (feed.allowed-origins)");
            return;
        }
        String ticket = takeReservedParameters(ctx.queryParams());
        if (ticket == null) {
            Principal caller = api.caller(ctx);
            if (caller != null && admitted(ctx, caller)) {
                ctx.next();
            }
            return;
        }
        // the upgrade needs the request still unread when it comes: hold it while Redis answers (off the event loop)
        request.pause();
        ctx.vertx().executeBlocking(() -> tickets.redeem(ticket), false).onComplete(redeemed -> {
            if (redeemed.failed()) {
                request.resume();
                api.refuse(ctx, 503, "service unavailable", "the ticket cannot be checked now: Redis is unreachable");
                return;
            }
            Principal caller = redeemed.result();
            if (caller == null || !api.stillAdmits(caller, request.remoteAddress())) {
                request.resume();
                api.unauthorized(ctx, "invalid_token", "the ticket is unknown, expired or already used:"
                        + " get a new one with POST /feed/tickets");
                return;
            }
            if (admitted(ctx, caller)) {
                ctx.next();
            } else {
                request.resume();
            }
        });
    }

    /** Refuses a caller without scope subscribe, or over a cap; otherwise it holds a slot now. */
    private boolean admitted(RoutingContext ctx, Principal caller) {
        if (!caller.has(Scope.SUBSCRIBE)) {
            api.refuse(ctx, 403, "forbidden", "this key lacks the scope 'subscribe' needed for the live feed");
            return false;
        }
        String full = slots.reserve(ctx.request().remoteAddress(), caller);
        if (full != null) {
            ctx.response().putHeader("Retry-After", "5");
            api.refuse(ctx, 429, "too many connections", full);
            return false;
        }
        return true;
    }

    /**
     * The ticket, if any. Camel turns every query parameter of the handshake into a header of the connection's
     * exchanges: the ticket must not travel further, nor may a client set Camel's own headers that way.
     */
    private static String takeReservedParameters(MultiMap query) {
        String ticket = query.get(TICKET);
        query.remove(TICKET);
        List<String> camelNames = query.names().stream()
                .filter(name -> name.toLowerCase(Locale.ROOT).startsWith("camel")).toList();
        camelNames.forEach(query::remove);
        return ticket;
    }

    private static String hostOf(HttpServerRequest request) {
        HostAndPort authority = request.authority();
        return authority == null ? null : authority.host();
    }
}
