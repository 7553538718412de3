package routes.config;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.apache.camel.util.IOHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live reload of routes.yaml that never leaves the service without routes. Camel's own reload removes the
 * running routes before it learns the edit is broken; this one parses the saved file first and refuses an
 * edit that does not load, and if the new routes fail to start it puts the last good version back.
 */
public final class ValidatingRouteReload extends RouteWatcherReloadStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(ValidatingRouteReload.class);

    private final Map<String, String> lastGood = new HashMap<>();

    public ValidatingRouteReload(String directory, String pattern) {
        super(directory, true);
        setPattern(pattern);
    }

    /** The version running at start-up is the first good one. */
    public void remember(String location) {
        try {
            Resource resource = ResourceHelper.resolveMandatoryResource(getCamelContext(), location);
            lastGood.put(resource.getLocation(), read(resource));
        } catch (Exception e) {
            LOG.warn("Cannot read {} to keep as the last good routes: {}", location, e.getMessage());
        }
    }

    @Override
    protected void onRouteReload(Collection<Resource> resources, boolean removeEverything) {
        for (Resource resource : resources) {
            String problem = loadProblem(resource);
            if (problem != null) {
                LOG.error("Refused the edit of {}: {}. The running routes stay as they were.", resource.getLocation(), problem);
                return;
            }
        }
        try {
            super.onRouteReload(resources, removeEverything);
            for (Resource resource : resources) {
                lastGood.put(resource.getLocation(), read(resource));
            }
            LOG.info("Reloaded routes from {}", resources.stream().map(Resource::getLocation).toList());
        } catch (RuntimeException e) {
            LOG.error("The edited routes failed to start ({}); restoring the last good version", rootMessage(e));
            List<Resource> previous = resources.stream()
                    .filter(r -> lastGood.containsKey(r.getLocation()))
                    .map(r -> ResourceHelper.fromString(r.getLocation(), lastGood.get(r.getLocation())))
                    .toList();
            super.onRouteReload(previous, removeEverything);
        }
    }

    /** Loads the routes into a scratch builder, never into the running context. */
    private String loadProblem(Resource resource) {
        try {
            for (RoutesBuilder builder : PluginHelper.getRoutesLoader(getCamelContext()).findRoutesBuilders(resource)) {
                if (builder instanceof RouteBuilder routes) {
                    routes.setCamelContext(getCamelContext());
                    routes.configure();
                }
            }
            return null;
        } catch (Exception e) {
            return rootMessage(e);
        }
    }

    private static String read(Resource resource) {
        try (var in = resource.getInputStream()) {
            return IOHelper.loadText(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
