// Load client of bench/feed_fanout.sh: K WebSocket clients on the service's live feed, messages PUBLISHed on its
// Redis channel at a fixed rate, the delay from PUBLISH to each client's frame measured on one clock.
//
// Run with the JDK's single-file source launcher and the service's own jars (Vert.x, Jedis, Jackson):
//   java -cp "<app>/lib/*" bench/FeedFanout.java --http-port 5092 --feed-port 5093 --channel bench_feed_queue \
//        --clients 100 --rate 2000 --duration 20 [--warmup 5] [--wait 10] [--snap-dir DIR --service-pid PID
//        --benchlib bench/lib/benchlib.py]
//
// Talks to 127.0.0.1 only, bounded in count and time, exits by itself: 0 when the target is met (p99 < 250 ms and
// every client received every measured message), 1 when it is not, 2 when the run could not be done.

import java.io.File;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketFrame;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

public class FeedFanout {

    static final String HOST = "127.0.0.1";
    static final double P99_TARGET_MS = 250;
    static final long SLICE_NANOS = 5_000_000; // publish what is due every 5 ms

    // ------------------------------------------------------------------------------------------- histogram
    // Delay in microseconds: 10 us buckets below 10 ms, 1 ms buckets up to 10 s, then one overflow bucket.
    static final int FINE = 1000;
    static final int COARSE = 9990;
    static final int BUCKETS = FINE + COARSE + 1;

    static int bucket(long us) {
        if (us < 10_000) {
            return (int) Math.max(0, us / 10);
        }
        if (us < 10_000_000) {
            return FINE + (int) ((us - 10_000) / 1000);
        }
        return BUCKETS - 1;
    }

    /** Upper edge of a bucket, in ms (the overflow bucket reports 10 s; max is kept exactly anyway). */
    static double bucketUpperMs(int b) {
        if (b < FINE) {
            return (b + 1) * 10 / 1000.0;
        }
        if (b < BUCKETS - 1) {
            return 10.0 + (b - FINE + 1);
        }
        return 10_000.0;
    }

    static double percentileMs(long[] hist, long count, double p, double maxMs) {
        if (count == 0) {
            return Double.NaN;
        }
        long rank = (long) Math.ceil(p * count);
        long seen = 0;
        for (int b = 0; b < hist.length; b++) {
            seen += hist[b];
            if (seen >= rank) {
                return Math.min(bucketUpperMs(b), maxMs);
            }
        }
        return maxMs;
    }

    // ------------------------------------------------------------------------------------------- one client
    static final class Client {
        final int id;
        final BitSet seen = new BitSet();
        final int[] hist = new int[BUCKETS];
        long measuredFrames;   // distinct measured messages received
        long warmupFrames;     // distinct warm-up messages received
        long maxDelayNanos;
        long duplicates;
        long outOfOrder;
        long lastSeq = -1;
        long foreign;          // text frames that are not one of our messages, since the measured run began
        long gaps;             // of which {"type":"gap",...} events
        long foreignWarmup;    // the same, before (connect + warm-up)
        long gapsWarmup;
        long otherFrames;      // binary / fragmented frames
        volatile boolean closed;
        volatile String closeReason;
        WebSocket ws;

        Client(int id) {
            this.id = id;
        }
    }

    // ------------------------------------------------------------------------------------------- settings
    final int httpPort;
    final int feedPort;
    final String channel;
    final int clients;
    final int rate;
    final int durationSec;
    final int warmupSec;
    final int waitSec;
    final String snapDir;
    final String servicePid;
    final String benchlib;

    final long base = System.nanoTime(); // "sent" = System.nanoTime() - base, so it is a small positive number
    long warmupCount;
    long measuredCount;
    long totalSeq;
    final List<Client> all = new ArrayList<>();
    volatile boolean measuring;

