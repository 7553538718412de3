package routes.observe;

import java.sql.Connection;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Readiness of the two things the service cannot work without. They are readiness checks only: an outage of
 * Redis or PostgreSQL makes the instance unready (it says which), it does not ask for a restart. What they find
 * out of reach is also told to {@link DrainStall}, as a likely reason when the drain stalls.
 */
public final class DependencyHealthChecks {

    private DependencyHealthChecks() {
    }

    public static List<HealthCheck> of(StringRedisTemplate redis, DataSource database, DrainStall stall) {
        return List.of(new RedisCheck(redis, stall), new DatabaseCheck(database, stall));
    }

    private abstract static class ReadinessCheck extends AbstractHealthCheck {

        ReadinessCheck(String id) {
            super("message-logger", id);
        }

        @Override
        public boolean isLiveness() {
            return false;
        }
    }

    private static final class RedisCheck extends ReadinessCheck {

        private final StringRedisTemplate redis;
        private final DrainStall stall;

        RedisCheck(StringRedisTemplate redis, DrainStall stall) {
            super("redis");
            this.redis = redis;
            this.stall = stall;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            try {
                redis.execute((org.springframework.data.redis.core.RedisCallback<String>) c -> c.ping());
                builder.up();
            } catch (RuntimeException e) {
                builder.message("Redis is unreachable: " + e.getMessage()).down();
                stall.redisUnreachable(RepeatingProblemLog.describe(e));
            }
        }
    }

    private static final class DatabaseCheck extends ReadinessCheck {

        private final DataSource database;
        private final DrainStall stall;

        DatabaseCheck(DataSource database, DrainStall stall) {
            super("database");
            this.database = database;
            this.stall = stall;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            try (Connection connection = database.getConnection()) {
                if (connection.isValid(2)) {
                    builder.up();
                } else {
                    builder.message("PostgreSQL did not answer").down();
                    stall.databaseUnreachable("PostgreSQL did not answer");
                }
            } catch (Exception e) {
                builder.message("PostgreSQL is unreachable: " + e.getMessage()).down();
                stall.databaseUnreachable(RepeatingProblemLog.describe(e));
            }
        }
    }
}
