package routes.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import routes.drain.RedisMessageQueue;
import routes.drain.RedisQueueComponent;
import routes.support.TestQueue;

import static org.junit.jupiter.api.Assertions.*;
import static routes.support.Await.await;

/**
 * A claim the drain route fails on every time (one hostile entry) is counted in
 * message_logger_claims_failed_total and makes a stalled drain name "entries failing" with the failure's text.
 */
class ClaimFailureSignalTest {

    private final String name = "claim-failure-test-" + UUID.randomUUID();
    private final TestQueue list = new TestQueue(name);
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final DrainStall stall = new DrainStall(Duration.ofSeconds(30), clock, () -> false);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private JedisConnectionFactory connections;
    private CamelContext camel;

    @AfterEach
    void stop() throws Exception {
        if (camel != null) {
            camel.stop();
        }
        if (connections != null) {
            connections.destroy();
        }
        list.deleteAll();
        list.close();
    }

    @Test
    void a_claim_that_always_fails_is_counted_and_named_as_entries_failing() throws Exception {
        connections = new JedisConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", 6379));
        connections.afterPropertiesSet();
        connections.start();
        RedisMessageQueue queue = new RedisMessageQueue(new StringRedisTemplate(connections), name, "me",
                Duration.ofSeconds(30), 1000);
        camel = new DefaultCamelContext();
        camel.getRegistry().bind("queue", queue);
        camel.getRegistry().bind("redis-queue", new RedisQueueComponent());
        camel.getRegistry().bind("pipelineMetrics", new PipelineMetrics(meters, queue, stall));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // Camel logs each failed exchange at ERROR with its stack (logExhausted does not stop it for a route
                // without redeliveries); at DEBUG only the consumer's line, once a minute, is left
                errorHandler(defaultErrorHandler().loggingLevel(LoggingLevel.DEBUG));
                from("redis-queue:" + name + "?waitMillis=100").process(exchange -> {
                    throw new IllegalStateException("hostile entry");
                });
            }
        });
        list.push("{\"hostile\":true}");
        stall.observe(1L);
        camel.start();

        await(Duration.ofSeconds(10), () -> meters.counter("message_logger_claims_failed").count() >= 3,
                "each failed claim is counted");
        clock.advance(Duration.ofSeconds(30));
        DrainStall.Status status = stall.observe(1L);
        assertEquals(DrainStall.State.STALLED, status.state());
        assertEquals(DrainStall.ENTRIES_FAILING, status.reason());
        assertEquals("java.lang.IllegalStateException: hostile entry", status.problem());
    }
}
