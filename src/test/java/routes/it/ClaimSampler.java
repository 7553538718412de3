package routes.it;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Response;

/**
 * Samples the length of some processing lists every few milliseconds on its own thread and keeps the largest
 * length seen for each: the evidence, from outside the processes, that an instance claimed work.
 */
final class ClaimSampler implements AutoCloseable {

    private final JedisPooled redis;
    private final List<String> keys;
    private final Map<String, Long> largest = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long samples;

    ClaimSampler(JedisPooled redis, List<String> keys) {
        this.redis = redis;
        this.keys = List.copyOf(keys);
        keys.forEach(key -> largest.put(key, 0L));
        this.thread = new Thread(this::sample, "claim-sampler");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void sample() {
        while (running) {
            try (AbstractPipeline pipeline = redis.pipelined()) {
                Map<String, Response<Long>> lengths = new LinkedHashMap<>();
                keys.forEach(key -> lengths.put(key, pipeline.llen(key)));
                pipeline.sync();
                lengths.forEach((key, length) -> largest.merge(key, length.get(), Math::max));
                samples++;
                Thread.sleep(2); // the sampling rate, not a wait for an outcome
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // a missed sample is no evidence either way
            }
        }
    }

    long largestSeen(String key) {
        return largest.get(key);
    }

    long samples() {
        return samples;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
    }

    @Override
    public String toString() {
        return "largest processing-list lengths seen in " + samples + " samples: " + largest;
    }
}
