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

import routes.model.QueueEntry;
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
        List<QueueEntry> first = queue.claim(10, Duration.ZERO);
        List<QueueEntry> second = queue.claim(10, Duration.ZERO);
        List<QueueEntry> third = queue.claim(10, Duration.ZERO);
        assertEquals(entries(0, 10), texts(first), "oldest first");
        assertEquals(30, list.claimedBy("me"));

        queue.acknowledge(second);
        assertEquals(30, list.claimedBy("me"), "committed before an older claim: kept until that one commits");
        assertEquals(20, queue.inFlight(), "but no longer counted in flight");

        queue.acknowledge(first);
        assertEquals(reversed(texts(third)), processingList(), "both committed claims left together; the third stays, as claimed");

        queue.acknowledge(third);
        assertEquals(0, list.claimedBy("me"));
        assertEquals(0, queue.inFlight());
    }

    @Test
    void entries_replaced_given_back_or_no_longer_where_expected_are_removed_one_by_one() {
        pushInOrder(6);
        List<QueueEntry> claim = queue.claim(6, Duration.ZERO);
        QueueEntry completed = queue.replaceClaimed(claim.get(1), "completed-1");
        queue.release(claim.get(5));
        assertEquals(1, list.waiting(), "the entry given back waits on the queue again");

        queue.acknowledge(List.of(claim.get(0), completed, claim.get(2), claim.get(3), claim.get(4)));
        assertEquals(0, list.claimedBy("me"));

        // another instance moved this one's claims back (its heartbeat had lapsed) and they were claimed again:
        // the block to cut is not at the tail any more, so nothing but those exact entries is removed
        pushInOrder(4);
        List<QueueEntry> before = queue.claim(3, Duration.ZERO);
        assertEquals(List.of("entry-5", "entry-0", "entry-1"), texts(before));
        new StringRedisTemplate(connections).delete(name + ":processing:me");
        List<QueueEntry> after = queue.claim(2, Duration.ZERO);
        queue.acknowledge(before);
        assertEquals(reversed(texts(after)), processingList(), "the later claim is untouched");
    }

    @Test
    void an_entry_counts_an_attempt_each_time_it_goes_back_and_forgets_them_once_it_ends() {
        pushInOrder(3);
        List<QueueEntry> claim = queue.claim(3, Duration.ZERO);
        assertEquals(List.of(0, 0, 0), claim.stream().map(QueueEntry::attempts).toList(), "nothing counted yet");
        queue.release(claim.get(0));
        assertEquals(1, queue.claim(1, Duration.ZERO).get(0).attempts(), "given back once");

        // a crash: the whole processing list goes back on the next start, in claim order, each one attempt more
        assertEquals(3, queue.recoverOwn());
        List<QueueEntry> recovered = queue.claim(3, Duration.ZERO);
        assertEquals(List.of("entry-1", "entry-2", "entry-0"), texts(recovered));
        assertEquals(List.of(1, 1, 2), recovered.stream().map(QueueEntry::attempts).toList());

        queue.acknowledge(recovered);
        assertFalse(new StringRedisTemplate(connections).hasKey(name + ":attempts"), "ended entries leave no count behind");
    }

    @Test
    void an_entry_that_is_not_utf8_is_claimed_and_acknowledged_as_its_exact_bytes() {
        byte[] overlong = {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'};
        byte[] invalid = {(byte) 0xFF, (byte) 0xFE, 0, 1, 2};
        queue.pushBytes(List.of(overlong, invalid));
        List<QueueEntry> claim = queue.claim(10, Duration.ZERO);
        assertArrayEquals(overlong, claim.get(0).bytes());
        assertArrayEquals(invalid, claim.get(1).bytes());
        queue.acknowledge(claim);
        assertEquals(0, list.claimedBy("me"), "nothing stays on the processing list");
        assertEquals(0, queue.inFlight());
    }

    @Test
    void an_entry_completed_on_claim_comes_back_completed_after_a_crash_so_it_is_stored_once() {
        list.push("{\"message_data\": 1}");
        QueueEntry raw = queue.claim(1, Duration.ZERO).get(0);
        queue.release(raw); // one attempt already counted against it
        QueueEntry again = queue.claim(1, Duration.ZERO).get(0);
        QueueEntry completed = queue.replaceClaimed(again, "{\"message_uuid\": \"generated-once\"}");

        assertEquals(1, queue.recoverOwn(), "the crash: the processing list goes back");
        QueueEntry recovered = queue.claim(1, Duration.ZERO).get(0);
        assertEquals(completed, recovered, "the completed text, with the identity it was given, not the raw entry");
        assertEquals(2, recovered.attempts(), "its attempts went along with it");
    }

    private static List<String> texts(List<QueueEntry> claim) {
        return claim.stream().map(QueueEntry::toString).toList();
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
