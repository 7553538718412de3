package routes.drain;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisListCommands.Direction;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.serializer.RedisSerializer;

import routes.model.QueueEntry;
import routes.model.ResourceText;

/**
 * The Redis list that buffers messages, with at-least-once hand-over to the database.
 *
 * <p>Producers LPUSH onto {@code <queue>}. A drain claims entries by moving them, atomically, onto its own
 * {@code <queue>:processing:<instance>} list and removes them from there only after their batch has committed.
 * While an instance lives it refreshes {@code <queue>:alive:<instance>}; the processing list of an instance
 * whose key has expired is moved back onto the queue by whoever notices first. Entries travel as the bytes the
 * producer pushed; {@code <queue>:attempts} counts, by the SHA-1 of an entry, the times it was given back or
 * recovered without ending, so the drain can end an entry that keeps failing.
 */
public final class RedisMessageQueue {

    private static final Logger LOG = LoggerFactory.getLogger(RedisMessageQueue.class);

    /** LPUSH of every entry, then each PUBLISHed on KEYS[2]: one round trip, queued together or not at all. */
    private static final RedisScript<Long> PUSH_AND_PUBLISH =
            new DefaultRedisScript<>(ResourceText.read("redis/push-and-publish.lua"), Long.class);

    /**
     * Claims up to ARGV[1] of the oldest entries in one step: {entries, attempts}. The attempts of each entry are
     * looked up only while some entry has any (KEYS[3] is empty in the common case), by the SHA-1 of its bytes.
     */
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> CLAIM =
            new DefaultRedisScript<>(ResourceText.read("redis/claim.lua"), List.class);

    /** The attempts of one entry, when any entry has attempts at all. */
    private static final RedisScript<Long> ATTEMPTS_OF =
            new DefaultRedisScript<>(ResourceText.read("redis/attempts-of.lua"), Long.class);

    /**
     * Removes committed entries. ARGV[1] = n, then n entries that should be the last n of the list, oldest
     * first: checked, then cut off with one LTRIM (one LREM each if the tail is not what we expect); then
     * entries to remove one by one (LREM from the tail, where the oldest claims lie).
     */
    private static final RedisScript<Long> ACKNOWLEDGE =
            new DefaultRedisScript<>(ResourceText.read("redis/acknowledge.lua"), Long.class);

    /** Replaces a claimed entry by its completed text on the processing list; its attempts go with it. */
    private static final RedisScript<Long> REPLACE_CLAIMED =
            new DefaultRedisScript<>(ResourceText.read("redis/replace-claimed.lua"), Long.class);

    /** Hands a claimed entry back to the queue, to be claimed next, counting one more attempt. */
    private static final RedisScript<Long> RELEASE =
            new DefaultRedisScript<>(ResourceText.read("redis/release.lua"), Long.class);

    /**
     * Puts a whole processing list back on the queue, oldest entry to be claimed first, counting one more attempt
     * for each: an entry that crashes the service every time it is taken ends as a dead letter.
     */
    private static final RedisScript<Long> RECOVER =
            new DefaultRedisScript<>(ResourceText.read("redis/recover.lua"), Long.class);

    /** Waiting on the list, and claimed by any registered instance and not yet committed. */
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> DEPTH =
            new DefaultRedisScript<>(ResourceText.read("redis/depth.lua"), List.class);

    /** Forgets instances that are gone and hold no claims. */
    private static final RedisScript<Long> FORGET_GONE =
            new DefaultRedisScript<>(ResourceText.read("redis/forget-gone.lua"), Long.class);

    private final StringRedisTemplate redis;
    /** The same connections for the entries themselves: bytes in, bytes out, never decoded on the way. */
    private final RedisTemplate<String, byte[]> entries;
    private final String name;
    private final String instanceId;
    private final Duration instanceTimeout;
    private final String processingKey;
    private final String processingPrefix;
    private final String attemptsKey;
    private final int maxInFlight;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ClaimOrder claimOrder = new ClaimOrder();
    /** Signalled whenever in-flight entries commit or go back. */
    private final Object room = new Object();

