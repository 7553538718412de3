package routes.feed;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * The Redis subscription behind the feed-relay route, held only while someone watches: it starts when the first
 * client connects (before that client is counted, so nothing published after it connected is missed) and ends
 * after the last one has been gone for a while. An instance nobody watches then spends nothing on the feed.
 *
 * <p>Once subscribed, Spring's container resubscribes by itself after Redis comes back. A subscription that could
 * not even start (Redis unreachable when the first client connected) is retried here, from the sweep.
 */
public final class FeedSubscription {

    private static final Logger LOG = LoggerFactory.getLogger(FeedSubscription.class);
    private static final long RETRY_NANOS = Duration.ofSeconds(2).toNanos();

    private final RedisMessageListenerContainer container;
    private final long lingerNanos;
    private long idleSince = -1;
    private long failedAt = -1;

    public FeedSubscription(RedisMessageListenerContainer container, Duration linger) {
        this.container = container;
        this.lingerNanos = linger.toNanos();
    }

    /** Subscribes, waiting until Redis confirmed it, unless already subscribed. */
    public synchronized void hold() {
        idleSince = -1;
        if (!container.isRunning()) {
            subscribe();
        }
    }

    /** Called with the number of clients on every sweep: retries a failed start, unsubscribes once nobody watched for a while. */
    public synchronized void clients(int count) {
        long now = System.nanoTime();
        if (count > 0) {
            idleSince = -1;
            if (failedAt >= 0 && now - failedAt > RETRY_NANOS) {
                subscribe();
            }
            return;
        }
        if (!container.isRunning()) {
            return;
        }
        if (idleSince < 0) {
            idleSince = now;
        } else if (now - idleSince > lingerNanos) {
            container.stop();
            idleSince = -1;
            LOG.info("No feed clients: unsubscribed from the feed channels");
        }
    }

    private void subscribe() {
        try {
            container.start();
            if (failedAt >= 0) {
                LOG.info("Subscribed to the feed channels: Redis is reachable again");
            } else {
                LOG.info("Feed client connected: subscribed to the feed channels");
            }
            failedAt = -1;
        } catch (RuntimeException e) {
            // a failed start leaves the container running but deaf: reset it, and try again from the sweep
            container.stop();
            if (failedAt < 0) {
                LOG.warn("Cannot subscribe to the feed channels ({}); retrying every {} s", e.getMessage(), RETRY_NANOS / 1_000_000_000);
            }
            failedAt = System.nanoTime();
        }
    }
}
