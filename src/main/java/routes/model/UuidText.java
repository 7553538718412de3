package routes.model;

/** A UUID as the API writes and takes it: 8-4-4-4-12 hexadecimal digits. */
public final class UuidText {

    private UuidText() {
    }

    /** True for 8-4-4-4-12 hexadecimal digits (UUID.fromString alone also takes shorter groups such as "1-2-3-4-5"). */
    public static boolean matches(String text) {
        if (text == null || text.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = text.charAt(i);
            boolean ok = i == 8 || i == 13 || i == 18 || i == 23 ? c == '-'
                    : c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
