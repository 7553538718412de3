package routes.it;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static routes.support.Await.awaitValue;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import routes.it.ClientLoad.Outcome;

/**
 * Producers POST /messages without pause, and feed clients open WebSockets, while the service starts and while it
 * stops on SIGTERM. Every answer is 202 (101 on the feed) or 503 with Retry-After and a JSON error: never a 404 (a
 * producer may take it for a wrong URL and drop its message), never an HTML page. A refused connection is no
 * answer, and is fine while nothing listens. Every message answered 202 is stored in the end.
 */
class StartStopIT {

    private static final String INSTANCE = "startstop-a";
    private static final int PRODUCERS = 3;
    /** Accepted messages that show the service is up and taking them. */
    private static final int ACCEPTED_WHEN_UP = 200;
    // the load comes from one address: no rate limit and room on the feed, for a 429 is not what is tested here
    private static final Map<String, String> SETTINGS = Map.of("SECURITY_RATE_LIMIT", "0", "FEED_MAX_CLIENTS_PER_KEY", "1000");

    @RegisterExtension
    final ServiceFixture fixture = new ServiceFixture();

    @Test
    void answers_503_json_or_202_from_the_start_of_the_process_until_it_is_ready() throws Exception {
        ServiceProcess service = fixture.start(INSTANCE, SETTINGS);
        ClientLoad producers = ClientLoad.posting(service.httpPort(), PRODUCERS);
        ClientLoad feedClients = ClientLoad.handshaking(service.feedPort(), 1);
        try (producers; feedClients) {
            awaitValue(Duration.ofSeconds(90), () -> {
                service.assertRunning();
                return producers.count(Outcome.ACCEPTED) >= ACCEPTED_WHEN_UP && feedClients.count(Outcome.ACCEPTED) > 0;
            }, up -> up, ACCEPTED_WHEN_UP + " messages accepted and a feed client admitted");
        }
        System.out.println("while starting: producers " + producers.summary() + "; feed clients " + feedClients.summary());

        assertAll("answers while starting: producers " + producers.summary() + "; feed clients " + feedClients.summary(),
                () -> assertEquals(0, producers.count(Outcome.WRONG), "answers other than 202 or 503 JSON"),
                () -> assertEquals(0, producers.count(Outcome.NO_ANSWER), "connections that failed after they were made"),
                () -> assertEquals(0, producers.refusedAfterAnAnswer(), "connections refused after the port had answered"),
                () -> assertTrue(producers.count(Outcome.UNAVAILABLE) > 0, "the port answered 503 before the routes were ready"),
                () -> assertEquals(0, feedClients.count(Outcome.WRONG), "handshakes answered other than 101 or 503 JSON"));
        assertAllStored(producers.accepted());
    }

    @Test
    void answers_202_or_503_json_while_it_stops_on_sigterm_and_stores_every_accepted_message() throws Exception {
        ServiceProcess service = fixture.start(INSTANCE, SETTINGS).awaitReady(Duration.ofSeconds(90));
        ClientLoad producers = ClientLoad.posting(service.httpPort(), PRODUCERS);
        ClientLoad feedClients = ClientLoad.handshaking(service.feedPort(), 1);
        int exit;
        try (producers; feedClients) {
            awaitValue(Duration.ofSeconds(30), () -> {
                service.assertRunning();
                return producers.count(Outcome.ACCEPTED);
            }, accepted -> accepted >= ACCEPTED_WHEN_UP, ACCEPTED_WHEN_UP + " messages accepted");
            exit = service.terminate(Duration.ofSeconds(60));
        }
        System.out.println("while stopping: producers " + producers.summary() + "; feed clients " + feedClients.summary()
                + "; exit " + exit);

        int exitCode = exit;
        assertAll("answers while stopping: producers " + producers.summary() + "; feed clients " + feedClients.summary(),
                () -> assertTrue(exitCode == 0 || exitCode == ServiceProcess.SIGTERM_EXIT, "exit code after SIGTERM: " + exitCode),
                () -> assertEquals(0, producers.count(Outcome.WRONG), "answers other than 202 or 503 JSON"),
                () -> assertTrue(producers.count(Outcome.UNAVAILABLE) > 0, "503 from the moment the shutdown began"),
                () -> assertEquals(0, feedClients.count(Outcome.WRONG), "handshakes answered other than 101 or 503 JSON"));
        // what the stopped instance left on the queue, the next one stores
        fixture.start(INSTANCE, SETTINGS).awaitReady(Duration.ofSeconds(90));
        assertAllStored(producers.accepted());
    }

    private void assertAllStored(Set<String> accepted) throws Exception {
        fixture.awaitSettled(Duration.ofSeconds(60));
        Set<String> missing = new HashSet<>(accepted);
        missing.removeAll(fixture.storedUuids());
        assertEquals(Set.of(), missing, "accepted (202) but not stored, of " + accepted.size());
    }
}
