package routes.security;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class AllowedOriginsTest {

    private final AllowedOrigins self = new AllowedOrigins(List.of("self"), 5000, 5001);

    @Test
    void self_is_the_services_own_ports_on_the_host_the_handshake_was_sent_to() {
        assertTrue(self.allows("http://localhost:5000", "localhost"));
        assertTrue(self.allows("https://LOCALHOST:5001", "localhost"));
        assertTrue(self.allows("http://10.1.2.3:5000", "10.1.2.3"));
        assertFalse(self.allows("http://localhost:5000", "10.1.2.3"), "another host name");
        assertFalse(self.allows("http://localhost:8080", "localhost"), "another port");
        assertFalse(self.allows("http://localhost", "localhost"), "port 80");
        assertFalse(self.allows("http://evil.example", "localhost"));
        assertFalse(self.allows("http://localhost:5000.evil.example", "localhost"));
    }

    @Test
    void opaque_and_malformed_origins_are_refused() {
        for (String origin : List.of("null", "", "file://", "chrome-extension://abc", "http://localhost:5000/path",
                "http://user@localhost:5000", "not a url")) {
            assertFalse(self.allows(origin, "localhost"), origin);
        }
    }

    @Test
    void listed_origins_match_with_their_default_ports_and_any_allows_everything() {
        AllowedOrigins listed = new AllowedOrigins(List.of("https://dash.example.com", "http://ops:8080"), 5000, 5001);
        assertTrue(listed.allows("https://dash.example.com:443", "feed.example.com"));
        assertTrue(listed.allows("https://DASH.example.com", "anything"));
        assertTrue(listed.allows("http://ops:8080", "x"));
        assertFalse(listed.allows("http://dash.example.com", "x"), "http is another origin");
        assertFalse(listed.allows("http://localhost:5000", "localhost"), "self is not listed");
        assertTrue(new AllowedOrigins(List.of("*"), 5000, 5001).allows("null", null));
    }
}
