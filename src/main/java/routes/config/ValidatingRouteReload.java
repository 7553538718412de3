package routes.config;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceSupport;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.apache.camel.util.IOHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live reload of the route files (routes.location) that never leaves the service without routes. Camel's own reload
 * removes the running routes before it learns the edit is broken, and reloads only the files its running routes came
 * from; this one reloads every file routes.location names, parses each saved file first and refuses the reload when
 * one does not load, and if the new routes fail to start it puts back the last good version of every file.
 */
public final class ValidatingRouteReload extends RouteWatcherReloadStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(ValidatingRouteReload.class);

    private final String locations;
    /** The text of each route file as it last ran well, by its location. */
    private final Map<String, String> lastGood = new LinkedHashMap<>();

    /** locations: routes.location, a comma-separated list of locations such as file:/etc/routes/*.yaml. */
    public ValidatingRouteReload(String directory, String pattern, String locations) {
        super(directory, true);
        setPattern(pattern);
        this.locations = locations;
    }

    /** The versions running at start-up are the first good ones. */
    public void rememberTheRunningVersions() {
        try {
            lastGood.putAll(savedTexts());
        } catch (Exception e) {
            LOG.warn("Cannot read {} to keep as the last good routes: {}", locations, e.getMessage());
        }
    }

    @Override
    protected void onRouteReload(Collection<Resource> resources, boolean removeEverything) {
        // read once: what is checked, what is loaded and what is remembered are the same text, whatever is saved meanwhile
        Map<String, String> saved;
        try {
            saved = savedTexts();
        } catch (Exception e) {
            LOG.error("Cannot read the route files {}: {}. The running routes stay as they were.", locations, rootMessage(e));
            return;
        }
        List<Resource> files = asResources(saved);
        for (Resource file : files) {
            String problem = loadProblem(file);
            if (problem != null) {
                LOG.error("Refused the edit of {}: {}. The running routes stay as they were.", file.getLocation(), problem);
                return;
            }
        }
        try {
            super.onRouteReload(files, removeEverything);
            lastGood.clear();
            lastGood.putAll(saved);
            LOG.info("Reloaded routes from {}", saved.keySet());
        } catch (RuntimeException e) {
            LOG.error("The edited routes failed to start ({}); restoring the last good version of {}", rootMessage(e),
                    lastGood.keySet());
            super.onRouteReload(asResources(lastGood), removeEverything);
        }
    }

    /**
     * The text of every file routes.location names, as saved now (a file added since start-up is one of them, a deleted
     * one is not), by the location Camel loaded it from. Classpath routes cannot change; Camel reloads them as they are.
     */
    private Map<String, String> savedTexts() throws Exception {
        Map<String, String> texts = new LinkedHashMap<>();
        for (String location : locations.split(",")) {
            for (Resource found : PluginHelper.getPackageScanResourceResolver(getCamelContext()).findResources(location.trim())) {
                if (found.getLocation().startsWith("file:")) {
                    texts.put(found.getLocation(), read(found));
                }
            }
        }
        return texts;
    }

    private static List<Resource> asResources(Map<String, String> texts) {
        List<Resource> resources = new ArrayList<>();
        texts.forEach((location, text) -> resources.add(savedVersion(location, text)));
        return resources;
    }

    /** A route file's text under its location; its URI is the file's, as for Camel's own file resources. */
    private static Resource savedVersion(String location, String text) {
        File file = new File(location.substring("file:".length()));
        return new ResourceSupport("file", location) {
            @Override
            public boolean exists() {
                return true;
            }

            @Override
            public URI getURI() {
                return file.toURI();
            }

            @Override
            public InputStream getInputStream() {
                return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
            }
        };
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
