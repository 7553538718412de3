package routes.store;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;
import org.springframework.data.redis.RedisConnectionFailureException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PersistFailuresTest {

    private final PersistFailures failures = new PersistFailures();

    @Test
    void retries_outages_and_conflicts() {
        assertTrue(failures.isTransient(new SQLTransientConnectionException("pool timeout")));
        assertTrue(failures.isTransient(new RuntimeException(new SQLException("refused", "08001"))));
        assertTrue(failures.isTransient(new SQLException("deadlock", "40P01")));
        assertTrue(failures.isTransient(new SQLException("shutting down", "57P01")));
        assertTrue(failures.isTransient(new RedisConnectionFailureException("down")));
    }

    @Test
    void gives_up_on_data_the_database_refuses() {
        assertFalse(failures.isTransient(new SQLException("invalid input syntax", "22P02")));
        assertFalse(failures.isTransient(new SQLException("not null violation", "23502")));
        assertFalse(failures.isTransient(new IllegalStateException("bug")));
    }
}
