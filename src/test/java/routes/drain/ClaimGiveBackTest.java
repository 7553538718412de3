package routes.drain;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.jedis.JedisClientConfiguration;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import routes.support.TcpProxy;
import routes.support.TestQueue;

import static org.junit.jupiter.api.Assertions.*;
import static routes.support.Await.await;
import static routes.support.Await.holdsFor;

/**
 * A claim the route fails on goes back to the queue; when Redis is out of reach at that moment, it goes back as
 * soon as Redis answers again, before anything else is claimed, and is then taken again, oldest first.
 */
class ClaimGiveBackTest {

    private final String name = "giveback-test-" + UUID.randomUUID();
    private final TestQueue list = new TestQueue(name);
    private TcpProxy redisProxy;
    private JedisConnectionFactory connections;
    private CamelContext camel;

    @BeforeEach
    void start() throws Exception {
        redisProxy = new TcpProxy(6379);
        connections = new JedisConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", redisProxy.port()),
                JedisClientConfiguration.builder().connectTimeout(Duration.ofMillis(500))
                        .readTimeout(Duration.ofMillis(500)).usePooling().build());
        connections.afterPropertiesSet();
        connections.start();
        camel = new DefaultCamelContext();
        camel.getRegistry().bind("queue", new RedisMessageQueue(new StringRedisTemplate(connections), name, "me",
                Duration.ofSeconds(30), 1000));
        camel.getRegistry().bind("redis-queue", new RedisQueueComponent());
    }

    @AfterEach
    void stop() throws Exception {
        redisProxy.restore();
        if (camel != null) {
            camel.stop();
        }
        connections.destroy();
        redisProxy.close();
        list.deleteAll();
        list.close();
    }

    @Test
    void a_claim_that_could_not_go_back_goes_back_once_redis_answers() throws Exception {
        AtomicBoolean failed = new AtomicBoolean();
        List<String> taken = new CopyOnWriteArrayList<>();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-queue:" + name + "?waitMillis=100").process(exchange -> {
                    if (failed.compareAndSet(false, true)) {
                        // Redis goes out of reach while the route fails on the claim: it cannot go back now
                        redisProxy.cut();
                        throw new IllegalStateException("refused by the route");
                    }
                    for (Object entry : exchange.getMessage().getBody(List.class)) {
                        taken.add(entry.toString());
                    }
                });
            }
        });
        for (int i = 0; i < 5; i++) {
            list.push("entry-" + i);
        }
        camel.start();

        await(Duration.ofSeconds(10), failed::get, "the route fails on the first claim");
        holdsFor(Duration.ofSeconds(1), () -> list.claimedBy("me") == 5 && taken.isEmpty(),
                "while Redis is out of reach the claim stays on the processing list");

        redisProxy.restore();
        await(Duration.ofSeconds(15), () -> taken.size() == 5, "given back, then claimed again");
        assertEquals(List.of("entry-0", "entry-1", "entry-2", "entry-3", "entry-4"), taken, "oldest first, each once");
        assertEquals(0, list.waiting());
    }
}
