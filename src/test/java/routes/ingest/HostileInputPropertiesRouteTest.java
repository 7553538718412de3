package routes.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import routes.ingest.HostileInputs.Expect;
import routes.ingest.HostileInputs.Input;
import routes.support.ApiResponse;
import routes.support.DeadLetterRows;
import routes.support.ExactJson;
import routes.support.Json;
import routes.support.MessageTable;
import routes.support.Messages;
import routes.support.RouteTestSupport;

import static org.junit.jupiter.api.Assertions.fail;
import static routes.support.Await.await;
import static routes.support.Await.awaitValue;

/**
 * Property tests of hostile input against the running service: whatever is posted is answered 202 and stored
 * exactly, or refused with a JSON 4xx, never a 5xx; whatever bytes are pushed onto the list end as an exact row or
 * as one dead letter holding those bytes, and the drain goes on. Inputs come from {@link HostileInputs}, the bug
 * report's examples first. A run is fixed by its seed ({@code -Dhostile.seed}, printed), the number of generated
 * tries per property ({@code -Dhostile.tries}) and an optional time budget for the class
 * ({@code -Dhostile.seconds}); {@code -Dhostile.report=<file>} appends the outcomes and findings as TSV
 * (bench/hostile_campaign.sh). Every failure names its input, and gives its bytes in base64.
 * <p>
 * Plain Jupiter tests over seeded generators rather than a property-testing engine: the application boots once
 * per class with {@code @CamelMainTest}, and jqwik, the engine at hand, asks since 1.10 not to be used by AI coding
 * agents, which wrote this class. The price is no shrinking: a failing input is reported as generated.
 */
