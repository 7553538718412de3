package routes.observe;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class RepeatingProblemLogTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private record Line(String text, Throwable cause) {
    }

    private final List<Line> lines = new ArrayList<>();
    private final ManualClock clock = new ManualClock(START);
    private final RepeatingProblemLog log = new RepeatingProblemLog((text, cause) -> lines.add(new Line(text, cause)),
            MINUTE, clock);

    @Test
    void logs_a_problem_once_per_interval_and_says_how_many_were_left_out_in_the_next_line() {
        for (int i = 0; i < 7000; i++) {
            log.warn("claim", "Claim failed");
        }
        assertEquals(List.of("Claim failed"), texts());

        clock.advance(MINUTE.minusMillis(1));
        log.warn("claim", "Claim failed");
        assertEquals(1, lines.size(), "still within the interval");

        clock.advance(Duration.ofMillis(1));
        log.warn("claim", "Claim failed");
        assertEquals("Claim failed (7000 more like this since 2026-01-01T00:00:00Z not logged)", lines.get(1).text());
    }

    @Test
    void a_problem_that_did_not_repeat_is_logged_plainly_next_time() {
        log.warn("claim", "Claim failed");
        clock.advance(Duration.ofMinutes(5));
        log.warn("claim", "Claim failed again");
        assertEquals(List.of("Claim failed", "Claim failed again"), texts());
    }

    @Test
    void distinct_problems_each_get_their_line() {
        log.warn("database", "Database down");
        log.warn("redis", "Redis down");
        log.warn("database", "Database down");
        assertEquals(List.of("Database down", "Redis down"), texts());
    }

    @Test
    void the_logged_line_carries_the_stack_trace_of_its_cause() {
        IllegalStateException failure = new IllegalStateException("boom");
        log.warn(RepeatingProblemLog.keyOf(failure), "Claim failed", failure);
        assertSame(failure, lines.get(0).cause());
    }

    @Test
    void failures_with_the_same_root_cause_share_a_key_whatever_the_numbers_in_their_message() {
        Exception first = new RuntimeException("wrapped", new SQLException("Connection is not available, request timed out after 500ms (waiting=1)"));
        Exception second = new IllegalStateException("other wrapper", new SQLException("Connection is not available, request timed out after 501ms (waiting=3)"));
        assertEquals(RepeatingProblemLog.keyOf(first), RepeatingProblemLog.keyOf(second));
        assertNotEquals(RepeatingProblemLog.keyOf(first), RepeatingProblemLog.keyOf(new SQLException("Connection refused")));
        assertEquals("java.sql.SQLException: Connection refused", RepeatingProblemLog.describe(new RuntimeException(new SQLException("Connection refused"))));
    }

    @Test
    void too_many_distinct_problems_share_one_line_and_ended_ones_are_reported_when_forgotten() {
        for (int i = 0; i < RepeatingProblemLog.MAX_PROBLEMS; i++) {
            log.warn("problem " + i, "Problem " + i);
        }
        log.warn("problem 0", "Problem 0");
        log.warn("one too many", "One too many");
        log.warn("and another", "And another");
        assertEquals(RepeatingProblemLog.MAX_PROBLEMS + 1, lines.size());
        assertTrue(lines.get(RepeatingProblemLog.MAX_PROBLEMS).text().startsWith("One too many (more than "),
                lines.get(RepeatingProblemLog.MAX_PROBLEMS).text());

        clock.advance(MINUTE);
        lines.clear();
        log.warn("a new problem", "A new problem");
        assertEquals(List.of(
                "Problem 0 (1 more like this since 2026-01-01T00:00:00Z not logged)",
                "One too many (more than 100 distinct problems: some are not logged) (1 more like this since 2026-01-01T00:00:00Z not logged)",
                "A new problem"), texts());
    }

    private List<String> texts() {
        return lines.stream().map(Line::text).toList();
    }
}
