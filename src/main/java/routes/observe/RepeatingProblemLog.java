package routes.observe;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;

/**
 * WARN lines for problems that can repeat thousands of times a second (a claim failing on every attempt, a retry
 * during a long outage): one line per distinct problem per interval. The next line of a problem says how many
 * were left out since the last one, so the log still tells how often it happened.
 */
public final class RepeatingProblemLog {

    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);
    /** Distinct problems tracked at once; beyond it they share one line per interval, so memory stays bounded. */
    static final int MAX_PROBLEMS = 100;
    static final String OTHER_PROBLEMS = "(other problems)";
    private static final int KEY_MESSAGE_LENGTH = 120;
    private static final int DESCRIPTION_LENGTH = 500;
    private static final Map<String, RepeatingProblemLog> BY_LOGGER = new ConcurrentHashMap<>();

    /** Where the lines go: a logger's WARN, or a list in a test. */
    interface Output {
        void warn(String line, Throwable cause);
    }

    private final Output output;
    private final long intervalMillis;
    private final Clock clock;
    /** Oldest problem first, so the last lines of forgotten problems come in the order they began. */
    private final Map<String, Window> windows = new LinkedHashMap<>();

    private static final class Window {
        final long startedMillis;
        final String line;
        long suppressed;

        Window(long startedMillis, String line) {
            this.startedMillis = startedMillis;
            this.line = line;
        }
    }

    public RepeatingProblemLog(Logger logger, Duration interval, Clock clock) {
        this((line, cause) -> {
            if (cause == null) {
                logger.warn(line);
            } else {
                logger.warn(line, cause);
            }
        }, interval, clock);
    }

    RepeatingProblemLog(Output output, Duration interval, Clock clock) {
        this.output = output;
        this.intervalMillis = interval.toMillis();
        this.clock = clock;
    }

    /**
     * The one for this logger, made on first use with {@link #DEFAULT_INTERVAL}: a class logs through it from the
     * line that used to call {@code LOG.warn}, without a field of its own.
     */
    public static RepeatingProblemLog of(Logger logger) {
        return BY_LOGGER.computeIfAbsent(logger.getName(), name -> new RepeatingProblemLog(logger, DEFAULT_INTERVAL,
                Clock.systemUTC()));
    }

    public void warn(String key, String line) {
        warn(key, line, null);
    }

    /** Logs {@code line} (with {@code cause}'s stack trace when given) unless {@code key} was logged this interval. */
    public void warn(String key, String line, Throwable cause) {
        List<String> lines = new ArrayList<>(1);
        synchronized (this) {
            long now = clock.millis();
            Window window = windows.get(key);
            if (window == null && windows.size() >= MAX_PROBLEMS) {
                forgetEnded(now, lines);
                if (windows.size() >= MAX_PROBLEMS) {
                    key = OTHER_PROBLEMS;
                    line = line + " (more than " + MAX_PROBLEMS + " distinct problems: some are not logged)";
                    window = windows.get(key);
                }
            }
            if (window != null && now - window.startedMillis < intervalMillis) {
                window.suppressed++;
                return;
            }
            String logged = window == null || window.suppressed == 0 ? line : line + moreSince(window);
            windows.put(key, new Window(now, line));
            lines.add(logged);
        }
        for (int i = 0; i < lines.size(); i++) {
            // the stack trace goes with this call's own line, the last
            output.warn(lines.get(i), i == lines.size() - 1 ? cause : null);
        }
    }

    /** Drops the problems whose interval has ended; those with lines left out get a last line that says so. */
    private void forgetEnded(long now, List<String> lines) {
        for (Iterator<Window> it = windows.values().iterator(); it.hasNext(); ) {
            Window window = it.next();
            if (now - window.startedMillis >= intervalMillis) {
                if (window.suppressed > 0) {
                    lines.add(window.line + moreSince(window));
                }
                it.remove();
            }
        }
    }

    private static String moreSince(Window window) {
        return " (" + window.suppressed + " more like this since " + Instant.ofEpochMilli(window.startedMillis)
                + " not logged)";
    }

    /**
     * A key for a failure: the class and message of its root cause, digits folded, so counts, attempt numbers and
     * timings in a message do not make every occurrence a problem of its own.
     */
    public static String keyOf(Throwable failure) {
        String described = describe(failure).replaceAll("\\d+", "#");
        return described.length() <= KEY_MESSAGE_LENGTH ? described : described.substring(0, KEY_MESSAGE_LENGTH);
    }

    /**
     * The root cause as {@code class: message}, for one line without a stack trace; cut short, as a message may
     * quote a whole entry.
     */
    public static String describe(Throwable failure) {
        Throwable root = failure;
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root == null) {
            return "unknown";
        }
        String text = root.getMessage() == null ? root.getClass().getName() : root.getClass().getName() + ": " + root.getMessage();
        return text.length() <= DESCRIPTION_LENGTH ? text : text.substring(0, DESCRIPTION_LENGTH) + "…";
    }
}
