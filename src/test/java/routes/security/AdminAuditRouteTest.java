package routes.security;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;

import routes.support.ApiClient;
import routes.support.ApiResponse;
import routes.support.Json;
import routes.support.MessageTable;
import routes.support.Messages;
import routes.support.RouteTestSupport;

import static org.junit.jupiter.api.Assertions.*;
import static routes.support.Await.await;

/**
 * Each admin action (keys, dead letters; route operations in RouteOperationsRouteTest) is a row of admin_audit saying
 * who did what to what and how it ended, failed attempts included; the table refuses UPDATE and DELETE; an action
 * whose row cannot be written answers 503; GET /admin/audit pages newest first and filters by action.
 */
@CamelMainTest(properties = {
        "security.admin-key=" + TestKeys.ADMIN,
        "batch.interval=100"
})
class AdminAuditRouteTest extends RouteTestSupport {

    private static final Duration DRAINED = Duration.ofSeconds(20);
    private final ApiClient admin = api.withKey(TestKeys.ADMIN);

    /** The key id of a token mlk_<id>_<secret>. */
    private static String keyId(String token) {
        return token.substring(4, 20);
    }

    /** The newest audit row of an action, through GET /admin/audit. */
    private JsonNode newest(String action) {
        ApiResponse page = admin.get("/admin/audit?limit=1&action=" + action);
        assertEquals(200, page.status(), page::toString);
        assertEquals(1, page.json().size(), () -> "no audit row of " + action + ": " + page);
        return page.json().get(0);
    }

    private static void assertRow(JsonNode row, String keyId, String action, String target, String outcome) {
        assertEquals(keyId, row.get("key_id").asText(), row::toString);
        assertEquals(action, row.get("action").asText(), row::toString);
        assertEquals(target, row.get("target").isNull() ? null : row.get("target").asText(), row::toString);
        assertEquals(outcome, row.get("outcome").asText(), row::toString);
        assertEquals("127.0.0.1", row.get("remote_address").asText(), row::toString);
        assertFalse(row.get("at").asText().isEmpty(), row::toString);
    }

    /** Pushes an entry that is no JSON and returns the id of its dead letter. */
    private long deadLetter() {
        String entry = "{not json " + UUID.randomUUID();
        queue.push(entry);
        JsonNode[] found = new JsonNode[1];
        await(DRAINED, () -> {
            for (JsonNode letter : admin.get("/dead-letters?limit=1000").json()) {
                if (entry.equals(letter.path("payload").asText())) {
                    found[0] = letter;
                    return true;
                }
            }
            return false;
        }, "the entry became a dead letter");
        return found[0].get("id").asLong();
    }

