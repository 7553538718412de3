package routes.observe;

import java.sql.SQLException;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each time the retry-transient error handling catches a failure it will retry (routes.yaml). An outage
 * retried forever would otherwise log a line per retry of every batch; here it logs once a minute per problem,
 * and tells {@link DrainStall} which dependency is out of reach.
 */
public final class TransientRetries implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(TransientRetries.class);

    private final DrainStall stall;
    private final RepeatingProblemLog log;

    TransientRetries(DrainStall stall, RepeatingProblemLog log) {
        this.stall = stall;
        this.log = log;
    }

    public TransientRetries(DrainStall stall) {
        this(stall, RepeatingProblemLog.of(LOG));
    }

    @Override
    public void process(Exchange exchange) {
        Throwable failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(ExchangePropertyKey.EXCEPTION_CAUGHT, Throwable.class);
        if (failure == null) {
            return;
        }
        String problem = RepeatingProblemLog.describe(failure);
        // retry-transient retries SQL failures of the database and Spring's resource failures of Redis
        if (isDatabase(failure)) {
            stall.databaseUnreachable(problem);
        } else {
            stall.redisUnreachable(problem);
        }
        String route = exchange.getProperty(ExchangePropertyKey.FAILURE_ROUTE_ID, exchange.getFromRouteId(), String.class);
        int attempt = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
        log.warn(RepeatingProblemLog.keyOf(failure), "Transient failure in " + route + " (attempt " + attempt
                + "), retrying with backoff: " + problem);
    }

    private static boolean isDatabase(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException) {
                return true;
            }
        }
        return false;
    }
}
