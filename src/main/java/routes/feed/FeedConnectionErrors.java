package routes.feed;

import java.io.IOException;

import io.netty.handler.codec.CorruptedFrameException;
import io.vertx.core.http.HttpClosedException;
import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Errors on feed connections. A client that goes away without a close frame, or sends a broken frame, is the client's
 * or the network's doing, routine on the internet and nothing an operator can act on: DEBUG, so that no client can
 * flood the log (Camel's default wrote a WARN with a stack trace for each). Anything else stays a WARN.
 */
public final class FeedConnectionErrors implements ExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(FeedConnectionErrors.class);

    @Override
    public void handleException(Throwable exception) {
        handleException(null, null, exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        String text = (message == null ? "Feed connection error" : message) + ": " + exception;
        if (exception instanceof HttpClosedException || exception instanceof IOException
                || exception instanceof CorruptedFrameException) {
            LOG.debug(text);
        } else {
            LOG.warn(text, exception);
        }
    }
}