    private void sql(String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection(MessageTable.DB_URL, "postgres", "");
             Statement s = c.createStatement()) {
            s.execute(statement.replace("{schema}", owned.schema()));
        }
    }

    @Test
    void keys_made_and_revoked_are_audited_with_who_and_what_never_the_token() {
        String operatorToken = TestKeys.create(admin, "operator", List.of("admin"), null);
        assertRow(newest("key.create"), "bootstrap", "key.create", keyId(operatorToken), "ok");
        assertTrue(newest("key.create").get("key_name").asText().contains("bootstrap"));

        ApiClient operator = api.withKey(operatorToken);
        String doomed = TestKeys.create(operator, "doomed", List.of("read"), null);
        JsonNode made = newest("key.create");
        assertRow(made, keyId(operatorToken), "key.create", keyId(doomed), "ok");
        assertEquals("operator", made.get("key_name").asText());

        assertEquals(200, operator.send("DELETE", "/keys/" + keyId(doomed)).status());
        assertRow(newest("key.revoke"), keyId(operatorToken), "key.revoke", keyId(doomed), "ok");

        String audit = admin.get("/admin/audit?limit=1000").body();
        for (String token : List.of(operatorToken, doomed)) {
            assertFalse(audit.contains(token.substring(21)), "no secret in the audit");
        }
        assertFalse(audit.contains("doomed"), "no request body in the audit (the key's name was in it)");
    }

    @Test
    void dead_letter_replays_deletes_and_purges_are_audited() {
        long replayed = deadLetter();
        String corrected = Json.write(Messages.complete(Messages.uniqueSubject("fixed"), "r"));
        ApiResponse replay = admin.sendJson("POST", "/dead-letters/" + replayed + "/replay", corrected);
        assertEquals(200, replay.status(), replay::toString);
        assertRow(newest("dead_letter.replay"), "bootstrap", "dead_letter.replay", Long.toString(replayed), "ok");
        assertFalse(admin.get("/admin/audit?limit=1000").body().contains("fixed"), "no request body in the audit");

        long deleted = deadLetter();
        assertEquals(200, admin.send("DELETE", "/dead-letters/" + deleted).status());
        assertRow(newest("dead_letter.delete"), "bootstrap", "dead_letter.delete", Long.toString(deleted), "ok");

        long stillInvalid = deadLetter();
        String reason = admin.get("/dead-letters/" + stillInvalid).json().get("reason").asText();
        ApiResponse replayAll = admin.sendJson("POST", "/dead-letters/replay?reason=" + reason.replace(" ", "%20"), "");
        assertEquals(200, replayAll.status(), replayAll::toString);
        assertRow(newest("dead_letter.replay_all"), "bootstrap", "dead_letter.replay_all", "reason=" + reason, "ok");

        assertEquals(200, admin.send("DELETE", "/dead-letters?reason=" + reason.replace(" ", "%20")).status());
        assertRow(newest("dead_letter.purge"), "bootstrap", "dead_letter.purge", "reason=" + reason, "ok");
        assertEquals(200, admin.send("DELETE", "/dead-letters").status());
        assertRow(newest("dead_letter.purge"), "bootstrap", "dead_letter.purge", "all", "ok");
    }

    @Test
    void failed_attempts_are_audited_with_the_answer_they_got() {
        ApiResponse unknown = admin.sendJson("POST", "/dead-letters/999999999/replay", "");
        assertEquals(404, unknown.status(), unknown::toString);
        assertRow(newest("dead_letter.replay"), "bootstrap", "dead_letter.replay", "999999999",
                "404 no pending dead letter with id 999999999");

        assertEquals(400, admin.send("DELETE", "/dead-letters/abc").status());
        assertRow(newest("dead_letter.delete"), "bootstrap", "dead_letter.delete", "abc", "400 invalid id");

        assertEquals(404, admin.send("DELETE", "/dead-letters/999999999").status());
        assertRow(newest("dead_letter.delete"), "bootstrap", "dead_letter.delete", "999999999",
                "404 no dead letter with id 999999999");

        assertEquals(400, admin.send("POST", "/dead-letters/replay?reason=a%00").status());
        assertRow(newest("dead_letter.replay_all"), "bootstrap", "dead_letter.replay_all", "reason=a\uFFFD",
                "400 invalid reason");

        assertEquals(404, admin.send("DELETE", "/keys/0123456789abcdef").status());
        assertRow(newest("key.revoke"), "bootstrap", "key.revoke", "0123456789abcdef", "404 no key with id 0123456789abcdef");

        long invalid = deadLetter();
        assertEquals(422, admin.sendJson("POST", "/dead-letters/" + invalid + "/replay", "").status());
        assertRow(newest("dead_letter.replay"), "bootstrap", "dead_letter.replay", Long.toString(invalid), "422 still invalid");

        String bound = TestKeys.create(admin, "team admin", List.of("admin"), List.of("team-a"));
        ApiResponse wider = api.withKey(bound).sendJson("POST", "/keys", "{\"name\": \"wider\", \"scopes\": [\"read\"]}");
        assertEquals(403, wider.status(), wider::toString);
        assertRow(newest("key.create"), keyId(bound), "key.create", null, "403 forbidden");
    }

    @Test
    void the_database_refuses_to_change_or_remove_audit_rows() {
        assertEquals(404, admin.send("DELETE", "/keys/fedcba9876543210").status());
        for (String change : List.of("UPDATE {schema}.admin_audit SET outcome = 'ok'",
                "DELETE FROM {schema}.admin_audit", "DELETE FROM {schema}.admin_audit WHERE false",
                "TRUNCATE {schema}.admin_audit")) {
            SQLException refused = assertThrows(SQLException.class, () -> sql(change), change);
            assertTrue(refused.getMessage().contains("admin_audit is append-only"), refused.getMessage());
        }
        assertRow(newest("key.revoke"), "bootstrap", "key.revoke", "fedcba9876543210", "404 no key with id fedcba9876543210");
    }

    @Test
    void an_action_whose_audit_row_cannot_be_written_answers_503() throws SQLException {
        String token = TestKeys.create(admin, "revoked unaudited", List.of("read"), null);
        sql("ALTER TABLE {schema}.admin_audit ADD CONSTRAINT refuse_rows CHECK (false) NOT VALID");
        try {
            ApiResponse revoke = admin.send("DELETE", "/keys/" + keyId(token));
            assertEquals(503, revoke.status(), revoke::toString);
            assertEquals("not audited", revoke.json().get("error").asText());
            assertTrue(revoke.json().get("details").get(0).asText().contains("the action was done"), revoke::toString);

            ApiResponse failed = admin.sendJson("POST", "/dead-letters/999999998/replay", "");
            assertEquals(503, failed.status(), failed::toString);
            assertTrue(failed.json().get("details").get(0).asText().contains("the action failed"), failed::toString);
        } finally {
            sql("ALTER TABLE {schema}.admin_audit DROP CONSTRAINT refuse_rows");
        }
        assertEquals(401, api.withKey(token).get("/messages/subject/a").status(), "the revocation itself was done");
    }

    @Test
    void the_audit_pages_newest_first_and_filters_by_action() {
        for (int i = 0; i < 5; i++) {
            admin.send("DELETE", "/keys/" + String.format("%016x", 0xabc0 + i));
        }
        List<Long> ids = new ArrayList<>();
        String next = "/admin/audit?limit=2&action=key.revoke";
        while (next != null) {
            ApiResponse page = admin.get(next);
            assertEquals(200, page.status(), page::toString);
            assertTrue(page.json().size() <= 2, page::toString);
            for (JsonNode row : page.json()) {
                assertEquals("key.revoke", row.get("action").asText());
                ids.add(row.get("id").asLong());
            }
            next = page.header("Link").map(link -> link.substring(1, link.indexOf('>'))).orElse(null);
        }
        assertTrue(ids.size() >= 5, ids::toString);
        for (int i = 1; i < ids.size(); i++) {
            assertTrue(ids.get(i) < ids.get(i - 1), "newest first, no row twice: " + ids);
        }
        JsonNode all = admin.get("/admin/audit?limit=1000").json();
        assertTrue(all.size() > ids.size(), "without a filter, every action");

        for (String bad : List.of("limit=0", "limit=abc", "cursor=abc", "cursor=0", "action=%00", "action=%FF",
                "limit=1&limit=2")) {
            ApiResponse refused = admin.get("/admin/audit?" + bad);
            assertEquals(400, refused.status(), refused::toString);
        }
    }

    @Test
    void keys_without_admin_scope_get_403_on_admin_paths() {
        ApiClient reader = api.withKey(TestKeys.create(admin, "reader", List.of("read", "ingest", "subscribe"), null));
        ApiClient boundAdmin = api.withKey(TestKeys.create(admin, "bound admin", List.of("admin"), List.of("a")));
        for (ApiClient notAllowed : List.of(reader, boundAdmin)) {
            assertEquals(403, notAllowed.get("/admin/audit").status());
            assertEquals(403, notAllowed.get("/admin/routes").status());
            assertEquals(403, notAllowed.send("POST", "/admin/routes/drain-queue/stop").status());
        }
        assertEquals("Started", getCamelContext().getRouteController().getRouteStatus("drain-queue").name());
    }
}
