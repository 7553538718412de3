package routes.http;

import java.sql.SQLException;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.slf4j.LoggerFactory;

import static org.junit.jupiter.api.Assertions.*;

/** The backstop: a parameter the database refuses as invalid data is the client's 400, logged as one WARN line. */
class ErrorResponsesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final CamelContext context = new DefaultCamelContext();
    private final ErrorResponses errors = new ErrorResponses(MAPPER);
    private final Logger log = (Logger) LoggerFactory.getLogger(ErrorResponses.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void listen() {
        logged.start();
        log.addAppender(logged);
    }

    @AfterEach
    void stopListening() throws Exception {
        log.detachAppender(logged);
        context.close();
    }

    @Test
    void a_data_exception_of_the_database_is_400_invalid_parameter_and_one_warning() throws Exception {
        SQLException refused = new PSQLException("ERROR: invalid byte sequence for encoding \"UTF8\": 0x00\n  Where: unnamed portal parameter $1",
                PSQLState.DATA_ERROR);
        Exchange exchange = failed(new RuntimeCamelException("jdbc failed", new IllegalStateException("wrapped", refused)));

        JsonNode body = MAPPER.readTree(exchange.getMessage().getBody(String.class));
        assertEquals(400, exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
        assertEquals("application/json", exchange.getMessage().getHeader(Exchange.CONTENT_TYPE));
        assertEquals("invalid parameter", body.path("error").asText());
        assertEquals(1, body.path("details").size(), body::toString);
        assertTrue(body.path("details").get(0).asText().contains("database refused a parameter"), body::toString);
        assertFalse(body.toString().contains("UTF8") || body.toString().contains("portal") || body.toString().contains("PSQL"),
                "no internals on the wire: " + body);

        assertEquals(1, logged.list.size(), "one line: " + logged.list);
        ILoggingEvent line = logged.list.get(0);
        assertEquals(Level.WARN, line.getLevel());
        assertNull(line.getThrowableProxy(), "no stack trace");
        assertTrue(line.getFormattedMessage().contains("22000") && line.getFormattedMessage().contains("GET /messages/subject/%00"),
                line.getFormattedMessage());
        assertFalse(line.getFormattedMessage().contains("portal parameter"), "first line of the database's message only");
    }

    @Test
    void every_sqlstate_of_class_22_counts() throws Exception {
        for (String state : new String[] {"22P02", "22008", "22021", "22003"}) {
            Exchange exchange = failed(new SQLException("refused", state));
            assertEquals(400, exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE), state);
        }
    }

    @Test
    void other_database_failures_stay_a_logged_500() throws Exception {
        Exchange exchange = failed(new PSQLException("ERROR: syntax error", PSQLState.SYNTAX_ERROR));

        assertEquals(500, exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
        assertEquals("internal error", MAPPER.readTree(exchange.getMessage().getBody(String.class)).path("error").asText());
        assertEquals(Level.ERROR, logged.list.get(0).getLevel());
    }

    private Exchange failed(Exception cause) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setHeader(Exchange.HTTP_METHOD, "GET");
        exchange.getMessage().setHeader(Exchange.HTTP_URI, "/messages/subject/%00");
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, cause);
        errors.process(exchange);
        return exchange;
    }
}
