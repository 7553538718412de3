package routes.observe;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import routes.drain.RedisMessageQueue;

/**
 * Readiness of the drain: DOWN while it is stalled ({@link DrainStall}), naming the likely reason, so an instance
 * that accepts messages it cannot store stops looking healthy. One Redis round trip per call (the queue depth).
 */
public final class DrainHealthCheck extends AbstractHealthCheck {

    private final DrainStall stall;
    private final RedisMessageQueue queue;

    public DrainHealthCheck(DrainStall stall, RedisMessageQueue queue) {
        super("message-logger", "drain");
        this.stall = stall;
        this.queue = queue;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Long depth;
        try {
            depth = queue.depth().total();
        } catch (RuntimeException redisUnreachable) {
            depth = null;
        }
        DrainStall.Status status = stall.observe(depth);
        builder.detail("state", status.state().text());
        if (status.lastProgress() != null) {
            builder.detail("last_progress", status.lastProgress().toString());
        }
        if (!status.stalled()) {
            builder.up();
            return;
        }
        builder.detail("reason", status.reason());
        builder.detail("stalled_for_seconds", status.quietFor().toSeconds());
        if (status.problem() != null) {
            builder.detail("problem", status.problem());
        }
        builder.message("The drain is stalled (" + status.reason() + "): nothing stored for "
                + status.quietFor().toSeconds() + " s while messages wait"
                + (status.problem() == null ? "" : "; last problem: " + status.problem())).down();
    }
}
