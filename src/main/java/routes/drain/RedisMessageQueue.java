package routes.drain;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisListCommands.Direction;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The Redis list that buffers messages, with at-least-once hand-over to the database.
 *
 * <p>Producers LPUSH onto {@code <queue>}. A drain claims entries by moving them, atomically, onto its own
 * {@code <queue>:processing:<instance>} list and removes them from there only after their batch has committed.
 * While an instance lives it refreshes {@code <queue>:alive:<instance>}; the processing list of an instance
 * whose key has expired is moved back onto the queue by whoever notices first.
 */
public final class RedisMessageQueue {

    private static final Logger LOG = LoggerFactory.getLogger(RedisMessageQueue.class);

    /** LPUSH of every entry, then each PUBLISHed on KEYS[2]: one round trip, queued together or not at all. */
    private static final RedisScript<Long> PUSH_AND_PUBLISH = new DefaultRedisScript<>("""
            for i = 1, #ARGV, 1000 do
                redis.call('LPUSH', KEYS[1], unpack(ARGV, i, math.min(i + 999, #ARGV)))
            end
            for i = 1, #ARGV do redis.call('PUBLISH', KEYS[2], ARGV[i]) end
            return #ARGV
            """, Long.class);

    /** Claims up to ARGV[1] of the oldest entries in one step. */
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> CLAIM = new DefaultRedisScript<>("""
            local items = redis.call('RPOP', KEYS[1], ARGV[1])
            if not items then return {} end
            redis.call('LPUSH', KEYS[2], unpack(items))
            return items
            """, List.class);

    /**
     * Removes committed entries. ARGV[1] = n, then n entries that should be the last n of the list, oldest
     * first: checked, then cut off with one LTRIM (one LREM each if the tail is not what we expect); then
     * entries to remove one by one (LREM from the tail, where the oldest claims lie).
     */
    private static final RedisScript<Long> ACKNOWLEDGE = new DefaultRedisScript<>("""
            local n = tonumber(ARGV[1])
            local removed = 0
            if n > 0 then
                local tail = redis.call('LRANGE', KEYS[1], -n, -1)
                local same = #tail == n
                for i = 1, n do
                    if not same then break end
                    same = tail[n - i + 1] == ARGV[i + 1]
                end
                if same then
                    redis.call('LTRIM', KEYS[1], 0, -n - 1)
                    removed = n
                else
                    for i = 2, n + 1 do removed = removed + redis.call('LREM', KEYS[1], -1, ARGV[i]) end
                end
            end
            for i = n + 2, #ARGV do removed = removed + redis.call('LREM', KEYS[1], -1, ARGV[i]) end
            return removed
            """, Long.class);

    /** Replaces a claimed entry by another on the processing list, or hands it back to the queue. */
    private static final RedisScript<Long> MOVE_CLAIMED = new DefaultRedisScript<>("""
            local removed = redis.call('LREM', KEYS[1], -1, ARGV[1])
            if removed > 0 then redis.call(ARGV[3], KEYS[2], ARGV[2]) end
            return removed
            """, Long.class);

    /** Puts a whole processing list back on the queue, oldest entry to be claimed first. */
    private static final RedisScript<Long> RECOVER = new DefaultRedisScript<>("""
            local moved = 0
            while redis.call('LMOVE', KEYS[1], KEYS[2], 'LEFT', 'RIGHT') do moved = moved + 1 end
            return moved
            """, Long.class);

    /** Waiting on the list, and claimed by any registered instance and not yet committed. */
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> DEPTH = new DefaultRedisScript<>("""
            local claimed = 0
            for _, id in ipairs(redis.call('SMEMBERS', KEYS[2])) do
                claimed = claimed + redis.call('LLEN', ARGV[1] .. id)
            end
            return {redis.call('LLEN', KEYS[1]), claimed}
            """, List.class);

    /** Forgets instances that are gone and hold no claims. */
    private static final RedisScript<Long> FORGET_GONE = new DefaultRedisScript<>("""
            local forgotten = 0
            for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
                if redis.call('EXISTS', ARGV[1] .. id) == 0 and redis.call('LLEN', ARGV[2] .. id) == 0 then
                    forgotten = forgotten + redis.call('SREM', KEYS[1], id)
                end
            end
            return forgotten
            """, Long.class);

