package io.cqrsworkers.localaws.stepfunctions.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.util.RawValue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The compact form of a journal's entry lines (format 2). An entry line of format 1 holds the execution's ARN
 * ({@code x}) and its history event as the API shows it ({@code e}); most of those bytes repeat what the journal
 * already holds: the ARN in every line, the execution's input inside every Task's parameters ({@code $$}), a state's
 * input that was the previous state's output, the field names. Format 2 writes the same entry as:
 *
 * <pre>
 * {"t":"e","n":12,"q":7,"E":[ms, type, id, previousEventId, details, detailsKey?],"r":{...}}
 * </pre>
 * <ul>
 * <li>{@code n}: the execution's number, given in its start line (format 1 lines name it by {@code x});</li>
 * <li>{@code ms}: the event's time in milliseconds after the execution's {@code start};</li>
 * <li>{@code type}: an index into {@link #TYPES}, or the type's name when the table lacks it;</li>
 * <li>{@code details}: the event's details object, its field names shortened by {@link #KEYS}; a string value that
 * contains text the journal already holds is an array of pieces, concatenated when read: a string is itself, a
 * number {@code >= 0} one of the execution's own texts (0 its input, 1 its ARN, 2 its name, 3 its machine's ARN,
 * 4 the task token of this line's {@code r}), a number {@code < 0} a constant of {@link #CONSTANTS} (alone, it may
 * be an object: {@code [-1]} is {@code {"truncated":false}}), {@code [q, key]} the value of the field
 * {@code key} (short name) in the details of this execution's entry {@code q}, and {@code [q, key, from, to]} a
 * part of it (a Task's parameters share their start and end with the previous Task's);</li>
 * <li>{@code detailsKey}: only when the details are not under the key AWS gives that type
 * ({@code stateEnteredEventDetails} for every {@code *StateEntered}, else {@code <type>EventDetails}).</li>
 * </ul>
 * An event that does not fit (an array among its details, a one-letter field name, a time that is not a whole
 * millisecond) is written in format 1. Reading gives back the format 1 line, event text byte for byte: the history
 * the API answers does not depend on the format it was stored in.
 *
 * <p>The tables only ever grow: an index, once written, keeps its meaning.
 */
