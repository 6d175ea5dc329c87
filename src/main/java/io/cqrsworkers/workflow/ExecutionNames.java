package io.cqrsworkers.workflow;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic Step Functions execution names, so that a stream record delivered twice starts one execution.
 *
 * <p>Step Functions accepts 1-80 characters and rejects whitespace, brackets, wildcards and most punctuation.
 * Parts made only of {@code [A-Za-z0-9.-]} are joined with {@code _} and used as they are when they fit.
 * Anything else (a {@code #} in a key, a long sort key, an empty part) keeps a readable sanitised prefix and ends
 * with a hash of the exact parts, so distinct inputs never share a name and nothing is silently cut off.
 */
public final class ExecutionNames {

    public static final int MAX_LENGTH = 80;
    private static final int HASH_HEX_CHARS = 32;
    private static final String SEPARATOR = "_";

    private ExecutionNames() {
    }

    /** A valid execution name for these parts (for example pk, sk, version). */
    public static String of(String... parts) {
        if (parts == null || parts.length == 0) {
            throw new IllegalArgumentException("an execution name needs at least one part");
        }
        StringBuilder joined = new StringBuilder();
        boolean plain = true;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part == null) {
                throw new IllegalArgumentException("execution name part " + i + " is null");
            }
            plain &= !part.isEmpty() && part.chars().allMatch(ExecutionNames::isPlain);
            if (i > 0) {
                joined.append(SEPARATOR);
            }
            joined.append(part);
        }
        if (plain && joined.length() <= MAX_LENGTH) {
            return joined.toString();
        }
        String hash = hash(parts);
        String prefix = sanitise(joined);
        int room = MAX_LENGTH - HASH_HEX_CHARS - 1;
        if (prefix.length() > room) {
            prefix = prefix.substring(0, room);
        }
        return prefix.isEmpty() ? hash : prefix + "-" + hash;
    }

    private static boolean isPlain(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
    }

    private static String sanitise(CharSequence s) {
        StringBuilder out = new StringBuilder(s.length());
        s.chars().forEach(c -> out.append(isPlain(c) ? (char) c : '_'));
        return out.toString();
    }

    /** SHA-256 over length-prefixed parts: ("a_b") and ("a", "b") hash differently. */
    private static String hash(String[] parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                digest.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
                digest.update(bytes);
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, HASH_HEX_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
