package routes.drain;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import routes.support.ApiResponse;
import routes.support.FeedClient;
import routes.support.Json;
import routes.support.Messages;
import routes.support.RouteTestSupport;
import routes.support.TcpProxy;

import static org.junit.jupiter.api.Assertions.*;
import static routes.support.Await.await;
import static routes.support.Await.awaitValue;
import static routes.support.Await.comesTrueWithin;

/**
 * Redis out of reach: ingest answers 503 with Retry-After within a bounded time instead of hanging, and once
 * Redis returns, ingest, the drain and the live feed's subscription carry on by themselves; every message that
 * got a 202 is stored.
 */
@CamelMainTest(properties = {
        "redis.url=redis://127.0.0.1:{{sys:RedisOutageRouteTest.redis.proxy-port}}",
        "redis.timeout=1000",
        "batch.size=50",
        "batch.interval=200"
})
class RedisOutageRouteTest extends RouteTestSupport {

    private final TcpProxy redis = TcpProxy.publishedAs("RedisOutageRouteTest.redis.proxy-port", 6379);

    @AfterAll
    void closeProxy() throws IOException {
        redis.close();
    }

    @Test
    void answers_503_quickly_while_redis_is_down_and_recovers_without_restart() {
        FeedClient feed = FeedClient.connect(owned.feedPort(), "/");
        String sender = Messages.uniqueSubject("redis-outage");
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            accepted.add(postAccepted(sender));
        }

        redis.cut();
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            ApiResponse refused = api.postMessages(Json.write(Messages.minimal(sender, "r")));
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(503, refused.status(), refused::toString);
            assertEquals("service unavailable", refused.json().get("error").asText());
            assertTrue(refused.header("Retry-After").isPresent(), refused::toString);
            assertTrue(tookMillis < 2500, "answered in " + tookMillis + " ms, redis.timeout is 1000 ms");
        }
        redis.restore();

        String afterwards = awaitAccepted(sender);
        accepted.add(afterwards);
        for (int i = 0; i < 20; i++) {
            accepted.add(postAccepted(sender));
        }
        await(Duration.ofSeconds(20), () -> table.count("source_subject_id = ?", sender) == accepted.size(),
                "every accepted message is stored, and the drain resumed by itself");

        // pub/sub keeps nothing while the subscription is down: messages posted once it is back reach the feed
        try (feed) {
            await(Duration.ofSeconds(30), () -> {
                String uuid = postAccepted(sender);
                return comesTrueWithin(Duration.ofMillis(200), () -> feed.frames().stream().anyMatch(frame -> frame.contains(uuid)));
            }, "the feed's subscription came back by itself");
        }
    }

    private String postAccepted(String sender) {
        ApiResponse response = api.postMessages(Json.write(Messages.minimal(sender, "r")));
        assertEquals(202, response.status(), response::toString);
        return response.json().get("message_uuid").asText();
    }

    private String awaitAccepted(String sender) {
        ApiResponse accepted = awaitValue(Duration.ofSeconds(15), () -> {
            ApiResponse response = api.postMessages(Json.write(Messages.minimal(sender, "r")));
            if (response.status() != 202) {
                assertEquals(503, response.status(), response::toString);
            }
            return response;
        }, response -> response.status() == 202, "ingest recovers after Redis returned");
        return accepted.json().get("message_uuid").asText();
    }
}
