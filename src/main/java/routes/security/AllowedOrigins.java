package routes.security;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * feed.allowed-origins: the web pages that may open the live feed. A browser sends the page's Origin on every
 * WebSocket handshake and, unlike fetch, never asks the server first: without this check any site a user visits
 * could open the feed with that user's network position (cross-site WebSocket hijacking). {@code self} stands for
 * the service's own pages: http(s) on http.port or feed.port of the host name the handshake was sent to; {@code *}
 * allows every page. A handshake without Origin comes from a program, not a page, and is not checked here.
 */
public final class AllowedOrigins {

    public static final String SELF = "self";
    public static final String ANY = "*";

    private final boolean any;
    private final boolean self;
    private final Set<String> listed = new HashSet<>();
    private final Set<Integer> ownPorts;

    /** Entries as checked by Settings: self, *, or scheme://host[:port]. */
    public AllowedOrigins(List<String> entries, int httpPort, int feedPort) {
        this.any = entries.contains(ANY);
        this.self = entries.contains(SELF);
        for (String entry : entries) {
            if (!entry.equals(ANY) && !entry.equals(SELF)) {
                String origin = normalize(entry);
                if (origin == null) {
                    throw new IllegalArgumentException("not an origin: " + entry);
                }
                listed.add(origin);
            }
        }
        this.ownPorts = Set.of(httpPort, feedPort);
    }

    /** Whether a page of this origin may open the feed through a handshake sent to {@code requestHost}. */
    public boolean allows(String origin, String requestHost) {
        if (any) {
            return true;
        }
        String normalized = normalize(origin);
        if (normalized == null) {
            return false; // "null" (sandboxed frames, file: pages) and anything that is no http(s) origin
        }
        if (listed.contains(normalized)) {
            return true;
        }
        if (!self || requestHost == null) {
            return false;
        }
        URI page = URI.create(normalized);
        return page.getHost().equalsIgnoreCase(requestHost) && ownPorts.contains(page.getPort());
    }

    /** {@code scheme://host:port} with the scheme's default port written out, or null when it is no http(s) origin. */
    static String normalize(String origin) {
        if (origin == null) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(origin.trim());
        } catch (URISyntaxException e) {
            return null;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getRawUserInfo() != null
                || uri.getRawQuery() != null || uri.getRawFragment() != null
                || uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
            return null;
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }
}
