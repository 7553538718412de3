package routes.store;

import java.time.Duration;

import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;

import routes.support.Json;
import routes.support.Messages;
import routes.support.RouteTestSupport;

import static org.junit.jupiter.api.Assertions.*;
import static routes.support.Await.await;
import static routes.support.Await.holdsFor;

/** A batch that reaches batch.size is written at once, without waiting for batch.interval (a minute here). */
@CamelMainTest(properties = {
        "batch.size=50",
        "batch.interval=60000",
        "drain.stall-timeout=120000"
})
class BatchOnSizeRouteTest extends RouteTestSupport {

    @Test
    void writes_a_batch_as_soon_as_it_holds_batch_size_messages() {
        String sender = Messages.uniqueSubject("sender");
        String[] entries = new String[75];
        for (int i = 0; i < entries.length; i++) {
            entries[i] = Json.write(Messages.complete(sender, "r" + i));
        }
        long started = System.nanoTime();

        queue.push(entries);

        await(Duration.ofSeconds(5), () -> table.count("source_subject_id = ?", sender) == 50,
                "the first 50 are written as one full batch, long before the 60 s interval");
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(tookMillis < 5000, "written after " + tookMillis + " ms");
        // the other 25 make an incomplete batch: it waits for its interval (or the flush at shutdown)
        holdsFor(Duration.ofSeconds(1), () -> table.count("source_subject_id = ?", sender) == 50,
                "an incomplete batch is not written before its interval");
        assertEquals(25, queue.claimedBy(owned.instanceId()), "the 25 of the open batch stay claimed until it is written");
    }
}
