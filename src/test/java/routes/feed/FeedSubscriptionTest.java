package routes.feed;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import routes.feed.FeedSubscription;
import routes.support.Messages;
import routes.support.TcpProxy;
import routes.support.TestQueue;

import static org.junit.jupiter.api.Assertions.*;
import static routes.support.Await.await;

/**
 * The feed's subscription against the real Redis, through a proxy the test cuts: a client that connects while
 * Redis is unreachable starts receiving once Redis is back, without a restart; with no clients left the
 * subscription ends after its linger time.
 */
class FeedSubscriptionTest {

    private final String channel = Messages.uniqueSubject("feed-subscription");
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final ExecutorService threads = Executors.newFixedThreadPool(2);
    private TcpProxy redis;
    private JedisConnectionFactory connections;
    private RedisMessageListenerContainer container;

    @AfterEach
    void close() throws Exception {
        if (container != null) {
            container.destroy();
        }
        if (connections != null) {
            connections.destroy();
        }
        if (redis != null) {
            redis.close();
        }
        threads.shutdownNow();
    }

    @Test
    void a_subscription_that_could_not_start_is_retried_and_ends_when_nobody_watches() throws Exception {
        redis = new TcpProxy(6379);
        connections = new JedisConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", redis.port()));
        connections.afterPropertiesSet();
        connections.start();
        container = new RedisMessageListenerContainer();
        container.setConnectionFactory(connections);
        container.setTaskExecutor(threads);
        container.setSubscriptionExecutor(threads);
        container.afterPropertiesSet();
        container.addMessageListener((message, pattern) -> received.add(new String(message.getBody())), new ChannelTopic(channel));
        FeedSubscription subscription = new FeedSubscription(container, Duration.ofMillis(300));

        redis.cut();
        subscription.hold();
        assertFalse(container.isListening(), "Redis is unreachable");
        redis.restore();

        try (TestQueue publisher = new TestQueue(channel)) {
            await(Duration.ofSeconds(10), () -> {
                subscription.clients(1);
                return publisher.publish(channel, "after the outage") > 0;
            }, "subscribed again by the sweep once Redis is back");
            await(Duration.ofSeconds(5), () -> received.contains("after the outage"), "the published text arrives");

            await(Duration.ofSeconds(5), () -> {
                subscription.clients(0);
                return publisher.publish(channel, "nobody listens") == 0;
            }, "unsubscribed once no client was left for the linger time");
        }
    }
}
