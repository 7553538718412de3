package routes.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * One test class's Redis list and the keys the application derives from it ({@code <queue>:processing:<instance>},
 * {@code <queue>:alive:<instance>}), as another service would see them.
 */
public final class TestQueue implements AutoCloseable {

    private final String name;
    private final RedisClient redis = RedisClient.create("127.0.0.1", 6379);

    public TestQueue(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** LPUSH, as a producer that bypasses the HTTP API does. */
    public void push(String... entries) {
        redis.lpush(name, entries);
    }

    /** LPUSH of exact bytes, as a producer that writes anything at all might. */
    public void pushBytes(byte[]... entries) {
        redis.lpush(name.getBytes(StandardCharsets.UTF_8), entries);
    }

    /**
     * Records that an entry was already taken {@code attempts} times without ending, as the drain counts it (by the
     * SHA-1 of its bytes in {@code <queue>:attempts}).
     */
    public void countAttempts(byte[] entry, int attempts) {
        try {
            String sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(entry));
            redis.hset(name + ":attempts", sha1, Integer.toString(attempts));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** PUBLISH on a pub/sub channel, as another service does; returns how many subscribers received it. */
    public long publish(String channel, String text) {
        return redis.publish(channel, text);
    }

    /** Entries waiting to be claimed. */
    public long waiting() {
        return redis.llen(name);
    }

    /** Entries claimed by that instance and not yet acknowledged. */
    public long claimedBy(String instanceId) {
        return redis.llen(name + ":processing:" + instanceId);
    }

    /** Every key under this queue's name. */
    public List<String> keys() {
        List<String> keys = new ArrayList<>();
        ScanParams match = new ScanParams().match(name + "*").count(200);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = redis.scan(cursor, match);
            keys.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return keys;
    }

    /** Removes every key under this queue's name. */
    public void deleteAll() {
        List<String> keys = keys();
        if (!keys.isEmpty()) {
            redis.del(keys.toArray(new String[0]));
        }
    }

    @Override
    public void close() {
        redis.close();
    }
}
