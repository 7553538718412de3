package routes.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;

import routes.model.ResourceText;

/**
 * Requests per key (or per client address, for anonymous callers) in fixed windows of security.rate-limit-window,
 * shared by every instance through Redis. A request is decided here, in memory, without a round trip: each
 * instance counts its own requests at once and learns the others' at every {@link #sync()} (one round trip for
 * all keys, every 100 ms by default), so together the instances admit at most the limit, give or take what they
 * admit between two syncs. Redis out of reach only means the instances stop hearing of each other.
 */
public final class RateLimits {

    private static final Logger LOG = LoggerFactory.getLogger(RateLimits.class);

    /** For each key: INCRBY its window's counter by what this instance counted, return the window's total. */
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> SYNC =
            new DefaultRedisScript<>(ResourceText.read("redis/rate-limit-sync.lua"), List.class);

    /** The answer for one request: allowed or not, and what the RateLimit headers say. */
    public record Decision(boolean allowed, int limit, long remaining, long resetSeconds) {
    }

    private static final class Window {
        long number;
        /** This instance's requests in the window not yet sent to Redis. */
        long unsent;
        /** Sent, with the sync under way: counted until its answer includes them. */
        long sending;
        /** The window's total across instances at the last sync (this instance's sent requests included). */
        long shared;
    }

    private final StringRedisTemplate redis;
    private final String prefix;
    private final int limit;
    private final long windowMillis;
    private final LongSupplier clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private volatile boolean syncFailing;

    public RateLimits(StringRedisTemplate redis, String prefix, int limit, long windowMillis, LongSupplier clock) {
        this.redis = redis;
        this.prefix = prefix;
        this.limit = limit;
        this.windowMillis = windowMillis;
        this.clock = clock;
    }

    /** Off when the limit is 0. */
    public boolean enabled() {
        return limit > 0;
    }

    /** Counts one request of this caller, if the window has room for it. */
    public Decision acquire(String caller) {
        long now = clock.getAsLong();
        long number = now / windowMillis;
        long resetSeconds = Math.max(1, ((number + 1) * windowMillis - now + 999) / 1000);
        Window window = windows.computeIfAbsent(caller, c -> new Window());
        synchronized (window) {
            if (window.number != number) {
                window.number = number;
                window.unsent = 0;
                window.sending = 0;
                window.shared = 0;
            }
            long used = window.shared + window.sending + window.unsent;
            if (used >= limit) {
                return new Decision(false, limit, 0, resetSeconds);
            }
            window.unsent++;
            return new Decision(true, limit, limit - used - 1, resetSeconds);
        }
    }

    /** Sends what this instance counted and learns the totals, for every caller of the current window. */
    public void sync() {
        long number = clock.getAsLong() / windowMillis;
        List<String> callers = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<String> counts = new ArrayList<>();
        List<Long> sent = new ArrayList<>();
        for (Map.Entry<String, Window> entry : windows.entrySet()) {
            Window window = entry.getValue();
            synchronized (window) {
                if (window.number != number) {
                    windows.remove(entry.getKey(), window); // a caller quiet for a whole window is forgotten
                    continue;
                }
                callers.add(entry.getKey());
                keys.add(prefix + entry.getKey() + ":" + number);
                counts.add(Long.toString(window.unsent));
                sent.add(window.unsent);
                window.sending = window.unsent;
                window.unsent = 0;
            }
        }
        if (keys.isEmpty()) {
            return;
        }
        counts.add(Long.toString(2 * windowMillis));
        List<?> totals;
        try {
            totals = redis.execute(SYNC, keys, counts.toArray());
        } catch (RuntimeException e) {
            restore(callers, sent, number);
            if (!syncFailing) {
                LOG.warn("Rate limits are counted per instance while Redis is out of reach ({})", e.getMessage());
                syncFailing = true;
            }
            return;
        }
        syncFailing = false;
        for (int i = 0; i < callers.size(); i++) {
            Window window = windows.get(callers.get(i));
            if (window != null) {
                synchronized (window) {
                    if (window.number == number) {
                        window.shared = ((Number) totals.get(i)).longValue();
                        window.sending = 0;
                    }
                }
            }
        }
    }

    /** The counts could not be sent: they are sent with the next sync. */
    private void restore(List<String> callers, List<Long> sent, long number) {
        for (int i = 0; i < callers.size(); i++) {
            Window window = windows.get(callers.get(i));
            if (window != null) {
                synchronized (window) {
                    if (window.number == number) {
                        window.unsent += sent.get(i);
                        window.sending = 0;
                    }
                }
            }
        }
    }
}
