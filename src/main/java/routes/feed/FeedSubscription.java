package routes.feed;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * The Redis subscription behind the feed-relay route, held only while someone watches: it starts when the first
 * client connects (before that client is counted, so nothing published after it connected is missed) and ends
 * after the last one has been gone for a while. An instance nobody watches then spends nothing on the feed.
 */
public final class FeedSubscription {

    private static final Logger LOG = LoggerFactory.getLogger(FeedSubscription.class);

    private final RedisMessageListenerContainer container;
    private final long lingerNanos;
    private long idleSince = -1;

    public FeedSubscription(RedisMessageListenerContainer container, Duration linger) {
        this.container = container;
        this.lingerNanos = linger.toNanos();
    }

    /** Subscribes, waiting until Redis confirmed it, unless already subscribed. */
    public synchronized void hold() {
        idleSince = -1;
        if (!container.isRunning()) {
            container.start();
            LOG.info("Feed client connected: subscribed to the feed channels");
        }
    }

    /** Called with the number of clients on every sweep: unsubscribes once nobody has watched for the linger time. */
    public synchronized void clients(int count) {
        if (count > 0 || !container.isRunning()) {
            idleSince = -1;
            return;
        }
        long now = System.nanoTime();
        if (idleSince < 0) {
            idleSince = now;
        } else if (now - idleSince > lingerNanos) {
            container.stop();
            idleSince = -1;
            LOG.info("No feed clients: unsubscribed from the feed channels");
        }
    }

    public synchronized boolean isSubscribed() {
        return container.isRunning();
    }
}
