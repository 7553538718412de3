package routes.ingest;

/**
 * Well-formed UTF-8 as RFC 3629 defines it: no overlong forms, no encoded surrogates, nothing above U+10FFFF.
 * Java's and Jackson's decoders are lenient in places (Jackson reads the overlong C0 AF as '/'), and a byte
 * they replace or reinterpret would be stored as something the producer never sent.
 */
final class Utf8 {

    private Utf8() {
    }

    /** The offset of the first byte that does not start a well-formed sequence, or -1 when all are well-formed. */
    static int firstMalformed(byte[] bytes) {
        int n = bytes.length;
        int i = 0;
        while (i < n) {
            int lead = bytes[i] & 0xFF;
            if (lead < 0x80) {
                i++;
                continue;
            }
            int length;
            int secondMin = 0x80;
            int secondMax = 0xBF;
            if (lead >= 0xC2 && lead <= 0xDF) {
                length = 2;
            } else if (lead >= 0xE0 && lead <= 0xEF) {
                length = 3;
                if (lead == 0xE0) {
                    secondMin = 0xA0; // below: overlong
                } else if (lead == 0xED) {
                    secondMax = 0x9F; // above: UTF-16 surrogates
                }
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                length = 4;
                if (lead == 0xF0) {
                    secondMin = 0x90; // below: overlong
                } else if (lead == 0xF4) {
                    secondMax = 0x8F; // above: beyond U+10FFFF
                }
            } else {
                return i; // a continuation byte first, C0/C1 (overlong), or F5..FF
            }
            if (i + length > n) {
                return i;
            }
            int second = bytes[i + 1] & 0xFF;
            if (second < secondMin || second > secondMax) {
                return i;
            }
            for (int k = 2; k < length; k++) {
                int next = bytes[i + k] & 0xFF;
                if (next < 0x80 || next > 0xBF) {
                    return i;
                }
            }
            i += length;
        }
        return -1;
    }
}
