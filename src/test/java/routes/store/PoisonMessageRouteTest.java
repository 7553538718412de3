package routes.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;

import routes.support.ApiResponse;
import routes.support.DeadLetterRows;
import routes.support.Json;
import routes.support.Messages;
import routes.support.RouteTestSupport;

import static org.junit.jupiter.api.Assertions.*;
import static routes.support.Await.await;

/**
 * Poison mixed into one large batch: malformed JSON, a wrong type, a NUL character, and a value the database
 * itself refuses (a CHECK constraint this test adds). Every good message is stored, each poison one becomes one
 * dead letter saying what was wrong, and a dead letter replayed with a fix is stored.
 */
@CamelMainTest(properties = {
        "batch.size=500",
        "batch.interval=1000"
})
class PoisonMessageRouteTest extends RouteTestSupport {

    private final DeadLetterRows deadLetters = new DeadLetterRows(owned.schema());

    @Test
    void stores_every_good_message_and_dead_letters_each_poison_once_with_its_reason() {
        await(Duration.ofSeconds(10), table::exists, "the table exists");
        deadLetters.execute("ALTER TABLE {schema}.message_exchange ADD CONSTRAINT refuses_poison CHECK (topic IS DISTINCT FROM 'poison')");
        String sender = Messages.uniqueSubject("poison");
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            entries.add(Json.write(Messages.complete(sender, "r" + i)));
        }
        ObjectNode refused = Messages.complete(sender, "r");
        refused.put("topic", "poison");
        ObjectNode wrongType = Messages.complete(sender, "r");
        wrongType.put("destination_subject_ids", 7);
        ObjectNode nul = Messages.complete(sender, "r");
        nul.put("message_type", "a\u0000b");
        entries.add(150, "{\"message_data\": {\"unterminated\": ");
        entries.add(200, Json.write(wrongType));
        entries.add(250, Json.write(nul));
        entries.add(300, Json.write(refused));
        queue.push(entries.toArray(new String[0]));

        await(Duration.ofSeconds(20), () -> table.count("source_subject_id = ?", sender) == 400 && deadLetters.all().size() == 4,
                "400 good messages stored and 4 dead letters");
        await(Duration.ofSeconds(5), () -> queue.claimedBy(owned.instanceId()) == 0, "every claim is settled");

        List<DeadLetterRows.Row> all = deadLetters.all();
        assertEquals(List.of("invalid message", "invalid message", "malformed JSON", "rejected by the database"),
                all.stream().map(DeadLetterRows.Row::reason).sorted().toList(), all::toString);
        List<DeadLetterRows.Row> invalid = all.stream().filter(r -> r.reason().equals("invalid message")).toList();
        assertTrue(invalid.stream().anyMatch(r -> r.details().contains("destination_subject_ids")), invalid::toString);
        assertTrue(invalid.stream().anyMatch(r -> r.details().contains("NUL")), invalid::toString);
        DeadLetterRows.Row rejected = withReason(all, "rejected by the database");
        assertTrue(rejected.details().contains("refuses_poison"), rejected::toString);
        assertTrue(all.stream().allMatch(r -> r.attempts() == 1), all::toString);

        // fixed: the same message with an acceptable topic, sent along with the replay
        long id = rejected.id();
        refused.put("topic", "cured");
        ApiResponse replay = api.post("/dead-letters/" + id + "/replay", "application/json", Json.write(refused));
        assertEquals(200, replay.status(), replay::toString);
        assertEquals(1, replay.json().get("replayed").asInt());
        await(Duration.ofSeconds(10), () -> table.count("source_subject_id = ? AND topic = 'cured'", sender) == 1,
                "the fixed dead letter is stored");
        assertEquals(404, api.post("/dead-letters/" + id + "/replay", "application/json", "").status(),
                "a replayed dead letter is no longer pending");

        // replayed unchanged, a still-invalid one stays, with one more attempt, and never loops by itself
        long malformed = withReason(all, "malformed JSON").id();
        ApiResponse again = api.post("/dead-letters/" + malformed + "/replay", "application/json", "");
        assertEquals(422, again.status(), again::toString);
        assertEquals(2, deadLetters.all().stream().filter(r -> r.id() == malformed).findFirst().orElseThrow().attempts());
    }

    private static DeadLetterRows.Row withReason(List<DeadLetterRows.Row> rows, String reason) {
        return rows.stream().filter(r -> r.reason().equals(reason)).findFirst()
                .orElseThrow(() -> new AssertionError("no dead letter '" + reason + "' in " + rows));
    }
}