final class EntryCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Strings shorter than this are written as they are: a reference would not be shorter. */
    static final int MIN_REFERENCED = 16;
    /** The recent payloads an execution's next entries may refer to (each kept in the heap while it runs). */
    static final int RECENT = 2;
    /** Payloads longer than this are not kept for reference. */
    static final int MAX_RECENT_CHARS = 64 * 1024;

    static final String[] TYPES = {
            "ActivityFailed", "ActivityScheduled", "ActivityScheduleFailed", "ActivityStarted", "ActivitySucceeded",
            "ActivityTimedOut", "ChoiceStateEntered", "ChoiceStateExited", "ExecutionAborted", "ExecutionFailed",
            "ExecutionStarted", "ExecutionSucceeded", "ExecutionTimedOut", "FailStateEntered", "LambdaFunctionFailed",
            "LambdaFunctionScheduled", "LambdaFunctionScheduleFailed", "LambdaFunctionStarted",
            "LambdaFunctionStartFailed", "LambdaFunctionSucceeded", "LambdaFunctionTimedOut", "MapIterationAborted",
            "MapIterationFailed", "MapIterationStarted", "MapIterationSucceeded", "MapStateAborted", "MapStateEntered",
            "MapStateExited", "MapStateFailed", "MapStateStarted", "MapStateSucceeded", "ParallelStateAborted",
            "ParallelStateEntered", "ParallelStateExited", "ParallelStateFailed", "ParallelStateStarted",
            "ParallelStateSucceeded", "PassStateEntered", "PassStateExited", "SucceedStateEntered", "SucceedStateExited",
            "TaskFailed", "TaskScheduled", "TaskStarted", "TaskStartFailed", "TaskStateAborted", "TaskStateEntered",
            "TaskStateExited", "TaskSubmitFailed", "TaskSubmitted", "TaskSucceeded", "TaskTimedOut", "WaitStateAborted",
            "WaitStateEntered", "WaitStateExited", "MapRunAborted", "MapRunFailed", "MapRunStarted", "MapRunSucceeded",
            "ExecutionRedriven", "MapRunRedriven", "EvaluationFailed"};

    /** Field names of the details; the short name of {@code KEYS[i]} is the letter {@code 'a' + i}. */
    static final String[] KEYS = {
            "name", "input", "inputDetails", "output", "outputDetails", "resourceType", "resource", "region",
            "parameters", "timeoutInSeconds", "heartbeatInSeconds", "taskCredentials", "error", "cause", "roleArn",
            "length", "index", "mapRunArn", "assignedVariables", "assignedVariablesDetails", "location", "state",
            "workerName", "stateMachineAliasArn", "stateMachineVersionArn", "redriveCount"};

    /** Constant values; {@code CONSTANTS[i]} is written {@code -(i + 1)}. */
    static final JsonNode[] CONSTANTS = {
            NODES.objectNode().put("truncated", false), NODES.objectNode().put("truncated", true),
            TextNode.valueOf("sqs"), TextNode.valueOf("sendMessage"), TextNode.valueOf("sendMessage.waitForTaskToken"),
            TextNode.valueOf("states"), TextNode.valueOf("startExecution"), TextNode.valueOf("startExecution.sync"),
            TextNode.valueOf("startExecution.sync:2"), TextNode.valueOf("startExecution.waitForTaskToken"),
            TextNode.valueOf("dynamodb"), TextNode.valueOf("getItem"), TextNode.valueOf("putItem"),
            TextNode.valueOf("updateItem"), TextNode.valueOf("deleteItem"), TextNode.valueOf("s3"),
            TextNode.valueOf("getObject"), TextNode.valueOf("putObject"), TextNode.valueOf("activity"),
            TextNode.valueOf("lambda"), TextNode.valueOf("invoke"), TextNode.valueOf("us-east-1"), TextNode.valueOf("null"),
            TextNode.valueOf("{}"), TextNode.valueOf("States.TaskFailed"), TextNode.valueOf("States.Timeout"),
            TextNode.valueOf("States.ALL"), TextNode.valueOf("States.Runtime")};

    private static final Map<String, Integer> TYPE_CODES = new HashMap<>();
    private static final Map<String, String> KEY_CODES = new HashMap<>();
    private static final Map<JsonNode, Integer> CONSTANT_CODES = new HashMap<>();
    private static final Map<String, Integer> CONSTANT_TEXTS = new HashMap<>();
    private static final int MAX_CONSTANT_CHARS = 40;

    static {
        for (int i = 0; i < TYPES.length; i++) {
            TYPE_CODES.put(TYPES[i], i);
        }
        for (int i = 0; i < KEYS.length; i++) {
            KEY_CODES.put(KEYS[i], String.valueOf((char) ('a' + i)));
        }
        for (int i = 0; i < CONSTANTS.length; i++) {
            CONSTANT_CODES.put(CONSTANTS[i], -(i + 1));
            if (CONSTANTS[i].isTextual()) {
                CONSTANT_TEXTS.put(CONSTANTS[i].textValue(), -(i + 1));
            }
        }
    }

    private EntryCodec() {
    }

    /** What the writer knows of one execution: its number, the texts of its start line, its recent payloads. */
    static final class Writer {
        final long number;
        final String arn;
        private final long start;
        private final String[] texts;
        /** Allocated with the first payload worth remembering (an execution resumed after a restart has none yet). */
        private long[] recentSeq;
        private String[] recentKey;
        private String[] recent;
        /** The last Task parameters: the next ones share most of their text (the context object, the queue). */
        private long parametersSeq;
        private String parameters;
        /** What the entry being encoded will leave for the next ones, once it is sure to be written in format 2. */
        private String pendingParameters;
        private List<String[]> pendingRemember;

        /** {@code number} is -1 for an execution whose start line has none (format 1): its lines keep {@code x}. */
        Writer(long number, JsonNode startLine) {
            this.number = number;
            this.arn = startLine.path("x").asText();
            this.start = startLine.path("start").asLong();
            this.texts = new String[] {startLine.path("input").asText(null), arn, startLine.path("name").asText(null),
                    startLine.path("machine").asText(null)};
        }

        /** The entry line ({@code x}, {@code q}, {@code f}, {@code e} or {@code k}, {@code r}) in format 2. */
        synchronized ObjectNode encode(ObjectNode line) {
            pendingParameters = null;
            pendingRemember = null;
            ObjectNode out = MAPPER.createObjectNode().put("t", "e");
            if (number >= 0) {
                out.put("n", number);
            } else {
                out.set("x", line.get("x"));
            }
            long seq = line.path("q").asLong();
            forgetFrom(seq);
            out.set("q", line.get("q"));
            copy(line, "f", out);
            copy(line, "k", out);
            JsonNode e = line.get("e");
            if (e != null) {
                ArrayNode compact;
                try (JsonParser p = parser(e)) {
                    compact = p == null ? null : compact(p, seq, line.path("r").path("token").textValue());
                } catch (IOException | RuntimeException notAnEvent) {
                    compact = null;
                }
                if (compact != null) {
                    out.set("E", compact);
                } else {
                    out.set("e", e);
                }
            }
            copy(line, "r", out);
            pendingParameters = null;
            pendingRemember = null;
            return out;
        }

        /** The event as {@code E}, read token by token (no tree: this runs for every transition); null if it does not fit. */
        private ArrayNode compact(JsonParser p, long seq, String token) throws IOException {
            if (p.nextToken() != JsonToken.START_OBJECT || !next(p, "timestamp", JsonToken.VALUE_NUMBER_FLOAT)) {
                return null;
            }
            double seconds = p.getDoubleValue();
            long ms = Math.round(seconds * 1000) - start;
            if ((start + ms) / 1000.0 != seconds || !next(p, "type", JsonToken.VALUE_STRING)) {
                return null;
            }
            String type = p.getText();
            if (!next(p, "id", JsonToken.VALUE_NUMBER_INT)) {
                return null;
            }
            long id = p.getLongValue();
            if (!next(p, "previousEventId", JsonToken.VALUE_NUMBER_INT)) {
                return null;
            }
            long previous = p.getLongValue();
            ArrayNode out = NODES.arrayNode(6).add(ms);
            Integer code = TYPE_CODES.get(type);
            if (code != null) {
                out.add(code);
            } else {
                out.add(type);
            }
            out.add(id).add(previous);
            JsonToken t = p.nextToken();
            if (t == JsonToken.FIELD_NAME) {
                String detailsKey = p.currentName();
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    return null;
                }
                ObjectNode details = details(p, seq, token);
                if (details == null) {
                    return null;
                }
                out.add(details);
                if (!detailsKey.equals(detailsKey(type))) {
                    out.add(detailsKey);
                }
                t = p.nextToken();
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                return null;
            }
            // only an entry written in format 2 is referred to later (its details are where the reader looks)
            if (pendingParameters != null) {
                parameters = pendingParameters;
                parametersSeq = seq;
            }
            for (int i = 0; pendingRemember != null && i < pendingRemember.size(); i++) {
                remember(seq, pendingRemember.get(i)[0], pendingRemember.get(i)[1]);
            }
            return out;
        }

        private static boolean next(JsonParser p, String field, JsonToken value) throws IOException {
            return p.nextToken() == JsonToken.FIELD_NAME && p.currentName().equals(field) && p.nextToken() == value;
        }

        private ObjectNode details(JsonParser p, long seq, String token) throws IOException {
            ObjectNode out = NODES.objectNode();
            pendingParameters = null;
            pendingRemember = null;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String key = p.currentName();
                JsonToken v = p.nextToken();
                if (key.length() <= 1 || v == JsonToken.START_ARRAY) {
                    return null;
                }
                String shortKey = KEY_CODES.getOrDefault(key, key);
                if (v == JsonToken.VALUE_STRING) {
                    String text = p.getText();
                    Integer constant = text.length() <= MAX_CONSTANT_CHARS ? CONSTANT_TEXTS.get(text) : null;
                    if (constant != null) {
                        out.set(shortKey, NODES.arrayNode(1).add(constant));
                        continue;
                    }
                    boolean isParameters = key.equals("parameters");
                    out.set(shortKey, text(text, token, isParameters ? parameters : null));
                    if (isParameters && text.length() <= MAX_RECENT_CHARS) {
                        pendingParameters = text;
                    }
                    if (shortKey.length() == 1 && (key.equals("input") || key.equals("output"))
                            && text.length() >= MIN_REFERENCED && text.length() <= MAX_RECENT_CHARS) {
                        if (pendingRemember == null) {
                            pendingRemember = new ArrayList<>(2);
                        }
                        pendingRemember.add(new String[] {shortKey, text});
                    }
                } else {
                    JsonNode value = p.readValueAsTree();
                    Integer constant = CONSTANT_CODES.get(value);
                    out.set(shortKey, constant != null ? NODES.arrayNode(1).add(constant) : value);
                }
            }
            return out;
        }

        private void remember(long seq, String key, String value) {
            if (value.equals(texts[0])) {
                // the execution's input is referred to as such
                return;
            }
            if (recent == null) {
                recent = new String[RECENT];
                recentKey = new String[RECENT];
                recentSeq = new long[RECENT];
            }
            for (String known : recent) {
                if (value.equals(known)) {
                    return;
                }
            }
            System.arraycopy(recent, 0, recent, 1, RECENT - 1);
            System.arraycopy(recentKey, 0, recentKey, 1, RECENT - 1);
            System.arraycopy(recentSeq, 0, recentSeq, 1, RECENT - 1);
            recent[0] = value;
            recentKey[0] = key;
            recentSeq[0] = seq;
        }

        /** Only earlier entries may be referred to (a replay reads in order): drops what came from entry {@code seq} on. */
        private void forgetFrom(long seq) {
            for (int i = 0; recent != null && i < RECENT; i++) {
                if (recent[i] != null && recentSeq[i] >= seq) {
                    recent[i] = null;
                }
            }
            if (parameters != null && parametersSeq >= seq) {
                parameters = null;
            }
        }

        /** The last line could not be written: later lines must not refer to what it held. */
        synchronized void forgetRecent() {
            recent = null;
            parameters = null;
        }

        /**
         * A string value: itself, or the pieces that rebuild it from texts the journal already holds. {@code similar}
         * (the last value of the same field, the Task parameters) gives its common start and end.
         */
        private JsonNode text(String value, String token, String similar) {
            if (value.length() < MIN_REFERENCED) {
                return TextNode.valueOf(value);
            }
            // the whole value is a recent payload: the most common case (a state's input is the last output)
            for (int i = 0; recent != null && i < RECENT; i++) {
                if (value.equals(recent[i])) {
                    return NODES.arrayNode(1).add(recentRef(i));
                }
            }
            List<Object> pieces = null;
            JsonNode tail = null;
            String middle = value;
            List<Object> needles = needlesByLength(token);
            if (similar != null) {
                int prefix = commonPrefix(value, similar);
                int suffix = commonSuffix(value, similar, Math.min(value.length(), similar.length()) - prefix);
                // a text of the execution across the boundary is better referred to whole (a token starts as the last)
                for (Object needle : needles) {
                    String n = needleText(needle, token);
                    int at = prefix == 0 ? -1 : value.indexOf(n, Math.max(0, prefix - n.length() + 1));
                    if (at >= 0 && at < prefix) {
                        prefix = at;
                    }
                    int end = value.length() - suffix;
                    at = suffix == 0 ? -1 : value.indexOf(n, Math.max(prefix, end - n.length() + 1));
                    if (at >= 0 && at < end && at + n.length() > end) {
                        suffix = value.length() - at - n.length();
                    }
                }
                if (prefix >= MIN_REFERENCED) {
                    pieces = new ArrayList<>();
                    pieces.add(NODES.arrayNode(4).add(parametersSeq).add("i").add(0).add(prefix));
                } else {
                    prefix = 0;
                }
                if (suffix >= MIN_REFERENCED) {
                    tail = NODES.arrayNode(4).add(parametersSeq).add("i").add(similar.length() - suffix).add(similar.length());
                } else {
                    suffix = 0;
                }
                middle = value.substring(prefix, value.length() - suffix);
                if (pieces == null && tail != null) {
                    pieces = new ArrayList<>();
                }
                if (pieces != null && !middle.isEmpty()) {
                    pieces.add(middle);
                }
            }
            // longest first: a longer text may contain a shorter one (the ARN holds the name)
            for (Object needle : needles) {
                String n = needleText(needle, token);
                if (pieces == null) {
                    if (!middle.contains(n)) {
                        continue;
                    }
                    pieces = new ArrayList<>();
                    pieces.add(middle);
                }
                pieces = split(pieces, n, needle instanceof Integer i ? (JsonNode) NODES.numberNode(i)
                        : recentRef((int) ((long[]) needle)[0]));
            }
            if (pieces == null) {
                return TextNode.valueOf(value);
            }
            if (tail != null) {
                pieces.add(tail);
            }
            ArrayNode out = NODES.arrayNode(pieces.size());
            for (Object p : pieces) {
                out.add(p instanceof String s ? TextNode.valueOf(s) : (JsonNode) p);
            }
            return out;
        }

        /** The length of the common start, not ending inside a surrogate pair. */
        private static int commonPrefix(String a, String b) {
            int n = Math.min(a.length(), b.length());
            int i = 0;
            while (i < n && a.charAt(i) == b.charAt(i)) {
                i++;
            }
            if (i > 0 && i < a.length() && Character.isHighSurrogate(a.charAt(i - 1))) {
                i--;
            }
            return i;
        }

        /** The length of the common end (at most {@code max}), not starting inside a surrogate pair. */
        private static int commonSuffix(String a, String b, int max) {
            int i = 0;
            while (i < max && a.charAt(a.length() - 1 - i) == b.charAt(b.length() - 1 - i)) {
                i++;
            }
            if (i > 0 && i < a.length() && Character.isLowSurrogate(a.charAt(a.length() - i))) {
                i--;
            }
            return i;
        }

        private String needleText(Object needle, String token) {
            return needle instanceof Integer i ? (i == 4 ? token : texts[i]) : recent[(int) ((long[]) needle)[0]];
        }

        private ArrayNode recentRef(int i) {
            return NODES.arrayNode(2).add(recentSeq[i]).add(recentKey[i]);
        }

        /** The execution's texts and recent payloads long enough to be worth a reference, longest first. */
        private List<Object> needlesByLength(String token) {
            List<Object> needles = new ArrayList<>(4 + 1 + RECENT);
            List<Integer> lengths = new ArrayList<>(4 + 1 + RECENT);
            for (int i = 0; i <= 4; i++) {
                String t = i == 4 ? token : texts[i];
                if (t != null && t.length() >= MIN_REFERENCED) {
                    insert(needles, lengths, i, t.length());
                }
            }
            for (int i = 0; recent != null && i < RECENT; i++) {
                if (recent[i] != null) {
                    insert(needles, lengths, new long[] {i}, recent[i].length());
                }
            }
            return needles;
        }

        private static void insert(List<Object> needles, List<Integer> lengths, Object needle, int length) {
            int at = 0;
            while (at < lengths.size() && lengths.get(at) >= length) {
                at++;
            }
            needles.add(at, needle);
            lengths.add(at, length);
        }

        private static List<Object> split(List<Object> pieces, String needle, JsonNode ref) {
            List<Object> out = null;
            for (int p = 0; p < pieces.size(); p++) {
                Object piece = pieces.get(p);
                int at = piece instanceof String s ? s.indexOf(needle) : -1;
                if (at < 0) {
                    if (out != null) {
                        out.add(piece);
                    }
                    continue;
                }
                if (out == null) {
                    out = new ArrayList<>(pieces.size() + 4);
                    out.addAll(pieces.subList(0, p));
                }
                String s = (String) piece;
                int from = 0;
                while (at >= 0) {
                    if (at > from) {
                        out.add(s.substring(from, at));
                    }
                    out.add(ref);
                    from = at + needle.length();
                    at = s.indexOf(needle, from);
                }
                if (from < s.length()) {
                    out.add(s.substring(from));
                }
            }
            return out == null ? pieces : out;
        }
    }

    private static void copy(JsonNode from, String field, ObjectNode to) {
        JsonNode v = from.get(field);
        if (v != null) {
            to.set(field, v);
        }
    }

    /** A parser over the event of an entry line: its JSON text (a raw value), or the tree itself. */
    private static JsonParser parser(JsonNode e) throws IOException {
        if (e.isObject()) {
            return MAPPER.treeAsTokens(e);
        }
        Object raw = e instanceof POJONode p ? p.getPojo() : null;
        if (raw instanceof RawValue r && r.rawValue() instanceof String text) {
            return MAPPER.createParser(text);
        }
        return null;
    }

    /** Where AWS puts the details of an event of {@code type}. */
    static String detailsKey(String type) {
        if (type.endsWith("StateEntered")) {
            return "stateEnteredEventDetails";
        }
        if (type.endsWith("StateExited")) {
            return "stateExitedEventDetails";
        }
        return Character.toLowerCase(type.charAt(0)) + type.substring(1) + "EventDetails";
    }

    // ---- reading

    /** Finds the details of an earlier entry of the same execution, for {@code [q, key]} pieces. */
    interface Entries {
        ObjectNode event(long seq);
    }

    /**
     * The format 1 line of a format 2 entry line: {@code x} for {@code n}, the event back as the API shows it.
     * {@code startLine} is the execution's start line; throws IllegalArgumentException if the line cannot be read.
     */
    static ObjectNode decode(ObjectNode line, JsonNode startLine, Entries earlier) {
        ObjectNode out = MAPPER.createObjectNode().put("t", "e");
        out.put("x", startLine.path("x").asText());
        out.set("q", line.get("q"));
        copy(line, "f", out);
        copy(line, "k", out);
        copy(line, "e", out);
        JsonNode compact = line.get("E");
        if (compact != null) {
            out.set("e", event(compact, startLine, line.path("r").path("token").textValue(), earlier));
        }
        copy(line, "r", out);
        return out;
    }

    private static ObjectNode event(JsonNode a, JsonNode startLine, String token, Entries earlier) {
        if (!a.isArray() || a.size() < 4) {
            throw new IllegalArgumentException("not an event: " + a);
        }
        ObjectNode e = MAPPER.createObjectNode();
        e.put("timestamp", (startLine.path("start").asLong() + a.get(0).asLong()) / 1000.0);
        String type = a.get(1).isInt() ? TYPES[a.get(1).intValue()] : a.get(1).asText();
        e.put("type", type);
        e.set("id", a.get(2));
        e.set("previousEventId", a.get(3));
        if (a.size() > 4) {
            ObjectNode details = NODES.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = a.get(4).properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                details.set(longKey(f.getKey()), value(f.getValue(), startLine, token, earlier));
            }
            e.set(a.size() > 5 ? a.get(5).asText() : detailsKey(type), details);
        }
        return e;
    }

    private static String longKey(String key) {
        if (key.length() != 1) {
            return key;
        }
        int i = key.charAt(0) - 'a';
        if (i < 0 || i >= KEYS.length) {
            throw new IllegalArgumentException("unknown field code " + key);
        }
        return KEYS[i];
    }

    private static JsonNode value(JsonNode v, JsonNode startLine, String token, Entries earlier) {
        if (!v.isArray()) {
            return v;
        }
        if (v.size() == 1 && v.get(0).isIntegralNumber() && v.get(0).asInt() < 0) {
            return constant(v.get(0).asInt());
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode piece : v) {
            if (piece.isTextual()) {
                text.append(piece.textValue());
            } else if (piece.isIntegralNumber()) {
                int i = piece.asInt();
                String t = i < 0 ? constant(i).textValue() : switch (i) {
                    case 0 -> startLine.path("input").textValue();
                    case 1 -> startLine.path("x").textValue();
                    case 2 -> startLine.path("name").textValue();
                    case 3 -> startLine.path("machine").textValue();
                    case 4 -> token;
                    default -> null;
                };
                if (t == null) {
                    throw new IllegalArgumentException("no text " + i);
                }
                text.append(t);
            } else if (piece.isArray() && (piece.size() == 2 || piece.size() == 4)) {
                ObjectNode event = earlier.event(piece.get(0).asLong());
                JsonNode details = null;
                if (event != null) {
                    for (Iterator<Map.Entry<String, JsonNode>> it = event.properties().iterator(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> f = it.next();
                        if (f.getValue().isObject()) {
                            details = f.getValue();
                        }
                    }
                }
                JsonNode t = details == null ? null : details.get(longKey(piece.get(1).asText()));
                if (t == null || !t.isTextual()) {
                    throw new IllegalArgumentException("entry " + piece.get(0) + " has no text " + piece.get(1));
                }
                if (piece.size() == 4) {
                    text.append(t.textValue(), piece.get(2).asInt(), piece.get(3).asInt());
                } else {
                    text.append(t.textValue());
                }
            } else {
                throw new IllegalArgumentException("not a piece: " + piece);
            }
        }
        return TextNode.valueOf(text.toString());
    }

    private static JsonNode constant(int code) {
        int i = -code - 1;
        if (i >= CONSTANTS.length) {
            throw new IllegalArgumentException("unknown constant " + code);
        }
        return CONSTANTS[i].deepCopy();
    }
}
