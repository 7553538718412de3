package routes.feed;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.Test;

import routes.model.Principal;
import routes.model.Scope;

import static org.junit.jupiter.api.Assertions.*;

class FeedSlotsTest {

    private static final Principal KEY_A = new Principal("aaaa", "a", EnumSet.of(Scope.SUBSCRIBE), null);
    private static final Principal KEY_B = new Principal("bbbb", "b", EnumSet.of(Scope.SUBSCRIBE), Set.of("s"));

    private static SocketAddress from(String host, int port) {
        return SocketAddress.inetSocketAddress(port, host);
    }

    @Test
    void refuses_over_the_per_key_cap_and_over_the_total() {
        FeedSlots slots = new FeedSlots(3, 2, Duration.ofSeconds(10));
        assertNull(slots.reserve(from("10.0.0.1", 1), KEY_A));
        assertNull(slots.reserve(from("10.0.0.1", 2), KEY_A));
        assertTrue(slots.reserve(from("10.0.0.1", 3), KEY_A).contains("feed.max-clients-per-key"));
        assertNull(slots.reserve(from("10.0.0.2", 1), KEY_B));
        assertTrue(slots.reserve(from("10.0.0.2", 2), KEY_B).contains("feed.max-clients)"), "3 in all");
        assertEquals(3, slots.taken());
    }

    @Test
    void anonymous_callers_are_counted_per_address() {
        FeedSlots slots = new FeedSlots(10, 1, Duration.ofSeconds(10));
        assertNull(slots.reserve(from("127.0.0.1", 1), Principal.ANONYMOUS));
        assertNotNull(slots.reserve(from("127.0.0.1", 2), Principal.ANONYMOUS));
        assertNull(slots.reserve(from("127.0.0.2", 1), Principal.ANONYMOUS), "another address");
    }

    @Test
    void a_claimed_slot_is_held_until_given_back_and_carries_its_caller() {
        FeedSlots slots = new FeedSlots(1, 1, Duration.ofSeconds(10));
        assertNull(slots.reserve(from("10.0.0.1", 7), KEY_B));
        FeedSlots.Admission admission = slots.claim(from("10.0.0.1", 7));
        assertEquals(KEY_B, admission.caller());
        assertNull(slots.claim(from("10.0.0.1", 7)), "claimed once");
        assertNotNull(slots.reserve(from("10.0.0.1", 8), KEY_B), "still held by the open connection");
        slots.giveBack(admission.owner());
        assertEquals(0, slots.taken());
        assertNull(slots.reserve(from("10.0.0.1", 8), KEY_B));
    }

    @Test
    void an_unclaimed_slot_is_given_back_after_its_timeout_or_on_a_new_handshake_of_the_same_connection() {
        FeedSlots slots = new FeedSlots(5, 5, Duration.ZERO);
        assertNull(slots.reserve(from("10.0.0.1", 7), KEY_A));
        assertNull(slots.reserve(from("10.0.0.1", 7), KEY_A), "keep-alive: the earlier handshake's slot is given back");
        assertEquals(1, slots.taken());
        slots.expireUnclaimed();
        assertEquals(0, slots.taken());
        assertNull(slots.claim(from("10.0.0.1", 7)));
    }
}
