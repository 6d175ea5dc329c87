package io.cqrsworkers.localaws.dynamodb.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The first check of every request, before any parameter validation: each member's JSON type against its shape
 * in the service model, answered as DynamoDB's front end does with a {@code SerializationException} (a wrongly typed
 * member is not reported as a missing one). The shapes come from the AWS SDK's own model classes (each request's
 * {@code sdkFields()}), so they are AWS's, not copied by hand. The messages are the Jackson/Coral texts DynamoDB
 * answers, as recorded by dynalite ({@code validations/index.js}, {@code checkTypes}).
 *
 * <p>The request is normalised on the way, as DynamoDB reads it: JSON nulls in a structure count as absent and are
 * dropped, booleans given as "true"/"yes"/"1" (and their negatives) become booleans, and integers given with a
 * fraction are truncated.
 */
final class Shapes {

    private static final String NS = "com.amazonaws.dynamodb.v20120810.";
    private static final String PARAMETERIZED = "class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl "
            + "cannot be cast to class java.lang.Class (sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl "
            + "and java.lang.Class are in module java.base of loader 'bootstrap')";
    private static final String START_OF_STRUCTURE = "Start of structure or map found where not expected";

    /** A shape: a scalar kind, a list, a map or a structure with its members. */
    private static final class Shape {
        final Kind kind;
        final String name;
        Shape element;
        Map<String, Shape> members;

        Shape(Kind kind, String name) {
            this.kind = kind;
            this.name = name;
        }
    }

    private enum Kind { STRING, BOOLEAN, INTEGER, LONG, DOUBLE, BLOB, LIST, MAP, STRUCTURE, ANY }

    private static final Map<String, Shape> REQUESTS = new ConcurrentHashMap<>();
    private static final Map<Class<?>, Shape> STRUCTURES = new HashMap<>();

    private Shapes() {
    }

    /** Checks (and normalises) the request of {@code operation}, e.g. "PutItem"; unknown operations pass. */
    static void check(String operation, ObjectNode request) {
        Shape shape = REQUESTS.computeIfAbsent(operation, Shapes::requestShape);
        if (shape.kind == Kind.STRUCTURE) {
            structure(request, shape);
        }
    }

    /**
     * A request member's value as DynamoDB's validation messages show it: Java's toString of the server's model,
     * {@code [a, b]} for lists, {@code {k=v}} for maps, {@code Shape(member=value, ...)} for structures with
     * lower-camel member names and absent members as null. Close to AWS's rendering, not guaranteed identical.
     */
    static String render(String operation, String member, JsonNode value) {
        Shape request = REQUESTS.computeIfAbsent(operation, Shapes::requestShape);
        Shape s = request.members == null ? null : request.members.get(member);
        StringBuilder out = new StringBuilder();
        render(value, s, out);
        return out.toString();
    }

