package routes.security;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;

import routes.support.ApiClient;
import routes.support.ApiResponse;
import routes.support.Json;
import routes.support.Messages;
import routes.support.RouteTestSupport;

import static org.junit.jupiter.api.Assertions.*;
import static routes.support.Await.await;

/**
 * OWASP API1:2023 Broken Object Level Authorization: a key bound to subjects posts only as them and reads only
 * messages one of them takes part in; any other message answers exactly like one that does not exist, and
 * subject queries are limited to its subjects whatever the path asks for.
 */
@CamelMainTest(properties = {
        "security.admin-key=" + TestKeys.ADMIN,
        "batch.interval=100"
})
class ObjectLevelAuthorizationRouteTest extends RouteTestSupport {

    private final ApiClient admin = api.withKey(TestKeys.ADMIN);
    private final String alice = Messages.uniqueSubject("alice");
    private final String bob = Messages.uniqueSubject("bob");
    private final String carol = Messages.uniqueSubject("carol");
    private ApiClient aliceKey;
    private String aliceToBob;
    private String bobToCarol;
    private String carolToAlice;

    private String post(ApiClient as, String from, String to) {
        ObjectNode message = Messages.minimal(from, to);
        String uuid = UUID.randomUUID().toString();
        message.put("message_uuid", uuid);
        ApiResponse response = as.postMessages(Json.write(message));
        assertEquals(202, response.status(), response.body());
        return uuid;
    }

    /** Once per class, when the first test runs (the application starts after @BeforeAll). */
    private void messagesBetweenThreeSubjects() {
        if (aliceKey != null) {
            return;
        }
        aliceKey = api.withKey(TestKeys.create(admin, "alice's agent", List.of("ingest", "read"), List.of(alice)));
        aliceToBob = post(admin, alice, bob);
        bobToCarol = post(admin, bob, carol);
        carolToAlice = post(admin, carol, alice);
        await(Duration.ofSeconds(10), () -> table.count("message_uuid IN (?::uuid, ?::uuid, ?::uuid)",
                aliceToBob, bobToCarol, carolToAlice) == 3, "stored");
    }

    @Test
    void posts_only_as_its_own_subjects() {
        messagesBetweenThreeSubjects();
        ApiResponse asBob = aliceKey.postMessages(Json.write(Messages.minimal(bob, alice)));
        assertEquals(403, asBob.status(), asBob.body());
        assertEquals("forbidden", asBob.json().get("error").asText());
        ApiResponse mixed = aliceKey.postMessages("[" + Json.write(Messages.minimal(alice, bob)) + ","
                + Json.write(Messages.minimal(carol, bob)) + "]");
        assertEquals(403, mixed.status(), "all or nothing: " + mixed.body());
        assertEquals(0, table.count("source_subject_id = ?", carol) - 1, "nothing of the refused request was stored");
        assertEquals(202, aliceKey.postMessages(Json.write(Messages.minimal(alice, bob))).status());
    }

    @Test
    void reads_a_message_only_when_one_of_its_subjects_takes_part() {
        messagesBetweenThreeSubjects();
        assertEquals(200, aliceKey.get("/messages/" + aliceToBob).status());
        assertEquals(200, aliceKey.get("/messages/" + carolToAlice).status());
        ApiResponse foreign = aliceKey.get("/messages/" + bobToCarol);
        ApiResponse missing = aliceKey.get("/messages/" + UUID.randomUUID());
        assertEquals(404, foreign.status(), foreign.body());
        assertEquals(404, missing.status());
        assertEquals(missing.body().replaceAll("[0-9a-f-]{36}", "ID"), foreign.body().replaceAll("[0-9a-f-]{36}", "ID"),
                "a message it may not read looks exactly like one that does not exist");
    }

    @Test
    void subject_queries_are_limited_to_its_subjects_whatever_the_path_asks() {
        messagesBetweenThreeSubjects();
        assertEquals(List.of(carolToAlice, aliceToBob), uuids(aliceKey.get("/messages/subject/" + alice)));
        assertEquals(List.of(aliceToBob), uuids(aliceKey.get("/messages/subject/" + bob)),
                "bob's messages, but only the one alice takes part in");
        assertEquals(List.of(carolToAlice), uuids(aliceKey.get("/messages/subject/" + carol)));
        assertEquals(List.of(bobToCarol, aliceToBob), uuids(admin.get("/messages/subject/" + bob)), "an unbound key sees all");
    }

    private static List<String> uuids(ApiResponse page) {
        assertEquals(200, page.status(), page.body());
        List<String> uuids = new java.util.ArrayList<>();
        for (JsonNode message : page.json()) {
            uuids.add(message.get("message_uuid").asText());
        }
        return uuids;
    }
}
