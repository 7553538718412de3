package routes.observe;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.rmi.registry.LocateRegistry;
import java.rmi.server.RMIServerSocketFactory;
import java.util.HashMap;
import java.util.Map;

import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remote JMX for JConsole, VisualVM or jmxterm, on one port (registry and connections alike), bound to
 * jmx.host (127.0.0.1 unless told otherwise), with a password file when jmx.password-file is set. Camel has no
 * connector of its own; this is the JDK's RMI connector, started only when jmx.port is set.
 */
public final class RemoteJmx {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteJmx.class);

    private RemoteJmx() {
    }

    public static JMXConnectorServer start(String host, int port, String passwordFile, String accessFile) throws IOException {
        InetAddress address = InetAddress.getByName(host);
        RMIServerSocketFactory bound = p -> new ServerSocket(p, 50, address);
        LocateRegistry.createRegistry(port, null, bound);
        Map<String, Object> environment = new HashMap<>();
        environment.put("jmx.remote.rmi.server.socket.factory", bound);
        if (passwordFile != null && !passwordFile.isBlank()) {
            environment.put("jmx.remote.x.password.file", passwordFile);
            if (accessFile != null && !accessFile.isBlank()) {
                environment.put("jmx.remote.x.access.file", accessFile);
            }
        }
        String url = "service:jmx:rmi://" + host + ":" + port + "/jndi/rmi://" + host + ":" + port + "/jmxrmi";
        JMXConnectorServer server = JMXConnectorServerFactory.newJMXConnectorServer(new JMXServiceURL(url), environment,
                ManagementFactory.getPlatformMBeanServer());
        server.start();
        LOG.info("Remote JMX listening at {} ({})", url, passwordFile == null || passwordFile.isBlank()
                ? "no authentication" : "password file " + passwordFile);
        return server;
    }
}