    public RedisMessageQueue(StringRedisTemplate redis, String name, String instanceId, Duration instanceTimeout,
                             int maxInFlight) {
        this.redis = redis;
        this.entries = bytesTemplate(redis);
        this.name = name;
        this.instanceId = instanceId;
        this.instanceTimeout = instanceTimeout;
        this.maxInFlight = maxInFlight;
        this.processingPrefix = name + ":processing:";
        this.processingKey = processingPrefix + instanceId;
        this.attemptsKey = name + ":attempts";
    }

    private static RedisTemplate<String, byte[]> bytesTemplate(StringRedisTemplate redis) {
        RedisTemplate<String, byte[]> template = new RedisTemplate<>();
        template.setConnectionFactory(redis.getRequiredConnectionFactory());
        template.setKeySerializer(RedisSerializer.string());
        template.setValueSerializer(RedisSerializer.byteArray());
        template.setHashKeySerializer(RedisSerializer.string());
        template.setHashValueSerializer(RedisSerializer.byteArray());
        template.afterPropertiesSet();
        return template;
    }

    public String name() {
        return name;
    }

    public String instanceId() {
        return instanceId;
    }

    /** LPUSH in one command, so a request's messages are queued all together or not at all. */
    public void push(List<String> texts) {
        if (texts.isEmpty()) {
            return;
        }
        redis.opsForList().leftPushAll(name, texts);
    }

    /** LPUSH of raw entries, exactly these bytes (tests and tools that push what producers might). */
    public void pushBytes(List<byte[]> raw) {
        if (raw.isEmpty()) {
            return;
        }
        entries.opsForList().leftPushAll(name, raw.toArray(new byte[0][]));
    }

    /**
     * LPUSH, and PUBLISH of each entry on {@code channel} for the live feed, in one round trip: a request's
     * messages are queued together or not at all, and on the feed as soon as they are queued.
     */
    public void pushAndPublish(List<String> texts, String channel) {
        if (texts.isEmpty()) {
            return;
        }
        redis.execute(PUSH_AND_PUBLISH, List.of(name, channel), texts.toArray(new Object[0]));
    }