    private final StringRedisTemplate redis;
    private final String name;
    private final String instanceId;
    private final Duration instanceTimeout;
    private final String processingKey;
    private final String processingPrefix;
    private final int maxInFlight;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ClaimOrder claimOrder = new ClaimOrder();
    /** Signalled whenever in-flight entries commit or go back. */
    private final Object room = new Object();

    public RedisMessageQueue(StringRedisTemplate redis, String name, String instanceId, Duration instanceTimeout,
                             int maxInFlight) {
        this.redis = redis;
        this.name = name;
        this.instanceId = instanceId;
        this.instanceTimeout = instanceTimeout;
        this.maxInFlight = maxInFlight;
        this.processingPrefix = name + ":processing:";
        this.processingKey = processingPrefix + instanceId;
    }

    public String name() {
        return name;
    }

    public String instanceId() {
        return instanceId;
    }

    /** LPUSH in one command, so a request's messages are queued all together or not at all. */
    public void push(List<String> entries) {
        if (entries.isEmpty()) {
            return;
        }
        redis.opsForList().leftPushAll(name, entries);
    }

    /**
     * LPUSH, and PUBLISH of each entry on {@code channel} for the live feed, in one round trip: a request's
     * messages are queued together or not at all, and on the feed as soon as they are queued.
     */
    public void pushAndPublish(List<String> entries, String channel) {
        if (entries.isEmpty()) {
            return;
        }
        redis.execute(PUSH_AND_PUBLISH, List.of(name, channel), entries.toArray(new Object[0]));
    }

    /**
     * Claims up to {@code max} entries, oldest first; when the queue is empty, waits up to {@code wait} for one.
     */
    @SuppressWarnings("unchecked")
    public List<String> claim(int max, Duration wait) {
        List<String> claimed = redis.execute(CLAIM, List.of(name, processingKey), Integer.toString(max));
        if ((claimed == null || claimed.isEmpty()) && !wait.isZero()) {
            String one = redis.opsForList().move(name, Direction.RIGHT, processingKey, Direction.LEFT, wait);
            claimed = one == null ? List.of() : List.of(one);
        }
        claimOrder.claimed(claimed);
        inFlight.addAndGet(claimed.size());
        return claimed;
    }

    /**
     * The batch holding these entries has committed: forget them. They leave the processing list once every
     * claim older than theirs has committed too (until then a crash would only store them again, idempotently).
     */
    public void acknowledge(List<String> entries) {
        if (entries.isEmpty()) {
            return;
        }
        synchronized (claimOrder) {
            List<String> untracked = new ArrayList<>();
            List<String> block = claimOrder.commit(entries, untracked);
            if (!block.isEmpty() || !untracked.isEmpty()) {
                List<Object> args = new ArrayList<>(1 + block.size() + untracked.size());
                args.add(Integer.toString(block.size()));
                args.addAll(block);
                args.addAll(untracked);
                try {
                    redis.execute(ACKNOWLEDGE, List.of(processingKey), args.toArray());
                } catch (RuntimeException e) {
                    claimOrder.restore(block);
                    throw e;
                }
            }
        }
        freed(entries.size());
    }

    /** Swaps a claimed entry for the completed text we will store, so a recovery replays the same row. */
    public void replaceClaimed(String entry, String replacement) {
        claimOrder.forget(entry);
        redis.execute(MOVE_CLAIMED, List.of(processingKey, processingKey), entry, replacement, "LPUSH");
    }

    /** Gives a claimed entry back to the queue, to be claimed next. */
    public void release(String entry) {
        claimOrder.forget(entry);
        redis.execute(MOVE_CLAIMED, List.of(processingKey, name), entry, entry, "RPUSH");
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
        Long moved = redis.execute(RECOVER, List.of(key, name));
        if (moved != null && moved > 0) {
            LOG.info("Recovered {} claimed but uncommitted messages from {} onto {}", moved, key, name);
        }
        return moved == null ? 0 : moved;
    }
}
