package io.cqrsworkers.localaws.sqs.store;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Receipt handles name a message and which of its receives handed it out, so only the latest receive's handle
 * deletes or changes it. They stay valid across a restart (receive counts are kept).
 */
final class ReceiptHandles {

    /** A decoded handle. */
    record Parsed(String messageId, int receive) {
    }

    private ReceiptHandles() {
    }

    static String of(Message m) {
        String raw = m.id() + ":" + m.receiveCount;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** @return null when the handle was not made by this emulator */
    static Parsed parse(String handle) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(handle), StandardCharsets.UTF_8);
            int colon = raw.lastIndexOf(':');
            if (colon <= 0) {
                return null;
            }
            return new Parsed(raw.substring(0, colon), Integer.parseInt(raw.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
