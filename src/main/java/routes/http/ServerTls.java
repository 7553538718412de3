package routes.http;

import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;

/** Server options of the API and the feed: HTTPS / WSS from PEM files when both are given, else plain HTTP. */
public final class ServerTls {

    private ServerTls() {
    }

    /** The certificate file may hold the chain after the server's certificate; the key is unencrypted PEM. */
    public static HttpServerOptions options(String certFile, String keyFile) {
        // HTTP/1.1 only: connection deadlines (RequestDeadlines) count one request at a time per connection
        HttpServerOptions options = new HttpServerOptions().setHttp2ClearTextEnabled(false);
        if (!certFile.isEmpty()) {
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(certFile).setKeyPath(keyFile));
        }
        return options;
    }
}
