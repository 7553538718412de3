package routes.security;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import routes.support.Json;
import routes.support.Messages;
import routes.support.RouteTestSupport;

import static org.junit.jupiter.api.Assertions.*;
import static routes.support.Await.await;
import static routes.support.Await.awaitValue;

/**
 * With http.tls.cert-file and http.tls.key-file (PEM, made by keytool for this run), the API answers HTTPS and the
 * feed WSS, to a client that trusts the certificate; plain HTTP and WS on those ports get nothing.
 */
@CamelMainTest(properties = {
        "batch.interval=200",
        "http.tls.cert-file={{sys:TlsRouteTest.tls.cert-file}}",
        "http.tls.key-file={{sys:TlsRouteTest.tls.key-file}}"
})
class TlsRouteTest extends RouteTestSupport {

    private static final Duration SOON = Duration.ofSeconds(10);

    /** Made when the test instance is, before the application boots and reads the files. */
    private final SelfSignedCertificate certificate = published(SelfSignedCertificate.create());
    private final HttpClient trusting = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .sslContext(certificate.trustingClient()).connectTimeout(SOON).build();
    private final HttpProbe https = new HttpProbe("https://127.0.0.1:" + owned.httpPort(), trusting);

    private static SelfSignedCertificate published(SelfSignedCertificate certificate) {
        System.setProperty("TlsRouteTest.tls.cert-file", certificate.certFile().toString());
        System.setProperty("TlsRouteTest.tls.key-file", certificate.keyFile().toString());
        return certificate;
    }

    @AfterAll
    void deleteTheCertificate() {
        certificate.delete();
        System.clearProperty("TlsRouteTest.tls.cert-file");
        System.clearProperty("TlsRouteTest.tls.key-file");
    }

    @Test
    void the_api_answers_https() {
        String sender = Messages.uniqueSubject("tls");
        HttpProbe.Answer posted = https.send("POST", "/messages", Json.write(Messages.complete(sender, "r")),
                "Content-Type", "application/json");
        assertEquals(202, posted.status(), posted::toString);
        String location = posted.header("Location").orElseThrow();
        HttpProbe.Answer stored = awaitValue(SOON, () -> https.send("GET", location, ""), a -> a.status() == 200,
                "the message is stored and read back over HTTPS");
        assertEquals(sender, stored.json().path("source_subject_id").asText(), stored::toString);
    }

    @Test
    void a_client_that_does_not_trust_the_certificate_cannot_connect() throws Exception {
        HttpClient defaultTrust = HttpClient.newBuilder().sslContext(SSLContext.getDefault()).connectTimeout(SOON).build();
        HttpProbe untrusting = new HttpProbe("https://127.0.0.1:" + owned.httpPort(), defaultTrust);
        UncheckedIOException refused = assertThrows(UncheckedIOException.class, () -> untrusting.send("GET", "/stats", ""));
        assertTrue(String.valueOf(refused.getCause()).contains("SSLHandshakeException"), String.valueOf(refused.getCause()));
    }

    @Test
    void plain_http_to_the_api_port_fails() {
        assertThrows(UncheckedIOException.class, () -> HttpProbe.plain(owned.httpPort()).send("GET", "/stats", ""));
    }

    @Test
    void the_feed_answers_wss() {
        List<String> frames = new CopyOnWriteArrayList<>();
        WebSocket socket = connect(trusting, "wss://127.0.0.1:" + owned.feedPort() + "/events", frames).join();
        try {
            await(SOON, () -> frames.stream().anyMatch(f -> f.contains("\"type\":\"stats\"")),
                    "a stats event arrives over WSS (received " + frames + ")");
        } finally {
            socket.abort();
        }
    }

    @Test
    void plain_ws_to_the_feed_port_fails() {
        CompletionException refused = assertThrows(CompletionException.class,
                () -> connect(HttpClient.newHttpClient(), "ws://127.0.0.1:" + owned.feedPort() + "/events", new CopyOnWriteArrayList<>())
                        .join());
        assertNotNull(refused.getCause(), refused::toString);
    }

    private static CompletableFuture<WebSocket> connect(HttpClient client, String uri, List<String> frames) {
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    frames.add(partial.toString());
                    partial.setLength(0);
                }
                webSocket.request(1);
                return null;
            }
        };
        return client.newWebSocketBuilder().connectTimeout(SOON).buildAsync(URI.create(uri), listener)
                .orTimeout(SOON.toSeconds(), TimeUnit.SECONDS);
    }
}
