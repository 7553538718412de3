package routes.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class DrainStallTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final ManualClock clock = new ManualClock(START);
    private final AtomicBoolean paused = new AtomicBoolean();
    private final DrainStall stall = new DrainStall(TIMEOUT, clock, paused::get);

    @Test
    void idle_while_nothing_waits_however_long_nothing_is_stored() {
        clock.advance(Duration.ofHours(1));
        DrainStall.Status status = stall.observe(0L);
        assertEquals(DrainStall.State.IDLE, status.state());
        assertNull(status.reason());
        assertNull(status.lastProgress());
    }

    @Test
    void draining_until_messages_have_waited_the_timeout_without_progress_then_stalled() {
        assertEquals(DrainStall.State.DRAINING, stall.observe(5L).state());
        clock.advance(TIMEOUT.minusMillis(1));
        assertEquals(DrainStall.State.DRAINING, stall.observe(5L).state());
        clock.advance(Duration.ofMillis(1));
        DrainStall.Status stalled = stall.observe(5L);
        assertEquals(DrainStall.State.STALLED, stalled.state());
        assertEquals(DrainStall.NO_PROGRESS, stalled.reason());
        assertEquals(TIMEOUT, stalled.quietFor());
    }

    @Test
    void the_clock_starts_when_messages_are_first_seen_not_at_the_last_progress() {
        stall.progressed();
        clock.advance(Duration.ofHours(1));
        assertEquals(DrainStall.State.DRAINING, stall.observe(1L).state(), "a message arriving after a quiet hour");
        clock.advance(TIMEOUT);
        assertEquals(DrainStall.State.STALLED, stall.observe(1L).state());
    }

    @Test
    void progress_keeps_it_draining_and_ends_a_stall() {
        stall.observe(100L);
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(20));
            stall.progressed();
            assertEquals(DrainStall.State.DRAINING, stall.observe(100L).state());
        }
        clock.advance(TIMEOUT);
        assertTrue(stall.observe(100L).stalled());
        stall.progressed();
        DrainStall.Status recovered = stall.observe(99L);
        assertEquals(DrainStall.State.DRAINING, recovered.state());
        assertEquals(clock.instant(), recovered.lastProgress());
        assertEquals(DrainStall.State.IDLE, stall.observe(0L).state());
    }

    @Test
    void emptying_the_queue_restarts_the_clock() {
        stall.observe(3L);
        clock.advance(TIMEOUT.minusSeconds(1));
        stall.observe(0L);
        clock.advance(Duration.ofSeconds(2));
        assertEquals(DrainStall.State.DRAINING, stall.observe(3L).state());
    }

    @Test
    void names_an_operator_who_suspended_the_drain_before_anything_else() {
        stall.observe(1L);
        stall.entriesFailing("boom");
        paused.set(true);
        clock.advance(TIMEOUT);
        DrainStall.Status status = stall.observe(1L);
        assertEquals(DrainStall.SUSPENDED, status.reason());
        assertNull(status.problem());
    }

    @Test
    void names_redis_while_the_depth_cannot_be_read_judging_by_the_depth_last_read() {
        stall.observe(7L);
        clock.advance(TIMEOUT);
        DrainStall.Status status = stall.observe(null);
        assertEquals(DrainStall.State.STALLED, status.state());
        assertEquals(DrainStall.REDIS_UNREACHABLE, status.reason());
    }

    @Test
    void unknown_depth_after_an_empty_queue_is_idle() {
        stall.observe(0L);
        clock.advance(Duration.ofHours(1));
        assertEquals(DrainStall.State.IDLE, stall.observe(null).state());
    }

    @Test
    void names_the_database_after_a_retried_write_or_a_failed_readiness_check() {
        stall.observe(10L);
        clock.advance(TIMEOUT);
        stall.databaseUnreachable("Connection refused");
        DrainStall.Status status = stall.observe(10L);
        assertEquals(DrainStall.DATABASE_UNREACHABLE, status.reason());
        assertEquals("Connection refused", status.problem());
    }

    @Test
    void names_failing_entries() {
        stall.observe(10L);
        stall.entriesFailing("java.lang.IllegalStateException: cannot read");
        clock.advance(TIMEOUT);
        DrainStall.Status status = stall.observe(10L);
        assertEquals(DrainStall.ENTRIES_FAILING, status.reason());
        assertEquals("java.lang.IllegalStateException: cannot read", status.problem());
    }

    @Test
    void the_most_recent_failure_names_the_reason() {
        stall.observe(10L);
        stall.databaseUnreachable("down");
        clock.advance(Duration.ofSeconds(5));
        stall.entriesFailing("bad entry");
        clock.advance(TIMEOUT);
        assertEquals(DrainStall.ENTRIES_FAILING, stall.observe(10L).reason());
        stall.redisUnreachable("reset by peer");
        assertEquals(DrainStall.REDIS_UNREACHABLE, stall.observe(10L).reason());
    }

    @Test
    void a_failure_before_the_last_progress_or_long_ago_is_not_the_reason() {
        stall.databaseUnreachable("a blip");
        stall.progressed();
        stall.observe(10L);
        clock.advance(TIMEOUT);
        assertEquals(DrainStall.NO_PROGRESS, stall.observe(10L).reason(), "the drain went on after that failure");

        stall.entriesFailing("once");
        clock.advance(TIMEOUT.multipliedBy(2).plusMillis(1));
        assertEquals(DrainStall.NO_PROGRESS, stall.observe(10L).reason(), "a failure two timeouts old explains nothing now");
    }
}
