package routes.feed;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

import io.vertx.core.net.SocketAddress;

import routes.model.Principal;

/**
 * The feed's connection slots: at most feed.max-clients connections, and at most feed.max-clients-per-key for one
 * key (anonymous connections: for one remote address). The gate takes a slot at the handshake, before the upgrade,
 * so the caps hold exactly even when many clients connect at once; the connection claims it (with its caller) when
 * its socket opens, and gives it back when it ends. A slot whose socket never opened (the upgrade failed, the client
 * left mid-handshake) is given back after a while.
 */
public final class FeedSlots {

    /** A handshake the gate let through, waiting for its socket to open. */
    record Admission(Principal caller, String owner, long admittedAtNanos) {
    }

    private final int maxClients;
    private final int maxClientsPerKey;
    private final long unclaimedNanos;
    private final Map<String, Integer> takenByOwner = new HashMap<>();
    private final Map<String, Admission> unclaimed = new HashMap<>();
    private int taken;

    public FeedSlots(int maxClients, int maxClientsPerKey, Duration unclaimedTimeout) {
        this.maxClients = maxClients;
        this.maxClientsPerKey = maxClientsPerKey;
        this.unclaimedNanos = unclaimedTimeout.toNanos();
    }

    /** Takes a slot for a handshake from this address; null when taken, otherwise why not. */
    public synchronized String reserve(SocketAddress remote, Principal caller) {
        String connectionId = connectionId(remote);
        // anonymous callers share no key: they are counted per address
        String owner = Principal.ANONYMOUS_ID.equals(caller.keyId()) ? "anonymous@" + remote.hostAddress() : caller.keyId();
        // a handshake on a connection whose earlier handshake never became a socket (HTTP keep-alive)
        Admission earlier = unclaimed.remove(connectionId);
        if (earlier != null) {
            giveBackLocked(earlier.owner());
        }
        if (taken >= maxClients) {
            return "the feed has its maximum of " + maxClients + " connections (feed.max-clients): try again later";
        }
        if (takenByOwner.getOrDefault(owner, 0) >= maxClientsPerKey) {
            return "this " + (owner.startsWith("anonymous@") ? "address" : "key") + " has its maximum of "
                    + maxClientsPerKey + " feed connections (feed.max-clients-per-key): close one first";
        }
        taken++;
        takenByOwner.merge(owner, 1, Integer::sum);
        unclaimed.put(connectionId, new Admission(caller, owner, System.nanoTime()));
        return null;
    }

    /** The admission of a socket that just opened from this address, or null when it has none (any more). */
    synchronized Admission claim(SocketAddress remote) {
        return unclaimed.remove(connectionId(remote));
    }

    /** A connection that held a slot ended. */
    synchronized void giveBack(String owner) {
        giveBackLocked(owner);
    }

    /** Gives back the slots of handshakes whose socket did not open in time. */
    synchronized void expireUnclaimed() {
        long now = System.nanoTime();
        for (Iterator<Admission> admissions = unclaimed.values().iterator(); admissions.hasNext(); ) {
            Admission admission = admissions.next();
            if (now - admission.admittedAtNanos() > unclaimedNanos) {
                admissions.remove();
                giveBackLocked(admission.owner());
            }
        }
    }

    /** Slots held: by open connections and by handshakes on their way. */
    public synchronized int taken() {
        return taken;
    }

    /** The handshake and, once upgraded, the socket: the same TCP connection, so the same remote address and port. */
    private static String connectionId(SocketAddress remote) {
        return remote.hostAddress() + ":" + remote.port();
    }

    private void giveBackLocked(String owner) {
        taken--;
        takenByOwner.computeIfPresent(owner, (key, count) -> count == 1 ? null : count - 1);
    }
}