    FeedFanout(Map<String, String> a) {
        httpPort = Integer.parseInt(req(a, "http-port"));
        feedPort = Integer.parseInt(req(a, "feed-port"));
        channel = req(a, "channel");
        clients = Integer.parseInt(a.getOrDefault("clients", "100"));
        rate = Integer.parseInt(a.getOrDefault("rate", "2000"));
        durationSec = Integer.parseInt(a.getOrDefault("duration", "20"));
        warmupSec = Integer.parseInt(a.getOrDefault("warmup", "5"));
        waitSec = Integer.parseInt(a.getOrDefault("wait", "10"));
        snapDir = a.get("snap-dir");
        servicePid = a.get("service-pid");
        benchlib = a.get("benchlib");
        if (clients < 1 || clients > 5000 || rate < 1 || rate > 200_000 || durationSec < 1 || durationSec > 3600
                || warmupSec < 0 || warmupSec > 600 || waitSec < 0 || waitSec > 600) {
            throw new IllegalArgumentException("out of range: clients 1..5000, rate 1..200000, duration 1..3600 s");
        }
        warmupCount = (long) rate * warmupSec;
        measuredCount = (long) rate * durationSec;
        totalSeq = warmupCount + measuredCount;
    }

    static String req(Map<String, String> a, String k) {
        String v = a.get(k);
        if (v == null) {
            throw new IllegalArgumentException("--" + k + " is required");
        }
        return v;
    }

    // ------------------------------------------------------------------------------------------- frames
    static final byte[] SEQ = "{\"seq\":".getBytes(StandardCharsets.US_ASCII);
    static final byte[] SENT = ",\"sent\":".getBytes(StandardCharsets.US_ASCII);
    static final byte[] GAP = "{\"type\":\"gap\"".getBytes(StandardCharsets.US_ASCII);

