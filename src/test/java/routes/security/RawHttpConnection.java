package routes.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;

import routes.support.Json;

/**
 * HTTP/1.1 written by hand over a plain socket, so a test can send part of a request, send it a byte at a time,
 * or send nothing, and see exactly when the server answers or closes the connection.
 */
final class RawHttpConnection implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final AtomicBoolean dripping = new AtomicBoolean();

    private RawHttpConnection(int port) {
        try {
            socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to port " + port, e);
        }
    }

    static RawHttpConnection open(int port) {
        return new RawHttpConnection(port);
    }

    /** A complete request without a body. */
    static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    }

    RawHttpConnection send(String text) {
        try {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("write failed", e);
        }
        return this;
    }

    /**
     * Sends {@code text} one byte every {@code interval} on a thread of its own, like a slow-loris client, until it is
     * all sent, the server closes the connection, or this connection is closed.
     */
    RawHttpConnection drip(String text, Duration interval) {
        dripping.set(true);
        Thread dripper = new Thread(() -> {
            try {
                for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
                    if (!dripping.get()) {
                        return;
                    }
                    out.write(b);
                    out.flush();
                    Thread.sleep(interval.toMillis()); // the slowness is what the test is about
                }
            } catch (IOException | InterruptedException e) {
                // the server closed the connection: that is what the test waits for
            }
        }, "slow-client");
        dripper.setDaemon(true);
        dripper.start();
        return this;
    }

    /** Reads one response (status line, headers, a Content-Length body), waiting at most {@code timeout}. */
    Response readResponse(Duration timeout) {
        try {
            socket.setSoTimeout((int) timeout.toMillis());
            String head = readHead();
            String[] lines = head.split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
            }
            byte[] body = "chunked".equalsIgnoreCase(headers.get("Transfer-Encoding"))
                    ? readChunks()
                    : in.readNBytes(Integer.parseInt(headers.getOrDefault("Content-Length", "0")));
            return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no response within " + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the response failed", e);
        }
    }

    /**
     * Waits at most {@code timeout} for the server to close the connection (end of stream or reset) and returns
     * whatever it sent before; fails if the connection is still open then.
     */
    String awaitClosedByServer(Duration timeout) {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try {
            socket.setSoTimeout((int) timeout.toMillis());
            byte[] buffer = new byte[4096];
            for (int n; (n = in.read(buffer)) != -1; ) {
                received.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept the connection open for " + timeout.toMillis() + " ms; it sent: "
                    + received.toString(StandardCharsets.UTF_8), e);
        } catch (SocketException e) {
            // reset by the server: closed as well
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return received.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        dripping.set(false);
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    private byte[] readChunks() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int size; (size = Integer.parseInt(readLine().split(";")[0].trim(), 16)) > 0; ) {
            body.write(in.readNBytes(size));
            readLine();
        }
        readLine();
        return body.toByteArray();
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b == -1) {
                throw new IOException("connection closed in a chunked body");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b == -1) {
                throw new IOException("connection closed after " + head.size() + " bytes of response head: "
                        + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1).trim();
    }

    record Response(int status, Map<String, String> headers, String body) {

        JsonNode json() {
            return Json.parse(body);
        }

        String header(String name) {
            return headers.get(name);
        }
    }
}
