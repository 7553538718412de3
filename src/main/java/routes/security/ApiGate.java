package routes.security;

import java.util.List;
import java.util.Locale;

import io.vertx.core.Handler;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import routes.model.Principal;

/**
 * Runs before every route of the API (a handler of the platform-http engine, so no route is ever served without
 * it): finds who is calling from {@code Authorization: Bearer <key>}, or lets an anonymous caller in where
 * security.anonymous allows it, and refuses what the caller's scopes do not cover. 401 with WWW-Authenticate when
 * there is no working key, 403 when the key lacks the scope; both in the JSON error shape. The caller reaches the
 * routes as the request's authenticated user (header CamelVertxPlatformHttpAuthenticatedUser), which a client
 * cannot set.
 */
public final class ApiGate implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger(ApiGate.class);
    private static final String CHALLENGE = "Bearer realm=\"message-logger\"";

    /** Who may call without a key. */
    public enum Anonymous {
        /** Only loopback clients, and only while no key exists (like Redis's protected mode). */
        LOOPBACK,
        /** Anyone: open access, for a trusted network. */
        ANY,
        /** No one. */
        NONE;

        public static Anonymous of(String setting) {
            return valueOf(setting.trim().toUpperCase(Locale.ROOT));
        }
    }

    private final ApiKeys keys;
    private final Anonymous anonymous;
    private final ErrorBodies errors;
    private final RateLimits limits;

    /** Writes the JSON error body; routes.http owns its shape. */
    public interface ErrorBodies {
        String json(String error, List<String> details);
    }

    public ApiGate(ApiKeys keys, Anonymous anonymous, ErrorBodies errors, RateLimits limits) {
        this.keys = keys;
        this.anonymous = anonymous;
        this.errors = errors;
        this.limits = limits;
    }

    @Override
    public void handle(RoutingContext ctx) {
        AccessRules.Need need = AccessRules.of(ctx.request().method().name(), ctx.normalizedPath());
        if (need.open()) {
            ctx.next();
            return;
        }
        Principal caller = caller(ctx);
        if (caller == null) {
            return; // answered
        }
        if (!admitted(ctx, caller == Principal.ANONYMOUS ? "addr:" + address(ctx) : "key:" + caller.keyId())) {
            return; // answered
        }
        if (need.scope() != null && !caller.has(need.scope())) {
            refuse(ctx, 403, "forbidden", "this key lacks the scope '" + need.scope().wireName() + "' needed for "
                    + ctx.request().method() + " " + ctx.normalizedPath());
            return;
        }
        if (need.wholeLog() && caller.isBoundToSubjects()) {
            refuse(ctx, 403, "forbidden", ctx.normalizedPath() + " is not limited to subjects, and this key is bound to"
                    + " subjects: use a key that is not");
            return;
        }
        ctx.setUser(Callers.asUser(caller));
        ctx.next();
    }

    /**
     * Counts the request against its caller's rate limit: RateLimit headers on every answer, 429 with Retry-After
     * once the window is full.
     */
    private boolean admitted(RoutingContext ctx, String caller) {
        if (!limits.enabled()) {
            return true;
        }
        RateLimits.Decision decision = limits.acquire(caller);
        ctx.response().putHeader("RateLimit-Limit", Integer.toString(decision.limit()))
                .putHeader("RateLimit-Remaining", Long.toString(decision.remaining()))
                .putHeader("RateLimit-Reset", Long.toString(decision.resetSeconds()));
        if (!decision.allowed()) {
            ctx.response().putHeader("Retry-After", Long.toString(decision.resetSeconds()));
            refuse(ctx, 429, "too many requests", "more than " + decision.limit() + " requests in the window"
                    + " (security.rate-limit); retry after " + decision.resetSeconds() + " s");
        }
        return decision.allowed();
    }

    private static String address(RoutingContext ctx) {
        SocketAddress remote = ctx.request().remoteAddress();
        return remote == null ? "unknown" : remote.hostAddress();
    }

    /**
     * The caller, or null once a 401 (or a 429, for a client that keeps failing) has been sent. The feed's gate asks
     * the same way (FeedGate).
     */
    Principal caller(RoutingContext ctx) {
        String authorization = ctx.request().getHeader("Authorization");
        if (authorization == null) {
            if (anonymousAllowed(ctx.request().remoteAddress())) {
                return Principal.ANONYMOUS;
            }
            unauthorized(ctx, null, keys.anyKeys()
                    ? "an API key is required: send Authorization: Bearer <key>"
                    : "no API key exists yet, and anonymous access is only open to loopback clients"
                    + " (security.anonymous=" + anonymous.name().toLowerCase(Locale.ROOT) + "): start the service with"
                    + " SECURITY_ADMIN_KEY set, then create keys with POST /keys");
            return null;
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            unauthorized(ctx, "invalid_request", "the Authorization header must be 'Bearer <key>'");
            return null;
        }
        Principal principal = keys.authenticate(authorization.substring(7).trim());
        if (principal == null) {
            unauthorized(ctx, "invalid_token", "the key is unknown or revoked");
            return null;
        }
        return principal;
    }

    /**
     * Whether a caller let in earlier would still be let in now, from this address: its key has not been revoked, or,
     * anonymous, anonymous access is still open to it (no key exists yet). Long-lived feed connections ask this.
     */
    public boolean stillAdmits(Principal caller, SocketAddress remote) {
        if (Principal.ANONYMOUS_ID.equals(caller.keyId())) {
            return anonymousAllowed(remote);
        }
        return keys.byId(caller.keyId()) != null;
    }

    private boolean anonymousAllowed(SocketAddress remote) {
        return switch (anonymous) {
            case ANY -> true;
            case NONE -> false;
            case LOOPBACK -> !keys.anyKeys() && isLoopback(remote);
        };
    }

    static boolean isLoopback(SocketAddress remote) {
        if (remote == null || remote.hostAddress() == null) {
            return false;
        }
        String host = remote.hostAddress();
        return host.startsWith("127.") || host.equals("::1") || host.equals("0:0:0:0:0:0:0:1");
    }

    void unauthorized(RoutingContext ctx, String errorCode, String detail) {
        // guessing keys costs the guesser its address's rate limit
        if (!admitted(ctx, "addr:" + address(ctx))) {
            return;
        }
        ctx.response().putHeader("WWW-Authenticate", errorCode == null ? CHALLENGE : CHALLENGE + ", error=\"" + errorCode + "\"");
        refuse(ctx, 401, "unauthorized", detail);
    }

    void refuse(RoutingContext ctx, int status, String error, String detail) {
        LOG.debug("{} {} {}: {}", status, ctx.request().method(), ctx.normalizedPath(), detail);
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(errors.json(error, List.of(detail)));
    }
}