    private static void render(JsonNode v, Shape s, StringBuilder out) {
        if (v == null || v.isNull()) {
            out.append("null");
        } else if (v.isArray()) {
            out.append('[');
            for (int i = 0; i < v.size(); i++) {
                out.append(i > 0 ? ", " : "");
                render(v.get(i), s == null ? null : s.element, out);
            }
            out.append(']');
        } else if (v.isObject() && s != null && s.kind == Kind.STRUCTURE) {
            out.append(s.name).append('(');
            boolean first = true;
            for (Map.Entry<String, Shape> m : s.members.entrySet()) {
                out.append(first ? "" : ", ").append(Character.toLowerCase(m.getKey().charAt(0)))
                        .append(m.getKey().substring(1)).append('=');
                render(v.get(m.getKey()), m.getValue(), out);
                first = false;
            }
            out.append(')');
        } else if (v.isObject()) {
            out.append('{');
            boolean first = true;
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.append(first ? "" : ", ").append(e.getKey()).append('=');
                render(e.getValue(), s == null ? null : s.element, out);
                first = false;
            }
            out.append('}');
        } else {
            out.append(v.asText());
        }
    }

    private static Shape requestShape(String operation) {
        try {
            Class<?> c = Class.forName("software.amazon.awssdk.services.dynamodb.model." + operation + "Request");
            SdkPojo builder = (SdkPojo) c.getMethod("builder").invoke(null);
            synchronized (STRUCTURES) {
                return structureShape(builder);
            }
        } catch (ReflectiveOperationException | ClassCastException e) {
            return new Shape(Kind.ANY, operation);
        }
    }

    private static Shape structureShape(SdkPojo pojo) {
        Class<?> key = pojo.getClass();
        Shape known = STRUCTURES.get(key);
        if (known != null) {
            return known;
        }
        Class<?> model = key.getEnclosingClass() != null ? key.getEnclosingClass() : key;
        Shape s = new Shape(Kind.STRUCTURE, model.getSimpleName());
        STRUCTURES.put(key, s);
        Map<String, Shape> members = new java.util.LinkedHashMap<>();
        for (SdkField<?> f : pojo.sdkFields()) {
            members.put(f.locationName(), fieldShape(f));
        }
        s.members = members;
        return s;
    }

    private static Shape fieldShape(SdkField<?> f) {
        MarshallingType<?> t = f.marshallingType();
        if (t == MarshallingType.STRING) {
            return new Shape(Kind.STRING, "String");
        } else if (t == MarshallingType.BOOLEAN) {
            return new Shape(Kind.BOOLEAN, "Boolean");
        } else if (t == MarshallingType.INTEGER) {
            return new Shape(Kind.INTEGER, "Integer");
        } else if (t == MarshallingType.LONG) {
            return new Shape(Kind.LONG, "Long");
        } else if (t == MarshallingType.DOUBLE) {
            return new Shape(Kind.DOUBLE, "Double");
        } else if (t == MarshallingType.SDK_BYTES) {
            return new Shape(Kind.BLOB, "ByteBuffer");
        } else if (t == MarshallingType.LIST) {
            Shape s = new Shape(Kind.LIST, "List");
            s.element = fieldShape(f.getRequiredTrait(ListTrait.class).memberFieldInfo());
            return s;
        } else if (t == MarshallingType.MAP) {
            Shape s = new Shape(Kind.MAP, "Map");
            s.element = fieldShape(f.getRequiredTrait(MapTrait.class).valueFieldInfo());
            return s;
        } else if (t == MarshallingType.SDK_POJO) {
            return structureShape(f.constructor().get());
        }
        return new Shape(Kind.ANY, t.toString());
    }

    /** The Java type DynamoDB's front end names in its collection errors. */
    private static String javaName(Shape s) {
        return switch (s.kind) {
            case STRING -> "java.lang.String";
            case BOOLEAN -> "java.lang.Boolean";
            case INTEGER -> "java.lang.Integer";
            case LONG -> "java.lang.Long";
            case DOUBLE -> "java.lang.Double";
            case BLOB -> "java.nio.ByteBuffer";
            case LIST -> "java.util.List<" + javaName(s.element) + ">";
            case MAP -> "java.util.Map<java.lang.String, " + javaName(s.element) + ">";
            case STRUCTURE -> NS + s.name;
            case ANY -> "java.lang.Object";
        };
    }

    private static void structure(ObjectNode node, Shape shape) {
        List<String> nulls = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isNull()) {
                if (nulls == null) {
                    nulls = new ArrayList<>();
                }
                nulls.add(e.getKey());
                continue;
            }
            Shape member = shape.members.get(e.getKey());
            if (member != null) {
                JsonNode fixed = value(e.getValue(), member, false);
                if (fixed != e.getValue()) {
                    e.setValue(fixed);
                }
            }
        }
        if (nulls != null) {
            node.remove(nulls);
        }
    }

    /**
     * @param element true for a list member or map value (a structure there is a "value", a collection there is a
     *                parameterized type), false for a structure member (a "field")
     * @return the node to keep (normalised)
     */
    private static JsonNode value(JsonNode v, Shape s, boolean element) {
        if (v.isNull()) {
            return v;
        }
        switch (s.kind) {
            case STRING -> {
                if (!v.isTextual()) {
                    throw scalarMismatch(v, "String", "java.lang.String");
                }
            }
            case BOOLEAN -> {
                if (v.isTextual()) {
                    String t = v.asText().toUpperCase();
                    if (t.equals("TRUE") || t.equals("1") || t.equals("YES")) {
                        return BooleanNode.TRUE;
                    } else if (t.equals("FALSE") || t.equals("0") || t.equals("NO")) {
                        return BooleanNode.FALSE;
                    }
                    throw DynamoDbException.serialization("Unexpected token received from parser");
                }
                if (v.isNumber()) {
                    throw DynamoDbException.serialization(numberKind(v) + " cannot be converted to Boolean");
                }
                if (!v.isBoolean()) {
                    throw containerMismatch(v, "java.lang.Boolean");
                }
            }
            case INTEGER, LONG, DOUBLE -> {
                if (v.isBoolean()) {
                    throw DynamoDbException.serialization((v.asBoolean() ? "TRUE_VALUE" : "FALSE_VALUE")
                            + " cannot be converted to " + s.name);
                }
                if (v.isTextual()) {
                    throw DynamoDbException.serialization("STRING_VALUE cannot be converted to " + s.name);
                }
                if (!v.isNumber()) {
                    throw containerMismatch(v, javaName(s));
                }
                if (s.kind != Kind.DOUBLE && !v.isIntegralNumber()) {
                    double d = Math.floor(v.asDouble());
                    return s.kind == Kind.INTEGER ? IntNode.valueOf((int) d) : LongNode.valueOf((long) d);
                }
            }
            case BLOB -> {
                if (v.isBoolean() || v.isNumber()) {
                    throw DynamoDbException.serialization("only base-64-encoded strings are convertible to bytes");
                }
                if (!v.isTextual()) {
                    throw containerMismatch(v, "java.nio.ByteBuffer");
                }
                String b = v.asText();
                if (b.length() % 4 != 0) {
                    throw DynamoDbException.serialization(
                            "Base64 encoded length is expected a multiple of 4 bytes but found: " + b.length());
                }
                try {
                    Base64.getDecoder().decode(b);
                } catch (IllegalArgumentException e) {
                    throw DynamoDbException.serialization("Invalid last non-pad Base64 character dectected");
                }
            }
            case LIST -> {
                if (!v.isArray()) {
                    if (v.isObject()) {
                        throw DynamoDbException.serialization(START_OF_STRUCTURE);
                    }
                    throw DynamoDbException.serialization(element ? PARAMETERIZED : "Unexpected field type");
                }
                for (int i = 0; i < v.size(); i++) {
                    JsonNode item = v.get(i);
                    JsonNode fixed = value(item, s.element, true);
                    if (fixed != item) {
                        ((com.fasterxml.jackson.databind.node.ArrayNode) v).set(i, fixed);
                    }
                }
            }
            case MAP -> {
                if (!v.isObject()) {
                    if (v.isArray()) {
                        throw DynamoDbException.serialization("Unrecognized collection type " + javaName(s));
                    }
                    throw DynamoDbException.serialization(element ? PARAMETERIZED : "Unexpected field type");
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    JsonNode fixed = value(e.getValue(), s.element, true);
                    if (fixed != e.getValue()) {
                        e.setValue(fixed);
                    }
                }
            }
            case STRUCTURE -> {
                if (!v.isObject()) {
                    if (v.isArray()) {
                        throw DynamoDbException.serialization("Unrecognized collection type class " + NS + s.name);
                    }
                    throw DynamoDbException.serialization(element ? "Unexpected value type in payload"
                            : "Unexpected field type");
                }
                structure((ObjectNode) v, s);
            }
            case ANY -> {
                // a shape the emulator does not read (timestamps of operations it does not serve)
            }
        }
        return v;
    }

    private static DynamoDbException scalarMismatch(JsonNode v, String type, String javaType) {
        if (v.isBoolean()) {
            return DynamoDbException.serialization((v.asBoolean() ? "TRUE_VALUE" : "FALSE_VALUE")
                    + " cannot be converted to " + type);
        }
        if (v.isNumber()) {
            return DynamoDbException.serialization(numberKind(v) + " cannot be converted to " + type);
        }
        return containerMismatch(v, javaType);
    }

    private static DynamoDbException containerMismatch(JsonNode v, String javaType) {
        if (v.isArray()) {
            return DynamoDbException.serialization("Unrecognized collection type class " + javaType);
        }
        return DynamoDbException.serialization(START_OF_STRUCTURE);
    }

    private static String numberKind(JsonNode v) {
        return v.isIntegralNumber() || v.asDouble() % 1 == 0 ? "NUMBER_VALUE" : "DECIMAL_VALUE";
    }
}
