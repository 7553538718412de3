package routes.store;

import java.sql.SQLException;
import java.sql.SQLTransientException;

import org.springframework.dao.DataAccessResourceFailureException;

/**
 * Tells a failure worth retrying (the database is unreachable, busy or aborted us) from one that will never
 * succeed (the data itself is refused). The first kind pauses the drain; the second dead-letters the batch.
 */
public final class PersistFailures {

    public boolean isTransient(Exception failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            // Redis unreachable while acknowledging a committed batch: retry the acknowledgement
            if (t instanceof SQLTransientException || t instanceof DataAccessResourceFailureException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                // 08 connection, 40 serialization/deadlock, 53 resources, 57 operator intervention (shutdown), 58 system
                if (state.startsWith("08") || state.startsWith("40") || state.startsWith("53")
                        || state.startsWith("57") || state.startsWith("58")) {
                    return true;
                }
            }
        }
        return false;
    }
}
