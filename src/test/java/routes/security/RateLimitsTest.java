package routes.security;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.junit.jupiter.api.Assertions.*;

/** Rate limits against the real Redis, two instances sharing one limit, on a clock the test moves. */
class RateLimitsTest {

    private final String prefix = "ratelimit-test-" + UUID.randomUUID() + ":";
    private final AtomicLong now = new AtomicLong(1_000_000);
    private JedisConnectionFactory connections;
    private StringRedisTemplate redis;

    @BeforeEach
    void connect() {
        connections = new JedisConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", 6379));
        connections.afterPropertiesSet();
        connections.start();
        redis = new StringRedisTemplate(connections);
    }

    @AfterEach
    void cleanUp() {
        var keys = redis.keys(prefix + "*");
        if (keys != null && !keys.isEmpty()) {
            redis.delete(keys);
        }
        connections.destroy();
    }

    private RateLimits instance(int limit) {
        return new RateLimits(redis, prefix, limit, 1000, now::get);
    }

    @Test
    void admits_the_limit_per_window_then_refuses_until_the_next() {
        RateLimits limits = instance(3);
        assertEquals(2, limits.acquire("key:a").remaining());
        assertTrue(limits.acquire("key:a").allowed());
        RateLimits.Decision third = limits.acquire("key:a");
        assertTrue(third.allowed());
        assertEquals(0, third.remaining());
        RateLimits.Decision fourth = limits.acquire("key:a");
        assertFalse(fourth.allowed());
        assertEquals(1, fourth.resetSeconds());
        assertTrue(limits.acquire("key:b").allowed(), "each caller has its own limit");

        now.addAndGet(1000);
        assertTrue(limits.acquire("key:a").allowed(), "a new window");
    }

    @Test
    void instances_share_one_limit_through_redis() {
        RateLimits first = instance(10);
        RateLimits second = instance(10);
        for (int i = 0; i < 6; i++) {
            assertTrue(first.acquire("key:shared").allowed());
        }
        first.sync();
        second.acquire("key:shared");
        second.sync(); // learns the first instance's six
        for (int i = 0; i < 3; i++) {
            assertTrue(second.acquire("key:shared").allowed());
        }
        assertFalse(second.acquire("key:shared").allowed(), "6 + 4 = 10 admitted by the two together");
        second.sync();
        first.sync();
        assertFalse(first.acquire("key:shared").allowed(), "and the first learns it once both have synced");
    }

    @Test
    void counts_are_kept_while_redis_is_unreachable_and_sent_later() {
        RateLimits limits = new RateLimits(new StringRedisTemplate(unreachable()), prefix, 5, 1000, now::get);
        limits.acquire("key:a");
        limits.sync(); // fails quietly: counting goes on here
        for (int i = 0; i < 4; i++) {
            assertTrue(limits.acquire("key:a").allowed());
        }
        assertFalse(limits.acquire("key:a").allowed());
    }

    private static JedisConnectionFactory unreachable() {
        JedisConnectionFactory factory = new JedisConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", 1));
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }
}
