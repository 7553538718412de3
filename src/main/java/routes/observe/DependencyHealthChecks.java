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
 * Redis or PostgreSQL makes the instance unready (it says which), it does not ask for a restart.
 */
public final class DependencyHealthChecks {

    private DependencyHealthChecks() {
    }

    public static List<HealthCheck> of(StringRedisTemplate redis, DataSource database) {
        return List.of(new RedisCheck(redis), new DatabaseCheck(database));
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

        RedisCheck(StringRedisTemplate redis) {
            super("redis");
            this.redis = redis;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            try {
                redis.execute((org.springframework.data.redis.core.RedisCallback<String>) c -> c.ping());
                builder.up();
            } catch (RuntimeException e) {
                builder.message("Redis is unreachable: " + e.getMessage()).down();
            }
        }
    }

    private static final class DatabaseCheck extends ReadinessCheck {

        private final DataSource database;

        DatabaseCheck(DataSource database) {
            super("database");
            this.database = database;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            try (Connection connection = database.getConnection()) {
                if (connection.isValid(2)) {
                    builder.up();
                } else {
                    builder.message("PostgreSQL did not answer").down();
                }
            } catch (Exception e) {
                builder.message("PostgreSQL is unreachable: " + e.getMessage()).down();
            }
        }
    }
}
