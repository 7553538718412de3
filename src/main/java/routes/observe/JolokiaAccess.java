package routes.observe;

import java.net.InetAddress;
import java.net.UnknownHostException;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.plugin.DefaultJolokiaPlatformHttpPlugin;
import org.apache.camel.component.platform.http.plugin.JolokiaPlatformHttpPlugin;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.util.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may reach Jolokia on the management port. Bound in the registry as "jolokia", it takes the place of Camel's
 * plugin, which it wraps: Camel's plugin applies jolokia-access.xml (what may be read and run); this class decides
 * whether Jolokia answers at all. On a management port bound beyond loopback it is off (health and metrics stay),
 * since anyone who reaches the port could use it; on loopback it refuses requests a web page made, since any page
 * the operator's browser opens can reach 127.0.0.1.
 */
public final class JolokiaAccess extends ServiceSupport implements JolokiaPlatformHttpPlugin {

    private static final Logger LOG = LoggerFactory.getLogger(JolokiaAccess.class);

    private final String managementHost;
    private final int managementPort;
    private CamelContext context;
    private DefaultJolokiaPlatformHttpPlugin jolokia;
    private Handler<RoutingContext> handler;

    /** The address and port the management server binds (management.host, management.port). */
    public JolokiaAccess(String managementHost, int managementPort) {
        this.managementHost = managementHost;
        this.managementPort = managementPort;
    }

    /** Only this machine can connect: 127.0.0.1, ::1 or a name for them; 0.0.0.0 means every interface. */
    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * Why the request comes from a web page, or null. Browsers send Origin with cross-origin reads and every POST,
     * Referer when a page links or loads, and Sec-Fetch-Site (other than "none", a typed address) even when the
     * page hides its Referer; curl and scripts send none of them.
     */
    static String fromWebPage(HttpServerRequest request) {
        for (String header : new String[] {"Origin", "Referer"}) {
            if (request.getHeader(header) != null) {
                return "a request with " + header + " (from a web page) is refused";
            }
        }
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null && !site.equalsIgnoreCase("none")) {
            return "a request a web page made (Sec-Fetch-Site: " + site + ") is refused";
        }
        return null;
    }

    @Override
    protected void doStart() {
        if (!isLoopback(managementHost)) {
            // The seam for an admin key (with the API keys): a request that proves it would be let through here.
            LOG.info("Jolokia is off: the management port is bound to {}, beyond loopback (health and metrics stay on);"
                    + " to use it, set management.host=127.0.0.1 and reach it through a tunnel, e.g."
                    + " ssh -L {}:127.0.0.1:{} <this host>", managementHost, managementPort, managementPort);
            handler = routing -> refuse(routing, "Jolokia is off on a management port bound beyond loopback ("
                    + managementHost + "): bind management.host to 127.0.0.1 and use a tunnel");
            return;
        }
        jolokia = new DefaultJolokiaPlatformHttpPlugin();
        jolokia.setCamelContext(context);
        ServiceHelper.startService(jolokia);
        @SuppressWarnings("unchecked")
        Handler<RoutingContext> policy = (Handler<RoutingContext>) jolokia.getHandler();
        handler = routing -> {
            String refusal = fromWebPage(routing.request());
            if (refusal != null) {
                refuse(routing, refusal);
            } else {
                policy.handle(routing);
            }
        };
    }

    @Override
    protected void doStop() {
        ServiceHelper.stopService(jolokia);
    }

    /** Jolokia's error shape, with the status in the HTTP answer as well. */
    private static void refuse(RoutingContext routing, String reason) {
        JsonObject error = new JsonObject();
        error.put("status", 403);
        error.put("error_type", "java.lang.SecurityException");
        error.put("error", reason);
        routing.response().setStatusCode(403).putHeader("Content-Type", "application/json").end(error.toJson());
    }

    @Override
    public Object getHandler() {
        return handler;
    }

    @Override
    public String getId() {
        return NAME;
    }

    @Override
    public void setCamelContext(CamelContext context) {
        this.context = context;
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }
}
