package io.cqrsworkers.localaws.sqs.store;

/**
 * One message attribute: its data type ({@code String}, {@code Number}, {@code Binary}, optionally with a custom
 * suffix such as {@code Number.int}) and either a string or a binary value.
 */
public record MessageAttribute(String dataType, String stringValue, byte[] binaryValue) {

    public boolean isBinary() {
        return binaryValue != null;
    }

    /** Bytes counted against the maximum message size: name, type and value. */
    public int size(String name) {
        return utf8Length(name) + utf8Length(dataType)
                + (isBinary() ? binaryValue.length : utf8Length(stringValue));
    }

    static int utf8Length(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
}
