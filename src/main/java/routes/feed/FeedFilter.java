package routes.feed;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * What a client asked to receive, from its connection URL: {@code ?subject=} (sender or a recipient),
 * {@code ?topic=}, {@code ?type=} (message_type). Different parameters must all match; a parameter given more
 * than once matches any of its values. No parameter: everything.
 */
public record FeedFilter(Set<String> subjects, Set<String> topics, Set<String> types) {

    public static final FeedFilter EVERYTHING = new FeedFilter(Set.of(), Set.of(), Set.of());

    public static FeedFilter of(String query) {
        if (query == null || query.isBlank()) {
            return EVERYTHING;
        }
        Set<String> subjects = new HashSet<>();
        Set<String> topics = new HashSet<>();
        Set<String> types = new HashSet<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            switch (name) {
                case "subject" -> subjects.add(value);
                case "topic" -> topics.add(value);
                case "type" -> types.add(value);
                default -> { }
            }
        }
        return new FeedFilter(Set.copyOf(subjects), Set.copyOf(topics), Set.copyOf(types));
    }

    public boolean isEverything() {
        return subjects.isEmpty() && topics.isEmpty() && types.isEmpty();
    }

    public boolean matches(FeedMessage message) {
        if (isEverything()) {
            return true;
        }
        if (!subjects.isEmpty() && !has(subjects, message.sender())
                && message.recipients().stream().noneMatch(subjects::contains)) {
            return false;
        }
        return (topics.isEmpty() || has(topics, message.topic()))
                && (types.isEmpty() || has(types, message.type()));
    }

    /** Set.of(...).contains(null) throws; an absent field matches nothing. */
    private static boolean has(Set<String> values, String value) {
        return value != null && values.contains(value);
    }
}
