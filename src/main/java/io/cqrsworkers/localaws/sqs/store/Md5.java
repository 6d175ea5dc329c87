package io.cqrsworkers.localaws.sqs.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;

/** The digests SQS answers with, which the SDK checks: of the body, and of the message (system) attributes. */
public final class Md5 {

    private static final byte STRING_TRANSPORT = 1;
    private static final byte BINARY_TRANSPORT = 2;

    private Md5() {
    }

    public static String ofBody(String body) {
        return HexFormat.of().formatHex(digest().digest(body.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * SQS's attribute digest: for each attribute in name order, the name, the data type and the value, each as a
     * 4-byte big-endian length and its bytes, with a transport byte (1 string or number, 2 binary) before the value.
     *
     * @return null for no attributes (SQS then leaves the digest out)
     */
    public static String ofAttributes(SortedMap<String, MessageAttribute> attributes) {
        if (attributes.isEmpty()) {
            return null;
        }
        MessageDigest md = digest();
        for (Map.Entry<String, MessageAttribute> e : attributes.entrySet()) {
            MessageAttribute a = e.getValue();
            lengthPrefixed(md, e.getKey().getBytes(StandardCharsets.UTF_8));
            lengthPrefixed(md, a.dataType().getBytes(StandardCharsets.UTF_8));
            if (a.isBinary()) {
                md.update(BINARY_TRANSPORT);
                lengthPrefixed(md, a.binaryValue());
            } else {
                md.update(STRING_TRANSPORT);
                lengthPrefixed(md, a.stringValue().getBytes(StandardCharsets.UTF_8));
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void lengthPrefixed(MessageDigest md, byte[] bytes) {
        md.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        md.update(bytes);
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
