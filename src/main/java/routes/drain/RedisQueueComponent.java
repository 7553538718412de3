package routes.drain;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code redis-queue:<queue>}: consumes a Redis list with at-least-once claims. Camel's Redis components only
 * subscribe to channels; nothing in Camel consumes a list, hence this component. The queue itself is the
 * {@link RedisMessageQueue} bean of that name, so the persist route acknowledges through the same object.
 */
public final class RedisQueueComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        RedisMessageQueue queue = getCamelContext().getRegistry().findByType(RedisMessageQueue.class).stream()
                .filter(q -> q.name().equals(remaining))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No RedisMessageQueue bean for queue '" + remaining + "'"));
        RedisQueueEndpoint endpoint = new RedisQueueEndpoint(uri, this, queue);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
