package io.cqrsworkers.command;

/** The original's key helpers: versioned sort keys {@code base@version}, tenant codes, master-data keys. */
public final class CommandKeys {

    public static final String KEY_SEPARATOR = "#";
    public static final String VERSION_SEPARATOR = "@";
    public static final int VERSION_LATEST = -1;
    public static final int VERSION_FIRST = 0;

    private CommandKeys() {
    }

    public static String addVersion(String sk, long version) {
        return removeVersion(sk) + VERSION_SEPARATOR + version;
    }

    public static String removeVersion(String sk) {
        int at = sk.lastIndexOf(VERSION_SEPARATOR);
        return at < 0 ? sk : sk.substring(0, at);
    }

    /** The number after the last {@code @}, or -1 when there is none. */
    public static long versionOf(String sk) {
        int at = sk.lastIndexOf(VERSION_SEPARATOR);
        if (at < 0) {
            return VERSION_LATEST;
        }
        try {
            return Long.parseLong(sk.substring(at + 1));
        } catch (NumberFormatException e) {
            return VERSION_LATEST;
        }
    }

    /** The text after the last {@code #} of the partition key. */
    public static String tenantOf(String pk) {
        int hash = pk.lastIndexOf(KEY_SEPARATOR);
        return hash < 0 ? pk : pk.substring(hash + 1);
    }

    public static String id(String pk, String sk) {
        return pk + KEY_SEPARATOR + removeVersion(sk);
    }

    public static String masterPk(String tenantCode) {
        return "MASTER" + KEY_SEPARATOR + (tenantCode == null || tenantCode.isBlank() ? "common" : tenantCode);
    }

    public static String ttlSk(String physicalTableName) {
        return "TTL" + KEY_SEPARATOR + physicalTableName;
    }
}
