package routes.drain;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import routes.support.TestQueue;

import static org.junit.jupiter.api.Assertions.*;

/** Claims and acknowledgements on the real Redis: what stays on the processing list, and when it leaves. */
class RedisMessageQueueTest {

    private final String name = "rmq-test-" + UUID.randomUUID();
    private final TestQueue list = new TestQueue(name);
    private JedisConnectionFactory connections;
    private RedisMessageQueue queue;

    @BeforeEach
    void connect() {
        connections = new JedisConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", 6379));
        connections.afterPropertiesSet();
        connections.start();
        queue = new RedisMessageQueue(new StringRedisTemplate(connections), name, "me", Duration.ofSeconds(30), 1000);
    }

    @AfterEach
    void cleanUp() {
        list.deleteAll();
        list.close();
        connections.destroy();
    }

    @Test
    void a_claim_leaves_the_processing_list_once_every_older_claim_has_committed() {
        pushInOrder(30);
        List<String> first = queue.claim(10, Duration.ZERO);
        List<String> second = queue.claim(10, Duration.ZERO);
        List<String> third = queue.claim(10, Duration.ZERO);
        assertEquals(entries(0, 10), first, "oldest first");
        assertEquals(30, list.claimedBy("me"));

        queue.acknowledge(second);
        assertEquals(30, list.claimedBy("me"), "committed before an older claim: kept until that one commits");
        assertEquals(20, queue.inFlight(), "but no longer counted in flight");

        queue.acknowledge(first);
        assertEquals(reversed(third), processingList(), "both committed claims left together; the third stays, as claimed");

        queue.acknowledge(third);
        assertEquals(0, list.claimedBy("me"));
        assertEquals(0, queue.inFlight());
    }

    @Test
    void entries_replaced_given_back_or_no_longer_where_expected_are_removed_one_by_one() {
        pushInOrder(6);
        List<String> claim = queue.claim(6, Duration.ZERO);
        queue.replaceClaimed(claim.get(1), "completed-1");
        queue.release(claim.get(5));
        assertEquals(1, list.waiting(), "the entry given back waits on the queue again");

        queue.acknowledge(List.of(claim.get(0), "completed-1", claim.get(2), claim.get(3), claim.get(4)));
        assertEquals(0, list.claimedBy("me"));

        // another instance moved this one's claims back (its heartbeat had lapsed) and they were claimed again:
        // the block to cut is not at the tail any more, so nothing but those exact entries is removed
        pushInOrder(4);
        List<String> before = queue.claim(3, Duration.ZERO);
        assertEquals(List.of(claim.get(5), "entry-0", "entry-1"), before);
        new StringRedisTemplate(connections).delete(name + ":processing:me");
        List<String> after = queue.claim(2, Duration.ZERO);
        queue.acknowledge(before);
        assertEquals(reversed(after), processingList(), "the later claim is untouched");
    }

    private void pushInOrder(int count) {
        for (String entry : entries(0, count)) {
            list.push(entry);
        }
    }

    private static List<String> entries(int from, int to) {
        List<String> entries = new ArrayList<>();
        for (int i = from; i < to; i++) {
            entries.add("entry-" + i);
        }
        return entries;
    }

    /** The processing list is pushed on the left: its head is the newest entry. */
    private static List<String> reversed(List<String> claim) {
        List<String> reversed = new ArrayList<>(claim);
        java.util.Collections.reverse(reversed);
        return reversed;
    }

    private List<String> processingList() {
        return new StringRedisTemplate(connections).opsForList().range(name + ":processing:me", 0, -1);
    }
}
