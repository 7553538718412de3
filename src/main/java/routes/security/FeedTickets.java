package routes.security;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;

import org.apache.camel.Header;
import org.springframework.data.redis.core.StringRedisTemplate;

import routes.model.Principal;

/**
 * Single-use tickets for the live feed, for browsers: a page cannot send Authorization on a WebSocket handshake, and a
 * key in the URL would end up in logs and history. {@code POST /feed/tickets} (scope subscribe) makes one for the
 * caller's key; {@code ws://…?ticket=} spends it, once, within feed.ticket-ttl seconds, and the connection then acts
 * as that key (its subjects included).
 *
 * <p>Tickets live in Redis, so any instance honours one another instance made; expiry is Redis's EX, and spending is
 * one GETDEL, so two instances racing for the same ticket cannot both win. Redis holds the SHA-256 of a ticket, never
 * the ticket, and the key's id, never the key. A ticket is 256 random bits; it is never logged.
 */
public final class FeedTickets {

    private static final int TICKET_BYTES = 32;
    private static final int TICKET_CHARS = 43; // base64url of 32 bytes, unpadded

    private final StringRedisTemplate redis;
    private final String keyPrefix;
    private final Duration lifetime;
    private final ApiKeys keys;
    private final SecureRandom random = new SecureRandom();

    /** {@code keyPrefix}: the Redis keys' common start, e.g. {@code message_queue:feed-ticket:}. */
    public FeedTickets(StringRedisTemplate redis, String keyPrefix, Duration lifetime, ApiKeys keys) {
        this.redis = redis;
        this.keyPrefix = keyPrefix;
        this.lifetime = lifetime;
        this.keys = keys;
    }

    /** POST /feed/tickets: {@code {"ticket": "...", "expires_in": 30}} for the caller's key. */
    public String issue(@Header(Callers.HEADER) Object user) {
        Principal caller = Callers.of(user);
        byte[] bytes = new byte[TICKET_BYTES];
        random.nextBytes(bytes);
        String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        redis.opsForValue().set(redisKey(ticket), caller.keyId(), lifetime);
        return "{\"ticket\":\"" + ticket + "\",\"expires_in\":" + lifetime.toSeconds() + "}";
    }

    /**
     * Spends a ticket: the principal of the key that made it, as that key is now, or null when the ticket is unknown,
     * expired, already spent, or its key has been revoked since. Blocks for one Redis round trip.
     */
    public Principal redeem(String ticket) {
        if (ticket == null || ticket.length() != TICKET_CHARS || !ticket.matches("[A-Za-z0-9_-]+")) {
            return null;
        }
        String keyId = redis.opsForValue().getAndDelete(redisKey(ticket));
        return keyId == null ? null : keys.byId(keyId);
    }

    private String redisKey(String ticket) {
        return keyPrefix + HexFormat.of().formatHex(ApiKeys.sha256(ticket));
    }
}
