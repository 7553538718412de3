package routes.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BatchWindowTest {

    @Test
    void deadline_is_fixed_by_the_first_message_not_the_latest() {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        MessageBatch batch = new MessageBatch(start.toEpochMilli());
        assertEquals(1000L, new BatchWindow(Duration.ofMillis(1000), Clock.fixed(start, ZoneOffset.UTC)).remainingMillis(batch));
        // 700 ms later another message joins: only 300 ms remain, the timer is not restarted
        assertEquals(300L, new BatchWindow(Duration.ofMillis(1000), Clock.fixed(start.plusMillis(700), ZoneOffset.UTC)).remainingMillis(batch));
    }

    @Test
    void a_message_joining_a_batch_leaves_the_deadline_alone() {
        assertEquals(null, new BatchWindow(Duration.ofMillis(1000), Clock.systemUTC()).remainingMillis("not a batch"));
    }

    @Test
    void an_overdue_batch_completes_at_the_next_check() {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        MessageBatch batch = new MessageBatch(start.toEpochMilli());
        assertEquals(1L, new BatchWindow(Duration.ofMillis(1000), Clock.fixed(start.plusSeconds(5), ZoneOffset.UTC)).remainingMillis(batch));
    }
}
