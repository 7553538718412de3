package routes.store;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;

import routes.support.DeadLetterRows;
import routes.support.Json;
import routes.support.Messages;
import routes.support.RouteTestSupport;

import static org.junit.jupiter.api.Assertions.*;
import static routes.support.Await.await;

/**
 * The retries of a batch write that fails for a transient reason follow retry.initial-delay, retry.multiplier
 * and retry.max-delay (with jitter), measured from Camel's redelivery events. The database answers each insert
 * at once with a serialization failure (SQLSTATE 40001, from a trigger this test adds), so the time between
 * attempts is the backoff alone.
 */
@CamelMainTest(properties = {
        "batch.size=1",
        "retry.initial-delay=200",
        "retry.multiplier=2",
        "retry.max-delay=1000"
})
class BackoffScheduleRouteTest extends RouteTestSupport {

    private final DeadLetterRows sql = new DeadLetterRows(owned.schema());
    private final List<Long> redeliveries = new CopyOnWriteArrayList<>();

    @Test
    void retries_follow_the_configured_exponential_schedule_and_then_succeed() {
        await(Duration.ofSeconds(10), table::exists, "the table exists");
        getCamelContext().getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.ExchangeRedeliveryEvent) {
                    redeliveries.add(System.nanoTime());
                }
            }
        });
        sql.execute("""
                CREATE FUNCTION {schema}.refuse_for_now() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'try again' USING ERRCODE = '40001'; END $$""");
        sql.execute("CREATE TRIGGER refuse_for_now BEFORE INSERT ON {schema}.message_exchange "
                + "FOR EACH ROW EXECUTE FUNCTION {schema}.refuse_for_now()");

        String sender = Messages.uniqueSubject("backoff");
        queue.push(Json.write(Messages.complete(sender, "r")));
        await(Duration.ofSeconds(15), () -> redeliveries.size() >= 6, "six redeliveries");
        sql.execute("DROP TRIGGER refuse_for_now ON {schema}.message_exchange");
        await(Duration.ofSeconds(10), () -> table.count("source_subject_id = ?", sender) == 1, "stored once the failure stops");

        // Camel applies collision avoidance (+-15 %) to each delay and multiplies the jittered delay, so the
        // jitter compounds until the cap: the k-th wait lies in [nominal * 0.85^k, nominal * 1.15^k], capped.
        long delay = 200;
        for (int k = 2; k <= 6; k++) {
            delay = Math.min(delay * 2, 1000);
            long lowest = Math.min(Math.round(200 * Math.pow(2, k - 1) * Math.pow(0.85, k)), 1000);
            long highest = Math.min(Math.round(200 * Math.pow(2, k - 1) * Math.pow(1.15, k)), 1000);
            long gap = (redeliveries.get(k - 1) - redeliveries.get(k - 2)) / 1_000_000;
            assertTrue(gap >= lowest - 10 && gap <= highest + 150,
                    "wait before redelivery " + k + " was " + gap + " ms, expected " + lowest + ".." + highest
                            + " ms around " + delay + " ms");
        }
        assertEquals(0, new DeadLetterRows(owned.schema()).all().size(), "a transient failure is never dead-lettered");
    }
}