    static boolean startsWith(Buffer b, int at, byte[] prefix) {
        if (b.length() < at + prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b.getByte(at + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Reads the digits at b[pos..]; returns value, and the position after them in end[0]; -1 if none. */
    static long digits(Buffer b, int pos, int[] end) {
        long v = 0;
        int i = pos;
        int n = Math.min(b.length(), pos + 19);
        for (; i < n; i++) {
            byte c = b.getByte(i);
            if (c < '0' || c > '9') {
                break;
            }
            v = v * 10 + (c - '0');
        }
        end[0] = i;
        return i == pos ? -1 : v;
    }

    void onFrame(Client c, WebSocketFrame frame) {
        long now = System.nanoTime();
        if (frame.isPing() || frame.isClose() || frame.type() == io.vertx.core.http.WebSocketFrameType.PONG) {
            return;
        }
        if (!frame.isText() || !frame.isFinal()) {
            synchronized (c) {
                c.otherFrames++;
            }
            return;
        }
        Buffer b = frame.binaryData();
        long seq = -1;
        long sent = -1;
        if (startsWith(b, 0, SEQ)) {
            int[] end = new int[1];
            seq = digits(b, SEQ.length, end);
            if (seq >= 0 && startsWith(b, end[0], SENT)) {
                sent = digits(b, end[0] + SENT.length, end);
            }
        }
        synchronized (c) {
            if (seq < 0 || sent < 0 || seq >= totalSeq) {
                boolean gap = startsWith(b, 0, GAP);
                if (measuring) {
                    c.foreign++;
                    c.gaps += gap ? 1 : 0;
                } else {
                    c.foreignWarmup++;
                    c.gapsWarmup += gap ? 1 : 0;
                }
                return;
            }
            int s = (int) seq;
            if (c.seen.get(s)) {
                c.duplicates++;
                return;
            }
            c.seen.set(s);
            if (seq < c.lastSeq) {
                c.outOfOrder++;
            } else {
                c.lastSeq = seq;
            }
            if (seq < warmupCount) {
                c.warmupFrames++;
                return;
            }
            c.measuredFrames++;
            long delay = now - (base + sent);
            c.hist[bucket(delay / 1000)]++;
            if (delay > c.maxDelayNanos) {
                c.maxDelayNanos = delay;
            }
        }
    }

    // ------------------------------------------------------------------------------------------- messages
    static final String[] WORDS = ("order shipment invoice payment sensor reading update status alert ready delayed "
            + "confirmed cancelled temperature pressure battery level route gateway device patient sample report "
            + "request reply ping heartbeat checkout basket price stock warehouse pickup delivery").split(" ");
    static final String[] TOPICS = {"orders", "payments", "shipments", "telemetry", "alerts", "chat", "presence",
        "billing", "inventory", "devices", "audit", "notifications", "support", "reports", "sessions", "fleet"};
    static final String[] TYPES = {"event", "event", "event", "chat", "chat", "alert", "command", "ack", "status"};
    static final String[] PRIORITIES = {"normal", "normal", "normal", "high", "low"};
    static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    final Random rnd = new Random(20261122);
    final String[] tails = new String[256];
    long bytesPublished;

    void buildTails() {
        for (int i = 0; i < tails.length; i++) {
            StringBuilder text = new StringBuilder();
            int words = 2 + rnd.nextInt(4);
            for (int w = 0; w < words; w++) {
                text.append(w == 0 ? "" : " ").append(WORDS[rnd.nextInt(WORDS.length)]);
            }
            int from = 1 + rnd.nextInt(1000);
            StringBuilder to = new StringBuilder("\"subject-" + (1 + (from + 1 + rnd.nextInt(998)) % 1000) + "\"");
            if (rnd.nextInt(5) == 0) {
                to.append(",\"subject-").append(1 + (from + 500) % 1000).append('"');
            }
            tails[i] = "\"message_data\":{\"text\":\"" + text + "\"},\"source_subject_id\":\"subject-" + from
                    + "\",\"destination_subject_ids\":[" + to + "],\"topic\":\"" + TOPICS[rnd.nextInt(TOPICS.length)]
                    + "\",\"message_type\":\"" + TYPES[rnd.nextInt(TYPES.length)]
                    + "\",\"message_metadata\":{\"priority\":\"" + PRIORITIES[rnd.nextInt(PRIORITIES.length)]
                    + "\"}}";
        }
    }

    String message(long seq, long sent, String originTs) {
        // version-4 layout uuid from the (seeded) random generator: cheap, distinct enough for a feed
        long msb = (rnd.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
        long lsb = (rnd.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return "{\"seq\":" + seq + ",\"sent\":" + sent + ",\"message_uuid\":\"" + new UUID(msb, lsb)
                + "\",\"origin_ts\":\"" + originTs + "\"," + tails[(int) (seq & 255)];
    }

    // ------------------------------------------------------------------------------------------- publishing
    static final class PhaseResult {
        long published;
        long nanos;
        long maxLagNanos;
        long noSubscriber; // PUBLISH answered 0 receivers
    }

    /** Publishes seq [first, first+count) at `rate` per second, the due number every 5 ms, pipelined. */
    PhaseResult publish(Jedis jedis, long first, long count) {
        PhaseResult r = new PhaseResult();
        long start = System.nanoTime();
        List<Response<Long>> replies = new ArrayList<>();
        for (long k = 1; r.published < count; k++) {
            long target = start + k * SLICE_NANOS;
            long now;
            while ((now = System.nanoTime()) < target) {
                LockSupport.parkNanos(target - now);
            }
            r.maxLagNanos = Math.max(r.maxLagNanos, now - target);
            long due = Math.min(count, (long) ((now - start) / 1e9 * rate));
            if (due <= r.published) {
                continue;
            }
            String origin = ISO.format(Instant.now());
            Pipeline p = jedis.pipelined();
            replies.clear();
            for (long i = r.published; i < due; i++) {
                String m = message(first + i, System.nanoTime() - base, origin);
                bytesPublished += m.length();
                replies.add(p.publish(channel, m));
            }
            p.sync();
            for (Response<Long> reply : replies) {
                if (reply.get() == 0) {
                    r.noSubscriber++;
                }
            }
            r.published = due;
        }
        r.nanos = System.nanoTime() - start;
        return r;
    }

    // ------------------------------------------------------------------------------------------- helpers
    final ObjectMapper json = new ObjectMapper();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    int feedClientsFromStats() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + httpPort + "/stats"))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
            JsonNode n = json.readTree(r.body()).path("feed").path("clients");
            return n.isInt() ? n.asInt() : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    /** `python3 benchlib.py cpu-snap --pid <service>` into snapDir/name, started now (returns at once). */
    Process startSnap(String name) {
        if (snapDir == null || servicePid == null || benchlib == null) {
            return null;
        }
        try {
            return new ProcessBuilder("python3", benchlib, "cpu-snap", "--pid", servicePid)
                    .redirectOutput(new File(snapDir, name)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (Exception e) {
            System.err.println("cpu-snap failed: " + e);
            return null;
        }
    }

    static void await(Process p) throws InterruptedException {
        if (p != null && !p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
    }

    static long processCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean s ? s.getProcessCpuTime() : -1;
    }

    static void log(String s) {
        System.err.println(java.time.LocalTime.now().withNano(0) + " " + s);
    }

    static String ms(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, v < 10 ? "%.2f" : "%.1f", v);
    }

    // ------------------------------------------------------------------------------------------- the run
    int run() throws Exception {
        buildTails();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(2));
        WebSocketClient wsClient = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxConnections(clients + 16).setConnectTimeout(5000).setTcpNoDelay(true));
        try (Jedis jedis = new Jedis(HOST, 6379, 5000)) {
            // ---- connect all clients, then wait until the service counts all of them
            log("opening " + clients + " WebSocket connections to ws://" + HOST + ":" + feedPort + "/");
            AtomicInteger closedEarly = new AtomicInteger();
            CountDownLatch opened = new CountDownLatch(clients);
            AtomicInteger failed = new AtomicInteger();
            for (int i = 0; i < clients; i++) {
                Client c = new Client(i);
                all.add(c);
                wsClient.connect(feedPort, HOST, "/").onComplete(ar -> {
                    if (ar.failed()) {
                        failed.incrementAndGet();
                        log("client " + c.id + " could not connect: " + ar.cause());
                    } else {
                        WebSocket ws = ar.result();
                        c.ws = ws;
                        ws.frameHandler(f -> onFrame(c, f));
                        ws.closeHandler(v -> {
                            c.closed = true;
                            c.closeReason = ws.closeStatusCode() + " " + ws.closeReason();
                        });
                        ws.exceptionHandler(e -> c.closeReason = String.valueOf(e));
                    }
                    opened.countDown();
                });
            }
            if (!opened.await(30, TimeUnit.SECONDS) || failed.get() > 0) {
                log(failed.get() + " connections failed, " + opened.getCount() + " still pending after 30 s");
                return 2;
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            int counted;
            while ((counted = feedClientsFromStats()) != clients) {
                if (System.nanoTime() > deadline) {
                    log("/stats reports feed.clients=" + counted + ", expected " + clients + " (30 s)");
                    return 2;
                }
                Thread.sleep(50);
            }
            log("all " + clients + " clients open and counted by /stats");
            // the service subscribes when its first feed client connects, and counts clients once subscribed
            Long subscribers = jedis.pubsubNumSub(channel).getOrDefault(channel, 0L);
            if (subscribers == null || subscribers < 1) {
                log("nobody is subscribed to Redis channel " + channel + ": is the service's feed-relay running?");
                return 2;
            }

            // ---- warm-up, not measured
            if (warmupCount > 0) {
                log("warm-up: " + rate + " msg/s for " + warmupSec + " s (not measured)");
                PhaseResult w = publish(jedis, 0, warmupCount);
                if (w.noSubscriber > 0) {
                    log("warm-up: " + w.noSubscriber + " PUBLISH reached no subscriber");
                }
                Thread.sleep(500); // let the warm-up's last frames arrive before the measured window
            }

            // ---- measured run
            log("measured run: " + rate + " msg/s for " + durationSec + " s to " + clients + " clients");
            measuring = true;
            Process snap0 = startSnap("cpu0");
            long cpu0 = processCpuNanos();
            long bytesBefore = bytesPublished;
            PhaseResult m = publish(jedis, warmupCount, measuredCount);
            long cpu1 = processCpuNanos();
            Process snap1 = startSnap("cpu1");
            long publishEnd = System.nanoTime();

            // ---- stragglers
            long waitDeadline = publishEnd + TimeUnit.SECONDS.toNanos(waitSec);
            long expected = measuredCount * clients;
            long delivered;
            while ((delivered = measuredDelivered()) < expected && System.nanoTime() < waitDeadline) {
                Thread.sleep(10);
            }
            double stragglerSec = (System.nanoTime() - publishEnd) / 1e9;
            await(snap0);
            await(snap1);

            // ---- close and tally
            List<String> closeReasons = new ArrayList<>();
            for (Client c : all) {
                if (c.closed) {
                    closedEarly.incrementAndGet();
                    if (closeReasons.size() < 3) {
                        closeReasons.add("client " + c.id + ": " + c.closeReason);
                    }
                }
            }
            int countedAfter = feedClientsFromStats();
            List<io.vertx.core.Future<Void>> closes = new ArrayList<>();
            for (Client c : all) {
                if (c.ws != null && !c.closed) {
                    closes.add(c.ws.close());
                }
            }
            io.vertx.core.Future.join(new ArrayList<>(closes)).toCompletionStage().toCompletableFuture()
                    .completeOnTimeout(null, 5, TimeUnit.SECONDS).join();

            long[] hist = new long[BUCKETS];
            long maxNanos = 0;
            long measured = 0;
            long warmup = 0;
            long dups = 0;
            long ooo = 0;
            long foreign = 0;
            long gaps = 0;
            long foreignWarmup = 0;
            long gapsWarmup = 0;
            long other = 0;
            int missingClients = 0;
            long missedMessages = 0;
            int warmupMissingClients = 0;
            long warmupMissed = 0;
            double worstClientP99 = 0;
            int worstClient = -1;
            for (Client c : all) {
                synchronized (c) {
                    long[] ch = new long[BUCKETS];
                    for (int b = 0; b < BUCKETS; b++) {
                        hist[b] += c.hist[b];
                        ch[b] = c.hist[b];
                    }
                    double cp99 = percentileMs(ch, c.measuredFrames, 0.99, c.maxDelayNanos / 1e6);
                    if (c.measuredFrames > 0 && cp99 > worstClientP99) {
                        worstClientP99 = cp99;
                        worstClient = c.id;
                    }
                    maxNanos = Math.max(maxNanos, c.maxDelayNanos);
                    measured += c.measuredFrames;
                    warmup += c.warmupFrames;
                    dups += c.duplicates;
                    ooo += c.outOfOrder;
                    foreign += c.foreign;
                    gaps += c.gaps;
                    foreignWarmup += c.foreignWarmup;
                    gapsWarmup += c.gapsWarmup;
                    other += c.otherFrames;
                    long miss = measuredCount - c.measuredFrames;
                    if (miss > 0) {
                        missingClients++;
                        missedMessages += miss;
                    }
                    if (c.warmupFrames < warmupCount) {
                        warmupMissingClients++;
                        warmupMissed += warmupCount - c.warmupFrames;
                    }
                }
            }
            double maxMs = maxNanos / 1e6;
            double p50 = percentileMs(hist, measured, 0.50, maxMs);
            double p90 = percentileMs(hist, measured, 0.90, maxMs);
            double p99 = percentileMs(hist, measured, 0.99, maxMs);
            double pubSec = m.nanos / 1e9;
            double clientCpuSec = cpu0 >= 0 && cpu1 >= 0 ? (cpu1 - cpu0) / 1e9 : Double.NaN;
            long avgBytes = m.published > 0 ? (bytesPublished - bytesBefore) / m.published : 0;
            boolean p99Met = !Double.isNaN(p99) && p99 < P99_TARGET_MS;
            boolean pass = p99Met && missingClients == 0 && m.published == measuredCount;

            PrintFmt out = new PrintFmt();
            out.line("clients", clients + " WebSocket connections to ws://" + HOST + ":" + feedPort
                    + "/ (all counted by /stats before the first message; /stats after the run: " + countedAfter + ")");
            out.line("target rate", rate + " msg/s for " + durationSec + " s, channel " + channel + " (after a "
                    + warmupSec + " s warm-up at the same rate, not measured), PUBLISH pipelined every 5 ms");
            out.line("published", String.format(Locale.ROOT, "%d messages (avg %d bytes) in %.2f s = %.0f msg/s achieved;"
                    + " publisher at most %.1f ms behind its 5 ms schedule", m.published, avgBytes, pubSec,
                    m.published / pubSec, m.maxLagNanos / 1e6)
                    + (m.noSubscriber > 0 ? "; " + m.noSubscriber + " PUBLISH reached NO subscriber" : ""));
            out.line("frames expected", expected + " (messages x clients)");
            out.line("frames delivered", String.format(Locale.ROOT, "%d (%.3f%%), %.0f frames/s over the publishing time;"
                    + " last one %.2f s after the last PUBLISH%s", measured, expected > 0 ? 100.0 * measured / expected : 0,
                    measured / pubSec, stragglerSec, measured < expected ? " (gave up after " + waitSec + " s)" : ""));
            out.line("delay p50 / p90 / p99", ms(p50) + " / " + ms(p90) + " / " + ms(p99) + " ms   (max " + ms(maxMs)
                    + " ms; worst client's p99 " + ms(worstClientP99) + " ms, client " + worstClient
                    + "; PUBLISH -> frame received, one clock)");
            out.line("clients missing messages", missingClients + " of " + clients + " (" + missedMessages
                    + " messages missed in all; not counted: during the warm-up " + warmupMissingClients
                    + " clients missed " + warmupMissed + ")");
            out.line("duplicates / out of order", dups + " / " + ooo);
            out.line("frames not ours", foreign + " since the measured run began (of which gap events: " + gaps
                    + "); before it (connect + warm-up): " + foreignWarmup + " (gap events: " + gapsWarmup
                    + "); binary or fragmented frames: " + other);
            out.line("connections closed early", closedEarly.get() + (closeReasons.isEmpty() ? "" : " (" + String.join("; ", closeReasons) + ")"));
            out.line("bench client CPU", Double.isNaN(clientCpuSec) ? "n/a" : String.format(Locale.ROOT,
                    "%.2f s in the publishing window = %.0f%% of one core (%.1f ms per 1000 frames; 2 event loops + the publisher)",
                    clientCpuSec, 100 * clientCpuSec / pubSec, measured > 0 ? 1e6 * clientCpuSec / measured : 0.0));
            out.text.append(String.format(Locale.ROOT, "target (p99 < %.0f ms, no client missing a message): %s%s%n",
                    P99_TARGET_MS, pass ? "PASS" : "FAIL",
                    pass ? "" : " (" + (p99Met ? "" : "p99 " + ms(p99) + " ms is " + ms(p99 - P99_TARGET_MS)
                            + " ms over; ") + (missingClients > 0 ? missingClients + " clients missed messages; " : "")
                            + (m.published < measuredCount ? "published only " + m.published + "; " : "") + "see above)"));
            System.out.print(out.text);
            System.out.printf(Locale.ROOT, "BENCH pass=%s client_cpu=%.2f frames=%d p99_ms=%s missing_clients=%d%n",
                    pass ? "PASS" : "FAIL", Double.isNaN(clientCpuSec) ? 0.0 : clientCpuSec, measured, ms(p99), missingClients);
            System.out.flush();
            return pass ? 0 : 1;
        } finally {
            CompletableFuture<Void> done = new CompletableFuture<>();
            wsClient.close();
            vertx.close().onComplete(ar -> done.complete(null));
            try {
                done.get(5, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // exit anyway
            }
        }
    }

    long measuredDelivered() {
        long n = 0;
        for (Client c : all) {
            synchronized (c) {
                n += c.measuredFrames;
            }
        }
        return n;
    }

    static final class PrintFmt {
        final StringBuilder text = new StringBuilder();

        void line(String label, String value) {
            text.append(String.format(Locale.ROOT, "%-27s%s%n", label, value));
        }
    }

    public static void main(String[] args) {
        quietLogging();
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                System.err.println("usage: FeedFanout --http-port P --feed-port P --channel C [--clients K] [--rate R]"
                        + " [--duration S] [--warmup S] [--wait S] [--snap-dir D --service-pid PID --benchlib PATH]");
                System.exit(2);
            }
            a.put(args[i].substring(2), args[++i]);
        }
        int rc;
        try {
            rc = new FeedFanout(a).run();
        } catch (Exception e) {
            e.printStackTrace();
            rc = 2;
        }
        System.exit(rc);
    }

    /** logback is on the classpath (target/lib) without a configuration: it would log Netty's DEBUG lines. */
    static void quietLogging() {
        org.slf4j.Logger root = org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (root instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }
}
