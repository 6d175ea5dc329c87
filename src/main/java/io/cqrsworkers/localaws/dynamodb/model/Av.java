package io.cqrsworkers.localaws.dynamodb.model;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;


/**
 * An immutable DynamoDB attribute value. The payload is kept in the cheapest Java form: S a String, N a normalised
 * BigDecimal, B a {@link Bin}, BOOL a Boolean, NULL {@code true}, sets and L an unmodifiable List, M an unmodifiable
 * LinkedHashMap.
 */
public final class Av implements Comparable<Av> {

    public enum Type { S, N, B, BOOL, NULL, SS, NS, BS, L, M }

    public static final Av NULL = new Av(Type.NULL, Boolean.TRUE);
    public static final Av TRUE = new Av(Type.BOOL, Boolean.TRUE);
    public static final Av FALSE = new Av(Type.BOOL, Boolean.FALSE);

    private final Type type;
    private final Object value;

    private Av(Type type, Object value) {
        this.type = type;
        this.value = value;
    }

    public static Av s(String s) {
        return new Av(Type.S, s);
    }

    public static Av n(BigDecimal n) {
        return new Av(Type.N, Numbers.normalise(n));
    }

    public static Av b(byte[] b) {
        return new Av(Type.B, new Bin(b));
    }

    public static Av bool(boolean b) {
        return b ? TRUE : FALSE;
    }

    public static Av l(List<Av> v) {
        return new Av(Type.L, List.copyOf(v));
    }

    public static Av m(Map<String, Av> v) {
        return new Av(Type.M, java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(v)));
    }

    /** A set of the given type from set members (String, BigDecimal or Bin). */
    public static Av set(Type type, List<?> members) {
        return new Av(type, List.copyOf(members));
    }

    public Type type() {
        return type;
    }

    public String s() {
        return (String) value;
    }

    public BigDecimal n() {
        return (BigDecimal) value;
    }

    public Bin b() {
        return (Bin) value;
    }

    public boolean bool() {
        return (Boolean) value;
    }

    @SuppressWarnings("unchecked")
    public List<Object> set() {
        return (List<Object>) value;
    }

    @SuppressWarnings("unchecked")
    public List<Av> l() {
        return (List<Av>) value;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Av> m() {
        return (Map<String, Av>) value;
    }

    public boolean isSet() {
        return type == Type.SS || type == Type.NS || type == Type.BS;
    }

    /** True for the types a key or a range comparison may use. */
    public boolean isScalarKeyType() {
        return type == Type.S || type == Type.N || type == Type.B;
    }

    /** Orders values of the same scalar type as DynamoDB does: numbers by value, strings and binaries by UTF-8 bytes. */
    @Override
    public int compareTo(Av o) {
        if (type != o.type) {
            return type.compareTo(o.type);
        }
        return switch (type) {
            case N -> n().compareTo(o.n());
            case S -> compareUtf8(s(), o.s());
            case B -> b().compareTo(o.b());
            default -> throw new IllegalStateException("not comparable: " + type);
        };
    }

    /**
     * Compares strings by their UTF-8 encoding without encoding them. UTF-8 byte order is code point order, which
     * is UTF-16 order except where a surrogate (a code point above U+FFFF) meets a char from U+E000 up.
     */
    static int compareUtf8(String a, String b) {
        if (a.equals(b)) {
            // the common case of key lookups within one partition; equals is an intrinsic
            return 0;
        }
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                boolean sx = Character.isSurrogate(x);
                if (sx != Character.isSurrogate(y)) {
                    return sx ? 1 : -1;
                }
                return Character.compare(x, y);
            }
        }
        return Integer.compare(a.length(), b.length());
    }

    /** Value equality as DynamoDB compares values: sets regardless of order. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Av other) || other.type != type) {
            return false;
        }
        if (isSet()) {
            return set().size() == other.set().size() && new HashSet<>(set()).equals(new HashSet<>(other.set()));
        }
        return value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return isSet() ? type.hashCode() * 31 + new HashSet<>(set()).hashCode() : type.hashCode() * 31 + value.hashCode();
    }

    /** The size DynamoDB counts for this value (close to AWS's documented rules). */
    public int size() {
        return switch (type) {
            case S -> utf8Length(s());
            case N -> Numbers.size(n());
            case B -> b().bytes().length;
            case BOOL, NULL -> 1;
            case SS -> set().stream().mapToInt(x -> utf8Length((String) x)).sum();
            case NS -> set().stream().mapToInt(x -> Numbers.size((BigDecimal) x)).sum();
            case BS -> set().stream().mapToInt(x -> ((Bin) x).bytes().length).sum();
            case L -> 3 + l().stream().mapToInt(v -> 1 + v.size()).sum();
            case M -> 3 + m().entrySet().stream().mapToInt(e -> 1 + utf8Length(e.getKey()) + e.getValue().size()).sum();
        };
    }

    public static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    @Override
    public String toString() {
        return type + ":" + value;
    }

    /** An immutable byte string ordered as unsigned bytes. */
    public record Bin(byte[] bytes) implements Comparable<Bin> {
        @Override
        public boolean equals(Object o) {
            return o instanceof Bin other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public int compareTo(Bin o) {
            return Arrays.compareUnsigned(bytes, o.bytes);
        }

        public boolean startsWith(Bin prefix) {
            return bytes.length >= prefix.bytes.length
                    && Arrays.equals(bytes, 0, prefix.bytes.length, prefix.bytes, 0, prefix.bytes.length);
        }

        @Override
        public String toString() {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

}