    /**
     * Claims up to {@code max} entries, oldest first; when the queue is empty, waits up to {@code wait} for one.
     */
    @SuppressWarnings("unchecked")
    public List<QueueEntry> claim(int max, Duration wait) {
        List<Object> answer = entries.execute(CLAIM, List.of(name, processingKey, attemptsKey), bytes(Integer.toString(max)));
        List<byte[]> items = answer == null ? List.of() : (List<byte[]>) answer.get(0);
        List<Long> attempts = answer == null ? List.of() : (List<Long>) answer.get(1);
        List<QueueEntry> claimed = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            claimed.add(new QueueEntry(items.get(i), i < attempts.size() ? attempts.get(i).intValue() : 0));
        }
        if (claimed.isEmpty() && !wait.isZero()) {
            byte[] one = entries.opsForList().move(name, Direction.RIGHT, processingKey, Direction.LEFT, wait);
            if (one != null) {
                // it may be one another instance recovered while this one waited
                Long counted = entries.execute(ATTEMPTS_OF, List.of(attemptsKey), one);
                claimed.add(new QueueEntry(one, counted == null ? 0 : counted.intValue()));
            }
        }
        claimOrder.claimed(claimed);
        inFlight.addAndGet(claimed.size());
        return claimed;
    }

    /**
     * The batch holding these entries has committed: forget them. They leave the processing list once every
     * claim older than theirs has committed too (until then a crash would only store them again, idempotently).
     */
    public void acknowledge(List<QueueEntry> committed) {
        if (committed.isEmpty()) {
            return;
        }
        synchronized (claimOrder) {
            List<QueueEntry> untracked = new ArrayList<>();
            List<QueueEntry> block = claimOrder.commit(committed, untracked);
            if (!block.isEmpty() || !untracked.isEmpty()) {
                List<byte[]> args = new ArrayList<>(1 + block.size() + untracked.size());
                args.add(bytes(Integer.toString(block.size())));
                block.forEach(entry -> args.add(entry.bytes()));
                untracked.forEach(entry -> args.add(entry.bytes()));
                try {
                    entries.execute(ACKNOWLEDGE, List.of(processingKey, attemptsKey), args.toArray());
                } catch (RuntimeException e) {
                    claimOrder.restore(block);
                    throw e;
                }
            }
        }
        freed(committed.size());
    }

    /**
     * Swaps a claimed entry for the completed text we will store, so a recovery replays the same row; returns
     * the entry that now stands for it.
     */
    public QueueEntry replaceClaimed(QueueEntry entry, String completed) {
        QueueEntry replacement = new QueueEntry(bytes(completed), entry.attempts());
        claimOrder.forget(entry);
        entries.execute(REPLACE_CLAIMED, List.of(processingKey, attemptsKey), entry.bytes(), replacement.bytes());
        return replacement;
    }

    /** Gives a claimed entry back to the queue, to be claimed next; it counts one more attempt. */
    public void release(QueueEntry entry) {
        claimOrder.forget(entry);
        entries.execute(RELEASE, List.of(processingKey, name, attemptsKey), entry.bytes());
        freed(1);
    }

    /** How many claimed, uncommitted entries the drain may hold: bounds memory while the database is slow or down. */
    public int maxInFlight() {
        return maxInFlight;
    }

    /**
     * Waits until fewer than {@link #maxInFlight()} entries are in flight, or {@code millis} passed: the drain
     * claims again the moment a batch commits, not at its next look.
     */
    public void awaitRoom(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        synchronized (room) {
            long left;
            while (inFlight.get() >= maxInFlight && (left = deadline - System.nanoTime()) > 0) {
                room.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    private void freed(int entries) {
        inFlight.addAndGet(-entries);
        synchronized (room) {
            room.notifyAll();
        }
    }

    /** Claimed by this instance and not yet committed. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Entries waiting on the list, not yet claimed by anyone. */
    public long waiting() {
        Long size = redis.opsForList().size(name);
        return size == null ? 0 : size;
    }

    /**
     * The unified depth: entries waiting on the list, and entries claimed by any instance and not yet committed
     * (in its aggregator or in flight to the database). One round trip.
     */
    @SuppressWarnings("unchecked")
    public Depth depth() {
        List<Long> counts = redis.execute(DEPTH, List.of(name, instancesKey()), processingPrefix);
        return new Depth(counts.get(0), counts.get(1));
    }

    public record Depth(long waiting, long inFlight) {
        public long total() {
            return waiting + inFlight;
        }
    }

    /**
     * Tells other instances this one is alive; they leave its processing list alone while it is. Instances
     * register in {@code <queue>:instances} so the depth can count every processing list.
     */
    public void heartbeat() {
        redis.opsForValue().set(name + ":alive:" + instanceId, Long.toString(System.currentTimeMillis()), instanceTimeout);
        redis.opsForSet().add(instancesKey(), instanceId);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private String instancesKey() {
        return name + ":instances";
    }

    /** Start-up: entries a previous run of this same instance had claimed go back on the queue. */
    public long recoverOwn() {
        long moved = recover(processingKey);
        claimOrder.clear();
        inFlight.set(0);
        freed(0);
        return moved;
    }

    /** Moves the processing lists of instances that stopped sending heartbeats back onto the queue. */
    public long recoverAbandoned() {
        List<String> abandoned = new ArrayList<>();
        try (Cursor<String> keys = redis.scan(ScanOptions.scanOptions().match(processingPrefix + "*").count(100).build())) {
            while (keys.hasNext()) {
                String key = keys.next();
                String owner = key.substring(processingPrefix.length());
                if (!owner.equals(instanceId) && !Boolean.TRUE.equals(redis.hasKey(name + ":alive:" + owner))) {
                    abandoned.add(key);
                }
            }
        }
        long moved = 0;
        for (String key : abandoned) {
            moved += recover(key);
        }
        redis.execute(FORGET_GONE, List.of(instancesKey()), name + ":alive:", processingPrefix);
        return moved;
    }

    private long recover(String key) {
        Long moved = entries.execute(RECOVER, List.of(key, name, attemptsKey));
        if (moved != null && moved > 0) {
            LOG.info("Recovered {} claimed but uncommitted messages from {} onto {}", moved, key, name);
        }
        return moved == null ? 0 : moved;
    }
}
