package io.cqrsworkers.localaws.stepfunctions.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.localaws.stepfunctions.core.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A mock configuration in Step Functions Local's file format ({@code SFN_MOCK_CONFIG}):
 * <pre>
 * {"StateMachines": {"&lt;machine name&gt;": {"TestCases": {"&lt;case&gt;": {"&lt;state name&gt;": "&lt;response name&gt;"}}}},
 *  "MockedResponses": {"&lt;response name&gt;": {"0": {"Return": ...}, "1-2": {"Throw": {"Error": ..., "Cause": ...}}}}}
 * </pre>
 * An execution started on {@code <stateMachineArn>#<case>} answers the Task states its case names with the
 * responses, call by call (a retry is a call); the other states run as usual. The shape of the file is checked when
 * it is loaded; a response a case names but the file lacks, or a call no entry covers, fails that state when it is
 * reached, as Step Functions Local does (it resolves responses lazily).
 */
public final class MockConfig {
    private static final Pattern CALLS = Pattern.compile("(\\d+)(?:-(\\d+))?");

    private final Map<String, Map<String, TestCase>> machines = new HashMap<>();
    private final Map<String, MockedResponse> responses = new HashMap<>();

    private MockConfig() {
    }

    public static MockConfig load(Path file) throws IOException {
        try {
            return parse(Files.readString(file));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Mock configuration " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a configuration; throws IllegalArgumentException naming what is malformed. */
    public static MockConfig parse(String json) {
        JsonNode root;
        try {
            root = Json.parse(json);
        } catch (Exception e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        MockConfig c = new MockConfig();
        requireObject(root, "the configuration");
        JsonNode sms = root.path("StateMachines");
        if (!sms.isMissingNode()) {
            requireObject(sms, "StateMachines");
            fields(sms).forEach((machine, m) -> {
                requireObject(m, "StateMachines." + machine);
                JsonNode cases = m.path("TestCases");
                requireObject(cases, "StateMachines." + machine + ".TestCases");
                Map<String, TestCase> byName = new HashMap<>();
                fields(cases).forEach((caseName, states) -> {
                    String where = "StateMachines." + machine + ".TestCases." + caseName;
                    requireObject(states, where);
                    Map<String, String> mocked = new HashMap<>();
                    fields(states).forEach((state, response) -> {
                        if (!response.isTextual()) {
                            throw new IllegalArgumentException(where + "." + state + " must name a mocked response");
                        }
                        mocked.put(state, response.asText());
                    });
                    byName.put(caseName, new TestCase(c, machine, caseName, mocked));
                });
                c.machines.put(machine, byName);
            });
        }
        JsonNode rs = root.path("MockedResponses");
        if (!rs.isMissingNode()) {
            requireObject(rs, "MockedResponses");
            fields(rs).forEach((name, r) -> c.responses.put(name, MockedResponse.parse(name, r)));
        }
        return c;
    }

    /** The test case {@code caseName} of the machine called {@code machineName}; null if the file has none. */
    public TestCase testCase(String machineName, String caseName) {
        Map<String, TestCase> cases = machines.get(machineName);
        return cases == null ? null : cases.get(caseName);
    }

    private static void requireObject(JsonNode n, String what) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException(what + " must be a JSON object");
        }
    }

    private static Map<String, JsonNode> fields(JsonNode object) {
        Map<String, JsonNode> m = new java.util.LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            m.put(e.getKey(), e.getValue());
        }
        return m;
    }

    /** One test case: which states are mocked, and by which response. */
    public static final class TestCase {
        private final MockConfig config;
        public final String machine;
        public final String name;
        private final Map<String, String> responseOfState;

        private TestCase(MockConfig config, String machine, String name, Map<String, String> responseOfState) {
            this.config = config;
            this.machine = machine;
            this.name = name;
            this.responseOfState = responseOfState;
        }

        public boolean mocks(String state) {
            return responseOfState.containsKey(state);
        }

        /**
         * What call {@code call} (0 the first) of {@code state} answers; a {@link Answer} with an error States.Runtime
         * when the response is missing or has no entry for that call.
         */
        public Answer answer(String state, int call) {
            String name = responseOfState.get(state);
            MockedResponse r = config.responses.get(name);
            if (r == null) {
                return Answer.missing("The mocked response '" + name + "' of state '" + state + "' is not in the mock configuration");
            }
            Answer a = r.at(call);
            return a != null ? a : Answer.missing("The mocked response '" + name + "' of state '" + state
                    + "' has no entry for invocation " + call);
        }
    }

    /** A response to one call: a result ({@code Return}) or an error ({@code Throw}). */
    public record Answer(JsonNode result, String error, String cause, boolean configured) {
        static Answer missing(String cause) {
            return new Answer(null, "States.Runtime", cause, false);
        }

        public boolean failed() {
            return error != null;
        }
    }

    private record Range(int from, int to, Answer answer) {
    }

    /** A named response: answers per call, "0", "1", or a range "1-2". */
    private static final class MockedResponse {
        private final List<Range> ranges = new ArrayList<>();

        static MockedResponse parse(String name, JsonNode r) {
            requireObject(r, "MockedResponses." + name);
            MockedResponse m = new MockedResponse();
            fields(r).forEach((key, entry) -> {
                String where = "MockedResponses." + name + "." + key;
                Matcher k = CALLS.matcher(key);
                if (!k.matches()) {
                    throw new IllegalArgumentException(where + ": a key is a call number (\"0\") or a range (\"1-2\")");
                }
                int from = Integer.parseInt(k.group(1));
                int to = k.group(2) == null ? from : Integer.parseInt(k.group(2));
                if (to < from) {
                    throw new IllegalArgumentException(where + ": the range ends before it starts");
                }
                requireObject(entry, where);
                boolean ret = entry.has("Return");
                boolean thr = entry.has("Throw");
                if (ret == thr) {
                    throw new IllegalArgumentException(where + " must have exactly one of Return and Throw");
                }
                Answer a;
                if (ret) {
                    a = new Answer(entry.get("Return"), null, null, true);
                } else {
                    JsonNode t = entry.get("Throw");
                    requireObject(t, where + ".Throw");
                    if (!t.path("Error").isTextual()) {
                        throw new IllegalArgumentException(where + ".Throw must have an Error");
                    }
                    a = new Answer(null, t.get("Error").asText(), t.path("Cause").isTextual() ? t.get("Cause").asText() : null, true);
                }
                m.ranges.add(new Range(from, to, a));
            });
            return m;
        }

        Answer at(int call) {
            for (Range r : ranges) {
                if (call >= r.from && call <= r.to) {
                    return r.answer;
                }
            }
            return null;
        }
    }
}
