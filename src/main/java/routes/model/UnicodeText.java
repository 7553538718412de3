package routes.model;

/**
 * Text as PostgreSQL's text and jsonb store it: Unicode without NUL. A Java String can hold what is not Unicode
 * (an unpaired surrogate, from a JSON escape such as "\\ud800"); writing such a string would replace it.
 */
public final class UnicodeText {

    private UnicodeText() {
    }

    /** Null when PostgreSQL stores this text as it is; otherwise what is wrong with it. */
    public static String problem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return "contains a NUL character (\\u0000), which PostgreSQL cannot store";
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return String.format("contains an unpaired surrogate (\\u%04x), which is not Unicode text", (int) c);
                }
            }
        }
        return null;
    }

    /**
     * For descriptions that quote what a client sent (error details, dead-letter reasons): a NUL or an unpaired
     * surrogate becomes U+FFFD, so the JSON error and the jsonb details can always be written.
     */
    public static String printable(String text) {
        if (problem(text) == null) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else {
                out.append(c == '\u0000' || Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }
}
