package routes.feed;

import java.util.List;

import org.apache.camel.Body;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;

import routes.ingest.IngestRequests;

/**
 * Publishes the messages POST /messages accepted on the feed channel, as the JSON GET /messages/{uuid} returns.
 * A bean rather than the spring-redis producer because a request of up to ingest.max-messages messages is
 * published in one round trip (a script), not one exchange per message. The feed is best effort: the messages
 * are already queued, so a failed publish is logged and never fails the request.
 */
public final class FeedPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(FeedPublisher.class);

    private static final RedisScript<Long> PUBLISH_ALL = new DefaultRedisScript<>("""
            for i = 1, #ARGV do redis.call('PUBLISH', KEYS[1], ARGV[i]) end
            return #ARGV
            """, Long.class);

    private final StringRedisTemplate redis;
    private final List<String> channel;

    public FeedPublisher(StringRedisTemplate redis, String channel) {
        this.redis = redis;
        this.channel = List.of(channel);
    }

    public void publish(@Body IngestRequests.Accepted accepted) {
        List<String> entries = accepted.getEntries();
        try {
            if (entries.size() == 1) {
                redis.convertAndSend(channel.get(0), entries.get(0));
            } else {
                redis.execute(PUBLISH_ALL, channel, entries.toArray(new Object[0]));
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not publish {} accepted messages on the feed channel: {}", entries.size(), e.getMessage());
        }
    }
}