@CamelMainTest(properties = {
        // loopback only: bench/hostile_campaign.sh runs this class for a long time
        "camel.server.host=127.0.0.1",
        "management.host=127.0.0.1",
        "feed.host=127.0.0.1",
        "drain.max-attempts=3",
        "batch.size=500",
        "batch.interval=200"
})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputPropertiesRouteTest extends RouteTestSupport {

    private static final long SEED = Long.getLong("hostile.seed", 20_261_124L);
    private static final int TRIES = Integer.getInteger("hostile.tries", 150);
    private static final long SECONDS = Long.getLong("hostile.seconds", 0L);
    private static final String REPORT = System.getProperty("hostile.report", "");
    /** Inputs sent before their outcomes are checked. */
    private static final int ROUND = 120;
    private static final Duration STORED_WITHIN = Duration.ofSeconds(30);
    private static final Duration ENDED_WITHIN = Duration.ofSeconds(60);
    private static final Duration MARKER_WITHIN = Duration.ofSeconds(90);
    /**
     * A small body is answered, and a small entry alone is drained, within this (milliseconds when the machine is
     * idle; the bound leaves room for a loaded one). Slower means one message can hold a thread for seconds.
     */
    private static final Duration PROMPTLY = Duration.ofSeconds(3);
    private static final int SMALL = 64 * 1024;
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Set<String> FIELDS = Set.of("message_uuid", "origin_ts", "ack_ts", "message_data",
            "source_subject_id", "destination_subject_ids", "topic", "message_type", "message_metadata");

    /** Reads JSON as the rules do: strict about duplicates and trailing content, numbers exact, Jackson's limits. */
    private static final ObjectMapper RULES = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();
    /** Reads what was sent and what came back, whatever its size: 131072-digit numbers, deep nesting. */
    private static final ObjectMapper EXACT = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNumberLength(300_000).maxNestingDepth(30_000).build())
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private final long classStarted = System.nanoTime();
    private final DeadLetterRows deadLetters = new DeadLetterRows(owned.schema());
    private final Set<String> pushed = new HashSet<>();
    private Connection db;

    @Test
    @Order(1)
    void every_body_posted_is_answered_202_and_stored_exactly_or_refused_with_a_json_4xx_never_a_5xx() {
        HostileInputs inputs = new HostileInputs(SEED, "hp-r-");
        Run run = new Run("rest");
        long deadline = SECONDS > 0 ? classStarted + Duration.ofSeconds(SECONDS).toNanos() / 2 : Long.MAX_VALUE;
        List<Input> round = new ArrayList<>(inputs.fixedExamples());
        int generated = 0;
        while (!round.isEmpty()) {
            while (round.size() < ROUND && generated < TRIES && System.nanoTime() - deadline < 0) {
                round.add(inputs.next());
                generated++;
            }
            postRound(round, run);
            round.clear();
            if (generated < TRIES && System.nanoTime() - deadline < 0) {
                round.add(inputs.next());
                generated++;
            }
        }
        run.finish();
    }

    @Test
    @Order(2)
    void every_entry_pushed_ends_as_an_exact_row_or_one_dead_letter_holding_its_bytes_and_the_drain_goes_on() {
        HostileInputs inputs = new HostileInputs(SEED + 1, "hp-l-");
        Run run = new Run("list");
        long deadline = SECONDS > 0 ? classStarted + Duration.ofSeconds(SECONDS).toNanos() : Long.MAX_VALUE;
        List<Input> examples = inputs.fixedExamples();
        examples.forEach(input -> pushed.add(sha256(input.bytes())));
        boolean draining = pushOneByOne(examples, run);
        List<Input> round = new ArrayList<>();
        int generated = 0;
        while (generated < TRIES && System.nanoTime() - deadline < 0 && draining) {
            while (round.size() < ROUND && generated < TRIES && System.nanoTime() - deadline < 0) {
                Input input = unpushed(inputs);
                if (input != null) {
                    round.add(input);
                }
                generated++;
            }
            if (!round.isEmpty()) {
                List<Verdict> verdicts = round.stream().map(run::verdict).toList();
                draining = settle(round, verdicts, push(round), run);
                round.clear();
            }
        }
        run.finish();
    }

    @AfterAll
    void closeTheDatabaseConnection() throws SQLException {
        if (db != null) {
            db.close();
        }
    }

    // ------------------------------------------------------------------ REST

    private record Accepted(Input input, Verdict verdict, List<String> uuids, List<JsonNode> sent) {
    }

    private void postRound(List<Input> round, Run run) {
        List<Accepted> accepted = new ArrayList<>();
        Map<String, Verdict> refusedSenders = new LinkedHashMap<>();
        for (Input input : round) {
            Verdict verdict = run.verdict(input);
            ApiResponse response;
            long posted = System.nanoTime();
            try {
                response = api.postBytes("/messages", "application/json", input.bytes());
            } catch (RuntimeException e) {
                verdict.outcome("no answer").fail("POST /messages got no answer within " + Duration.ofNanos(System.nanoTime() - posted).toMillis()
                        + " ms: " + e + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
                continue;
            }
            Duration took = Duration.ofNanos(System.nanoTime() - posted);
            if (input.bytes().length < SMALL && took.compareTo(PROMPTLY) > 0) {
                verdict.fail("a body of " + input.bytes().length + " bytes was answered after " + took.toMillis() + " ms (bound "
                        + PROMPTLY.toMillis() + " ms)");
            }
            int status = response.status();
            if (input.generator().equals("bug-report") || input.generator().equals("regression")) {
                System.out.printf("  %s [%s]: %d %s (%d ms)%n", input.generator(), input.label(), status, shorten(response.body()),
                        took.toMillis());
            }
            if (status == 202) {
                verdict.outcome("stored");
                Accepted one = accepted(input, verdict, response);
                if (one != null) {
                    accepted.add(one);
                }
            } else if (status >= 400 && status < 500) {
                verdict.outcome("refused " + status);
                checkRefusal(input, verdict, response);
                if (input.sender() != null) {
                    refusedSenders.put(input.sender(), verdict);
                }
            } else {
                verdict.outcome("answered " + status).fail("answered " + status + ", expected 202 or a 4xx: " + shorten(response.body()));
            }
        }
        long deadline = System.nanoTime() + STORED_WITHIN.toNanos();
        for (Accepted one : accepted) {
            for (int i = 0; i < one.uuids().size(); i++) {
                String uuid = one.uuids().get(i);
                Found found = storedOrDeadLettered(uuid, deadline);
                if (found.letter() != null) {
                    one.verdict().outcome("accepted, then dead letter: " + found.letter().reason()).fail("answered 202 with message_uuid "
                            + uuid + ", then it became dead letter " + found.letter().id() + ": " + found.letter().reason() + " "
                            + shorten(found.letter().details()));
                } else if (found.message() == null) {
                    one.verdict().outcome("accepted, then lost").fail("answered 202 with message_uuid " + uuid + " but GET /messages/"
                            + uuid + " did not find it within " + STORED_WITHIN.toSeconds() + " s, and no dead letter names it");
                } else {
                    compare(one.sent().get(i), found.message(), one.verdict());
                }
            }
        }
        for (Map.Entry<String, Verdict> refused : refusedSenders.entrySet()) {
            long rows = table.count("source_subject_id = ?", refused.getKey());
            if (rows != 0) {
                refused.getValue().fail("refused, yet " + rows + " row(s) of its sender were stored");
            }
        }
        run.settle();
    }

    private Accepted accepted(Input input, Verdict verdict, ApiResponse response) {
        if (input.rest() == Expect.REFUSED) {
            verdict.fail("answered 202 to what the rules refuse (" + input.label() + ")");
        }
        String refusal = Rules.mustRefuse(input.bytes(), true);
        if (refusal != null) {
            verdict.fail("answered 202, but the rules refuse it: " + refusal);
        }
        JsonNode answer;
        try {
            answer = Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            verdict.fail("the 202's body is not JSON: " + shorten(response.body()));
            return null;
        }
        if (!"accepted".equals(answer.path("status").asText())) {
            verdict.fail("the 202's body has no \"status\":\"accepted\": " + shorten(response.body()));
        }
        List<String> uuids = new ArrayList<>();
        if (answer.path("message_uuid").isTextual()) {
            uuids.add(answer.get("message_uuid").asText());
        }
        answer.path("message_uuids").forEach(uuid -> uuids.add(uuid.asText()));
        JsonNode sent;
        try {
            sent = EXACT.readTree(input.bytes());
        } catch (IOException e) {
            verdict.fail("answered 202 to a body that is not JSON: " + e.getMessage());
            return null;
        }
        List<JsonNode> messages = new ArrayList<>();
        if (sent.isArray()) {
            sent.forEach(messages::add);
        } else {
            messages.add(sent);
        }
        if (messages.size() != uuids.size()) {
            verdict.fail("sent " + messages.size() + " message(s), the 202 names " + uuids.size() + ": " + shorten(response.body()));
            return null;
        }
        return new Accepted(input, verdict, uuids, messages);
    }

    /** A 4xx: the JSON error shape, and nothing valid refused; invalid text is "invalid text" naming its field. */
    private static void checkRefusal(Input input, Verdict verdict, ApiResponse response) {
        JsonNode error = null;
        try {
            error = Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            verdict.fail(response.status() + " with a body that is not JSON: " + shorten(response.body()));
        }
        if (error != null && (!error.isObject() || !error.path("error").isTextual() || error.get("error").asText().isBlank()
                || !error.path("details").isArray())) {
            verdict.fail(response.status() + " without the {\"error\": \"...\", \"details\": [...]} shape: " + shorten(response.body()));
        }
        if (input.rest() == Expect.STORED) {
            verdict.fail("a valid body was refused: " + response.status() + " " + shorten(response.body()));
        }
        if (input.invalidTextAt() != null && error != null
                && (!"invalid text".equals(error.path("error").asText())
                || !error.path("details").toString().contains(input.invalidTextAt() + ": not valid UTF-8"))) {
            verdict.fail("invalid UTF-8 in " + input.invalidTextAt() + " refused without saying so: " + shorten(response.body()));
        }
    }

    private record Letter(long id, String reason, String details) {
    }

    /** The stored message, or the dead letter it became; both null when neither showed up in time. */
    private record Found(JsonNode message, Letter letter) {
    }

    private Found storedOrDeadLettered(String uuid, long deadline) {
        Duration left = Duration.ofNanos(Math.max(Duration.ofSeconds(1).toNanos(), deadline - System.nanoTime()));
        try {
            return awaitValue(left, () -> {
                ApiResponse response = api.get("/messages/" + uuid);
                if (response.status() == 200) {
                    return new Found(EXACT.readTree(response.body()), null);
                }
                return new Found(null, deadLetterNaming(uuid));
            }, found -> found.message() != null || found.letter() != null, "message " + uuid + " stored or dead-lettered");
        } catch (AssertionError e) {
            return new Found(null, null);
        }
    }

    private Letter deadLetterNaming(String uuid) throws SQLException {
        try (PreparedStatement s = db().prepareStatement("SELECT id, reason, details::text FROM " + owned.schema()
                + ".message_dead_letter WHERE message_uuid = ?::uuid OR strpos(payload, ?) > 0 ORDER BY id LIMIT 1")) {
            s.setString(1, uuid);
            s.setString(2, uuid);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? new Letter(r.getLong(1), r.getString(2), r.getString(3)) : null;
            }
        }
    }

    private JsonNode storedMessage(String uuid, long deadline) {
        Duration left = Duration.ofNanos(Math.max(Duration.ofSeconds(1).toNanos(), deadline - System.nanoTime()));
        try {
            ApiResponse found = awaitValue(left, () -> api.get("/messages/" + uuid), response -> response.status() == 200,
                    "message " + uuid + " stored");
            return EXACT.readTree(found.body());
        } catch (AssertionError | IOException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------ list

    private Input unpushed(HostileInputs inputs) {
        for (int i = 0; i < 20; i++) {
            Input input = inputs.next();
            if (pushed.add(sha256(input.bytes()))) {
                return input;
            }
        }
        return null;
    }

    /** What became of one pushed entry: its rows (uuids) and dead letters (ids). */
    private record Ending(List<String> rows, List<Long> deadLetters) {
        boolean ended() {
            return !rows.isEmpty() || !deadLetters.isEmpty();
        }
    }

    /**
     * Each entry alone, then a marker: a small entry must not hold the drain for long. Then what became of each.
     * False when the drain has stalled.
     */
    private boolean pushOneByOne(List<Input> entries, Run run) {
        List<Verdict> verdicts = entries.stream().map(run::verdict).toList();
        UUID marker = null;
        for (int i = 0; i < entries.size(); i++) {
            long pushedAt = System.nanoTime();
            marker = push(List.of(entries.get(i)));
            UUID awaited = marker;
            try {
                await(MARKER_WITHIN, () -> table.countByUuid(awaited) == 1, "the marker pushed after the entry stored");
            } catch (AssertionError stalled) {
                break;
            }
            Duration took = Duration.ofNanos(System.nanoTime() - pushedAt);
            if (entries.get(i).bytes().length < SMALL && took.compareTo(PROMPTLY) > 0) {
                verdicts.get(i).fail("pushed alone, it held the drain: the marker after it was stored " + took.toMillis()
                        + " ms later (bound " + PROMPTLY.toMillis() + " ms)");
            }
        }
        return settle(entries, verdicts, marker, run);
    }

    /** Pushes entries (LPUSH, in order, in commands of at most 8 MB), then a marker; the marker's uuid. */
    private UUID push(List<Input> round) {
        List<byte[]> chunk = new ArrayList<>();
        long chunkBytes = 0;
        for (Input input : round) {
            if (chunkBytes + input.bytes().length > 8_000_000 && !chunk.isEmpty()) {
                queue.pushBytes(chunk.toArray(new byte[0][]));
                chunk.clear();
                chunkBytes = 0;
            }
            chunk.add(input.bytes());
            chunkBytes += input.bytes().length;
        }
        queue.pushBytes(chunk.toArray(new byte[0][]));
        ObjectNode marker = Messages.marker();
        queue.push(Json.write(marker));
        return UUID.fromString(marker.get("message_uuid").asText());
    }

    /** Awaits the marker and each entry's end, then checks each; false when the drain has stalled. */
    private boolean settle(List<Input> round, List<Verdict> verdicts, UUID markerUuid, Run run) {
        try {
            await(MARKER_WITHIN, () -> table.countByUuid(markerUuid) == 1, "the marker pushed after the round stored");
        } catch (AssertionError stalled) {
            run.problem("the drain stalled: the marker pushed after " + round.size() + " entries was not stored within "
                    + MARKER_WITHIN.toSeconds() + " s (" + queue.waiting() + " waiting, " + queue.claimedBy(owned.instanceId())
                    + " claimed); the round's entries are listed below");
        }
        Map<Input, Ending> endings;
        try {
            endings = awaitValue(ENDED_WITHIN, () -> endings(round), found -> found.values().stream().allMatch(Ending::ended),
                    "every entry of the round stored or dead-lettered");
        } catch (AssertionError notAll) {
            endings = awaitValue(Duration.ofSeconds(10), () -> endings(round), found -> true, "the round's endings read");
        }
        try {
            await(Duration.ofSeconds(10), () -> queue.claimedBy(owned.instanceId()) == 0, "the processing list empty");
        } catch (AssertionError held) {
            run.problem("the processing list " + queue.name() + ":processing:" + owned.instanceId() + " still holds "
                    + queue.claimedBy(owned.instanceId()) + " entries 10 s after the round ended");
        }
        Map<Long, DeadLetterRows.Row> letters = new HashMap<>();
        deadLetters.all().forEach(row -> letters.put(row.id(), row));
        boolean stalled = false;
        for (int i = 0; i < round.size(); i++) {
            Input input = round.get(i);
            Ending ending = endings.get(input);
            stalled |= !ending.ended();
            checkEnding(input, ending, letters, verdicts.get(i));
        }
        run.settle();
        return !stalled;
    }

    private void checkEnding(Input input, Ending ending, Map<Long, DeadLetterRows.Row> letters, Verdict verdict) {
        if (!ending.ended()) {
            verdict.outcome("lost").fail("neither stored nor dead-lettered within " + ENDED_WITHIN.toSeconds() + " s");
            return;
        }
        if (ending.rows().size() > 1) {
            verdict.fail("stored " + ending.rows().size() + " times: " + ending.rows());
        }
        if (ending.deadLetters().size() > 1) {
            verdict.fail(ending.deadLetters().size() + " dead letters hold its bytes: " + ending.deadLetters());
        }
        if (!ending.rows().isEmpty() && !ending.deadLetters().isEmpty()) {
            verdict.fail("both stored and dead-lettered");
        }
        if (!ending.deadLetters().isEmpty()) {
            DeadLetterRows.Row letter = letters.get(ending.deadLetters().get(0));
            verdict.outcome("dead letter: " + (letter == null ? "?" : letter.reason()));
            if (letter == null) {
                verdict.fail("dead letter " + ending.deadLetters().get(0) + " vanished");
                return;
            }
            if (!Arrays.equals(letter.payloadBytes(), input.bytes())) {
                verdict.fail("dead letter " + letter.id() + " does not hold the exact bytes pushed");
            }
            if (letter.reason() == null || letter.reason().isBlank()) {
                verdict.fail("dead letter " + letter.id() + " has no reason");
            }
            if (input.list() == Expect.STORED) {
                verdict.fail("a valid entry was dead-lettered: " + letter.reason() + " " + shorten(letter.details()));
            }
            if (input.invalidTextAt() != null && (!"invalid text".equals(letter.reason())
                    || !letter.details().contains(input.invalidTextAt() + ": not valid UTF-8"))) {
                verdict.fail("invalid UTF-8 in " + input.invalidTextAt() + " dead-lettered without saying so: " + letter.reason() + " "
                        + shorten(letter.details()));
            }
            return;
        }
        verdict.outcome("stored");
        if (input.list() == Expect.REFUSED) {
            verdict.fail("stored what the rules refuse (" + input.label() + ")");
        }
        String refusal = Rules.mustRefuse(input.bytes(), false);
        if (refusal != null) {
            verdict.fail("stored, but the rules refuse it: " + refusal);
        }
        JsonNode sent;
        try {
            sent = EXACT.readTree(input.bytes());
        } catch (IOException e) {
            verdict.fail("stored an entry that is not JSON: " + e.getMessage());
            return;
        }
        JsonNode stored = storedMessage(ending.rows().get(0), System.nanoTime());
        if (stored == null) {
            verdict.fail("row " + ending.rows().get(0) + " is in the table but GET /messages/" + ending.rows().get(0) + " does not find it");
        } else {
            compare(sent, stored, verdict);
        }
    }

    /** Rows and dead letters of the round's entries: rows by the uuids an entry's bytes hold, or by its sender. */
    private Map<Input, Ending> endings(List<Input> round) throws SQLException {
        Map<Input, Set<String>> candidates = new HashMap<>();
        Set<UUID> uuids = new HashSet<>();
        List<String> senders = new ArrayList<>();
        for (Input input : round) {
            Set<String> found = new HashSet<>();
            Matcher matcher = UUID_TEXT.matcher(new String(input.bytes(), StandardCharsets.ISO_8859_1));
            while (matcher.find()) {
                found.add(matcher.group().toLowerCase(Locale.ROOT));
                uuids.add(UUID.fromString(matcher.group()));
            }
            candidates.put(input, found);
            if (input.sender() != null) {
                senders.add(input.sender());
            }
        }
        Map<String, List<String>> rowsByUuid = new HashMap<>();
        Map<String, List<String>> rowsBySender = new HashMap<>();
        Connection c = db();
        try (PreparedStatement s = c.prepareStatement("SELECT message_uuid::text, md5(source_subject_id) FROM " + owned.schema()
                + ".message_exchange WHERE message_uuid = ANY (?) OR source_subject_id = ANY (?)")) {
            s.setArray(1, c.createArrayOf("uuid", uuids.toArray()));
            s.setArray(2, c.createArrayOf("text", senders.toArray()));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rowsByUuid.computeIfAbsent(r.getString(1), k -> new ArrayList<>()).add(r.getString(1));
                    rowsBySender.computeIfAbsent(r.getString(2), k -> new ArrayList<>()).add(r.getString(1));
                }
            }
        }
        Map<String, List<Long>> lettersByDigest = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT id, encode(sha256(payload_bytes), 'hex') FROM " + owned.schema()
                + ".message_dead_letter");
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                lettersByDigest.computeIfAbsent(r.getString(2), k -> new ArrayList<>()).add(r.getLong(1));
            }
        }
        Map<Input, Ending> endings = new LinkedHashMap<>();
        for (Input input : round) {
            List<String> rows = new ArrayList<>();
            candidates.get(input).forEach(uuid -> rows.addAll(rowsByUuid.getOrDefault(uuid, List.of())));
            if (input.sender() != null) {
                for (String uuid : rowsBySender.getOrDefault(md5(input.sender()), List.of())) {
                    if (!rows.contains(uuid)) {
                        rows.add(uuid);
                    }
                }
            }
            endings.put(input, new Ending(rows, lettersByDigest.getOrDefault(sha256(input.bytes()), List.of())));
        }
        return endings;
    }

    private Connection db() throws SQLException {
        if (db == null || db.isClosed()) {
            db = DriverManager.getConnection(MessageTable.DB_URL, "postgres", "");
        }
        return db;
    }

    // ------------------------------------------------------------------ what was stored against what was sent

    private static void compare(JsonNode sent, JsonNode stored, Verdict verdict) {
        if (sent.hasNonNull("message_uuid")
                && !sent.get("message_uuid").asText().equalsIgnoreCase(stored.path("message_uuid").asText())) {
            verdict.fail("message_uuid sent " + sent.get("message_uuid") + ", stored " + stored.path("message_uuid"));
        }
        for (String field : List.of("origin_ts", "ack_ts")) {
            JsonNode value = sent.get(field);
            JsonNode back = stored.get(field);
            if (value == null || value.isNull()) {
                if (field.equals("ack_ts") && back != null && !back.isNull()) {
                    verdict.fail("ack_ts sent null, stored " + back);
                }
                continue;
            }
            Instant expected = Rules.storedInstant(value);
            if (expected == null) {
                verdict.fail(field + " " + shorten(value.toString()) + " is no timestamp the rules accept, yet it was stored as " + back);
                continue;
            }
            Instant got = null;
            try {
                got = back == null || !back.isTextual() ? null : Instant.parse(back.asText());
            } catch (DateTimeException e) {
                // reported below
            }
            if (!expected.equals(got)) {
                verdict.fail(field + " sent " + shorten(value.toString()) + ", expected to be stored as " + expected + ", stored " + back);
            }
        }
        for (String field : List.of("message_data", "message_metadata")) {
            JsonNode value = sent.get(field);
            JsonNode back = stored.get(field);
            if (!ExactJson.sameValue(value == null || value.isNull() ? null : value, back == null || back.isNull() ? null : back)) {
                verdict.fail(field + " changed: sent " + shorten(String.valueOf(value)) + ", stored " + shorten(String.valueOf(back)));
            }
        }
        for (String field : List.of("source_subject_id", "destination_subject_ids", "topic", "message_type")) {
            JsonNode value = sent.get(field);
            JsonNode back = stored.get(field);
            boolean same = value == null || value.isNull() ? back == null || back.isNull() : value.equals(back);
            if (!same) {
                verdict.fail(field + " changed: sent " + shorten(String.valueOf(value)) + ", stored " + shorten(String.valueOf(back)));
            }
        }
    }

    /**
     * The rules, read from the brief and written again here, independently of the service: why an input must be
     * refused, and the instant a timestamp is stored at.
     */
    static final class Rules {

        private static final BigInteger EARLIEST_MICROS = BigInteger.valueOf(Instant.parse("0001-01-01T00:00:00Z").getEpochSecond())
                .multiply(BigInteger.valueOf(1_000_000));
        private static final BigInteger LATEST_MICROS = BigInteger.valueOf(Instant.parse("9999-12-31T23:59:59.999999Z").getEpochSecond())
                .multiply(BigInteger.valueOf(1_000_000)).add(BigInteger.valueOf(999_999));

        private Rules() {
        }

        /** Why these bytes must be refused, or null when the rules let them be stored. */
        static String mustRefuse(byte[] bytes, boolean arrayAllowed) {
            try {
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            } catch (CharacterCodingException e) {
                return "not well-formed UTF-8";
            }
            JsonNode root;
            try {
                root = RULES.readTree(bytes);
            } catch (IOException | RuntimeException e) {
                return "not one JSON document: " + e.getClass().getSimpleName();
            }
            if (root == null || root.isMissingNode()) {
                return "empty";
            }
            if (root.isArray() && arrayAllowed) {
                if (root.isEmpty() || root.size() > 1000) {
                    return "an array of " + root.size() + " messages";
                }
                for (JsonNode message : root) {
                    String problem = messageProblem(message);
                    if (problem != null) {
                        return problem;
                    }
                }
                return null;
            }
            return messageProblem(root);
        }

        private static String messageProblem(JsonNode message) {
            if (!message.isObject()) {
                return "not a message object";
            }
            for (Iterator<String> names = message.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!FIELDS.contains(name)) {
                    return "unknown field " + name;
                }
            }
            String text = textProblem(message);
            if (text != null) {
                return text;
            }
            JsonNode uuid = message.get("message_uuid");
            if (uuid != null && !uuid.isNull() && !(uuid.isTextual() && UUID_TEXT.matcher(uuid.asText()).matches())) {
                return "message_uuid is not a UUID";
            }
            for (String field : List.of("origin_ts", "ack_ts")) {
                JsonNode value = message.get(field);
                if (value != null && !value.isNull() && storedInstant(value) == null) {
                    return field + " is not a timestamp in the years 1 to 9999";
                }
            }
            if (!message.hasNonNull("message_data")) {
                return "message_data missing";
            }
            if (!nonEmptyText(message.get("source_subject_id"))) {
                return "source_subject_id is not a non-empty string";
            }
            JsonNode recipients = message.get("destination_subject_ids");
            if (recipients == null || !recipients.isArray()) {
                return "destination_subject_ids is not an array";
            }
            for (JsonNode recipient : recipients) {
                if (!nonEmptyText(recipient)) {
                    return "a recipient is not a non-empty string";
                }
            }
            for (String field : List.of("topic", "message_type")) {
                JsonNode value = message.get(field);
                if (value != null && !value.isNull() && !nonEmptyText(value)) {
                    return field + " is not a non-empty string";
                }
            }
            for (String field : List.of("message_data", "message_metadata")) {
                String number = numberProblem(message.get(field));
                if (number != null) {
                    return field + ": " + number;
                }
            }
            return null;
        }

        private static boolean nonEmptyText(JsonNode value) {
            return value != null && value.isTextual() && !value.asText().isEmpty();
        }

        /** A NUL or an unpaired surrogate in any string or key. */
        private static String textProblem(JsonNode node) {
            if (node == null) {
                return null;
            }
            if (node.isTextual()) {
                return notText(node.asText());
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String problem = notText(field.getKey());
                if (problem == null) {
                    problem = textProblem(field.getValue());
                }
                if (problem != null) {
                    return problem;
                }
            }
            if (node.isArray()) {
                for (JsonNode element : node) {
                    String problem = textProblem(element);
                    if (problem != null) {
                        return problem;
                    }
                }
            }
            return null;
        }

        private static String notText(String text) {
            if (text.indexOf('\u0000') >= 0) {
                return "text with a NUL";
            }
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else if (Character.isSurrogate(c)) {
                    return "text with an unpaired surrogate";
                }
            }
            return null;
        }

        /** A number jsonb's numeric cannot hold: more than 131072 digits before the point or 16383 after. */
        private static String numberProblem(JsonNode node) {
            if (node == null) {
                return null;
            }
            if (node.isNumber()) {
                BigDecimal number = node.decimalValue();
                long before = number.signum() == 0 ? 1 : (long) number.precision() - number.scale();
                return before > 131_072 || number.scale() > 16_383 ? "the number " + shorten(node.toString()) + " is out of numeric's range" : null;
            }
            for (JsonNode child : node) {
                String problem = numberProblem(child);
                if (problem != null) {
                    return problem;
                }
            }
            return null;
        }

        /**
         * The instant a timestamp is stored at: ISO-8601 with an offset, or epoch seconds, rounded half to even to the
         * microsecond; null when it is neither, or outside the years 1 to 9999.
         */
        static Instant storedInstant(JsonNode value) {
            BigDecimal micros;
            if (value.isTextual()) {
                try {
                    Instant instant = OffsetDateTime.parse(value.asText(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
                    micros = BigDecimal.valueOf(instant.getEpochSecond()).scaleByPowerOfTen(6).add(BigDecimal.valueOf(instant.getNano(), 3));
                } catch (DateTimeException e) {
                    return null;
                }
            } else if (value.isNumber()) {
                BigDecimal seconds = value.decimalValue();
                if (seconds.abs().compareTo(BigDecimal.valueOf(1, -12)) > 0) {
                    return null;
                }
                // |seconds| below a tenth of a microsecond is 0 microseconds (and rounding 1e-999999999 would take ages)
                micros = seconds.abs().compareTo(BigDecimal.valueOf(1, 7)) < 0 ? BigDecimal.ZERO : seconds.scaleByPowerOfTen(6);
            } else {
                return null;
            }
            BigInteger rounded = micros.setScale(0, RoundingMode.HALF_EVEN).toBigIntegerExact();
            if (rounded.compareTo(EARLIEST_MICROS) < 0 || rounded.compareTo(LATEST_MICROS) > 0) {
                return null;
            }
            long us = rounded.longValueExact();
            return Instant.ofEpochSecond(Math.floorDiv(us, 1_000_000L), Math.floorMod(us, 1_000_000L) * 1_000L);
        }
    }

    // ------------------------------------------------------------------ outcomes, findings, the report

    /** One input's outcome and what is wrong with it. */
    private static final class Verdict {
        final Input input;
        String outcome = "?";
        final List<String> problems = new ArrayList<>();

        Verdict(Input input) {
            this.input = input;
        }

        Verdict outcome(String outcome) {
            this.outcome = outcome;
            return this;
        }

        Verdict fail(String problem) {
            problems.add(problem);
            return this;
        }
    }

    /** One property's run: counts per generator and outcome, and the findings. */
    private final class Run {
        private final String path;
        private final long started = System.nanoTime();
        private final List<Verdict> open = new ArrayList<>();
        private final Map<String, Map<String, Integer>> outcomes = new TreeMap<>();
        private final List<String> findings = new ArrayList<>();
        private final List<String> reportLines = new ArrayList<>();
        private int tries;

        Run(String path) {
            this.path = path;
            System.out.printf("HostileInputPropertiesRouteTest %s: seed %d, %d generated tries%s (replay: -Dhostile.seed=%d -Dhostile.tries=%d)%n",
                    path, SEED, TRIES, SECONDS > 0 ? ", at most " + SECONDS + " s for the class" : "", SEED, TRIES);
        }

        Verdict verdict(Input input) {
            Verdict verdict = new Verdict(input);
            open.add(verdict);
            return verdict;
        }

        /** A problem of the run, not of one input (a stall): it fails the run and is listed first. */
        void problem(String problem) {
            findings.add(0, path + ": " + problem);
            reportLines.add(String.join("\t", "finding", path, "-", "-", clean(problem), ""));
        }

        /** Counts the round's verdicts and keeps the failures. */
        void settle() {
            for (Verdict verdict : open) {
                tries++;
                String outcome = verdict.problems.isEmpty() ? verdict.outcome : "FAILED (" + verdict.outcome + ")";
                outcomes.computeIfAbsent(verdict.input.generator(), k -> new TreeMap<>()).merge(outcome, 1, Integer::sum);
                Expect expected = path.equals("rest") ? verdict.input.rest() : verdict.input.list();
                reportLines.add(String.join("\t", "input", path, verdict.input.generator(), clean(verdict.input.label()), clean(outcome),
                        expected.name().toLowerCase(Locale.ROOT)));
                for (String problem : verdict.problems) {
                    findings.add(describe(verdict.input, problem));
                    reportLines.add(String.join("\t", "finding", path, verdict.input.generator(), clean(verdict.input.label()),
                            clean(problem), verdict.input.base64()));
                }
            }
            open.clear();
        }

        void finish() {
            settle();
            double seconds = (System.nanoTime() - started) / 1e9;
            StringBuilder table = new StringBuilder(String.format("HostileInputPropertiesRouteTest %s: %d inputs in %.1f s, seed %d, %d finding(s)%n",
                    path, tries, seconds, SEED, findings.size()));
            table.append(String.format("  %-22s %6s  %s%n", "generator", "tries", "outcomes"));
            outcomes.forEach((generator, counts) -> {
                int total = counts.values().stream().mapToInt(Integer::intValue).sum();
                StringBuilder shown = new StringBuilder();
                counts.forEach((outcome, count) -> shown.append(shown.length() == 0 ? "" : ", ").append(outcome).append(" x").append(count));
                table.append(String.format("  %-22s %6d  %s%n", generator, total, shown));
                counts.forEach((outcome, count) -> reportLines.add(String.join("\t", "outcome", path, generator, clean(outcome),
                        Integer.toString(count))));
            });
            System.out.print(table);
            reportLines.add(0, String.join("\t", "run", path, Long.toString(SEED), Integer.toString(tries), String.format("%.1f", seconds)));
            if (!REPORT.isEmpty()) {
                try {
                    Files.write(Path.of(REPORT), reportLines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write " + REPORT, e);
                }
            }
            if (!findings.isEmpty()) {
                StringBuilder message = new StringBuilder(findings.size() + " finding(s) on the " + path + " path (seed " + SEED + "):");
                findings.stream().limit(25).forEach(finding -> message.append("\n- ").append(finding));
                if (findings.size() > 25) {
                    message.append("\n- ... and ").append(findings.size() - 25).append(" more");
                }
                fail(message.toString());
            }
        }

        private String describe(Input input, String problem) {
            String bytes;
            if (input.bytes().length <= 6_000) {
                bytes = "base64 " + input.base64();
            } else {
                Path file = Path.of("target", "hostile-findings", path + "-" + Integer.toHexString(Arrays.hashCode(input.bytes())) + ".b64");
                try {
                    Files.createDirectories(file.getParent());
                    Files.writeString(file, input.base64());
                    bytes = input.bytes().length + " bytes, base64 in " + file.toAbsolutePath();
                } catch (IOException e) {
                    bytes = input.bytes().length + " bytes (could not be saved: " + e + ")";
                }
            }
            return path + " " + input.generator() + " [" + input.label() + "]: " + problem + "\n    input " + input.preview(160)
                    + "\n    " + bytes;
        }
    }

    private static String clean(String text) {
        return text.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }

    private static String shorten(String text) {
        if (text == null) {
            return "null";
        }
        return text.length() > 300 ? text.substring(0, 300) + "... (" + text.length() + " chars)" : text;
    }

    private static String sha256(byte[] bytes) {
        return digest("SHA-256", bytes);
    }

    private static String md5(String text) {
        return digest("MD5", text.getBytes(StandardCharsets.UTF_8));
    }

    private static String digest(String algorithm, byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
