package io.cqrsworkers.task;

import java.security.SecureRandom;

/** ULIDs (48-bit millisecond time + 80 random bits, Crockford base32): unique codes that sort by creation time. */
final class Ulid {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ulid() {
    }

    static String next() {
        return of(System.currentTimeMillis(), RANDOM.nextLong(), RANDOM.nextInt(1 << 16));
    }

    static String of(long millis, long random64, int random16) {
        char[] out = new char[26];
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (millis & 31)];
            millis >>>= 5;
        }
        // 80 random bits = 16 characters: the top 16 bits from random16, the low 64 from random64
        long low = random64;
        long high = random16 & 0xFFFF;
        for (int i = 25; i >= 10; i--) {
            out[i] = ALPHABET[(int) (low & 31)];
            low = (low >>> 5) | ((high & 31) << 59);
            high >>>= 5;
        }
        return new String(out);
    }
}
