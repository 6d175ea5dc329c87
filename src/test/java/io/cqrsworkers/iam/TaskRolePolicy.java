package io.cqrsworkers.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqrsworkers.support.SynthesizedStack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ECS task role's permissions as the synthesized template (infra/cdk.out) states them, and an IAM evaluation of a
 * request (action, resource ARN) against them: the statements of every AWS::IAM::Policy attached to the role of
 * {@value #POLICY_ID} and the role's inline policies; an explicit Deny wins, then any Allow, else the default deny.
 * Action and NotAction (case-insensitive), Resource and NotResource (case-sensitive), {@code *} and {@code ?} wildcards.
 * Intrinsics are resolved against the template's resources: Ref, Fn::GetAtt (Arn, StreamArn, QueueUrl, QueueName,
 * Name), Fn::Join, Fn::Select, Fn::Split, Fn::Sub; pseudo parameters take the values {@link #PARTITION},
 * {@link #REGION}, {@link #ACCOUNT}. A table's StreamArn is {@code <table arn>/stream/*} (its label is only known
 * once deployed). Anything this cannot evaluate (a Condition, a managed policy, a parameter in a resource) fails
 * loudly instead of guessing.
 */
final class TaskRolePolicy {

    static final String POLICY_ID = "TaskRolePolicy";
    static final String PARTITION = "aws";
    static final String REGION = "us-east-1";
    static final String ACCOUNT = "123456789012";

    private static final ObjectMapper JSON = new ObjectMapper();

    record Statement(String id, boolean allow, List<String> actions, boolean notAction, List<String> resources,
                     boolean notResource) {

        boolean matchesAction(String action) {
            return notAction != actions.stream().anyMatch(p -> wildcard(p, action, true));
        }

        boolean matchesResource(String arn) {
            return notResource != resources.stream().anyMatch(p -> wildcard(p, arn, false));
        }

        boolean applies(String action, String arn) {
            return matchesAction(action) && matchesResource(arn);
        }

        @Override
        public String toString() {
            return id + " " + (allow ? "Allow " : "Deny ") + (notAction ? "NotAction " : "") + actions + " on "
                    + (notResource ? "NotResource " : "") + resources;
        }
    }

    /** The outcome for one request: allowed, or why not. */
    record Decision(boolean allowed, Statement deniedBy, List<Statement> allowedBy) {
        String reason() {
            return deniedBy != null ? "explicitly denied by " + deniedBy
                    : allowed ? "allowed by " + allowedBy : "no statement allows it (default deny)";
        }
    }

    final Path template;
    /** The environment prefix of the stack's resource names ({@code <nodeEnv>-<appName>-}). */
    final String prefix;
    final List<Statement> statements;
    private final JsonNode resources;

    TaskRolePolicy(Path template, JsonNode json, String prefix) {
        this.template = template;
        this.prefix = prefix;
        this.resources = json.path("Resources");
        this.statements = readStatements();
    }

    static TaskRolePolicy parse(String templateJson, String prefix) {
        try {
            return new TaskRolePolicy(null, JSON.readTree(templateJson), prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ the template

    /** The task role of the service's stack in infra/cdk.out, synthesized first when needed ({@link SynthesizedStack}). */
    static TaskRolePolicy load(Path repoRoot) {
        SynthesizedStack stack = SynthesizedStack.load(repoRoot, repoRoot.resolve("target/iam"));
        synthMillis = Math.max(0, stack.synthMillis());
        if (!stack.json().path("Resources").has(POLICY_ID)) {
            throw new AssertionError(stack.file() + " has no " + POLICY_ID);
        }
        return new TaskRolePolicy(stack.file(), stack.json(), stack.prefix());
    }

    /** How long the last synth took (0 when the template was fresh). */
    static volatile long synthMillis;

    // ------------------------------------------------------------------ statements

    private List<Statement> readStatements() {
        JsonNode policy = resources.path(POLICY_ID);
        if (!"AWS::IAM::Policy".equals(policy.path("Type").asText())) {
            throw new AssertionError("the template has no AWS::IAM::Policy " + POLICY_ID);
        }
        String role = policy.path("Properties").path("Roles").path(0).path("Ref").asText();
        JsonNode roleResource = resources.path(role);
        if (!roleResource.path("Properties").path("AssumeRolePolicyDocument").toString()
                .contains("ecs-tasks.amazonaws.com")) {
            throw new AssertionError(POLICY_ID + " is not attached to an ECS task role: " + role);
        }
        if (roleResource.path("Properties").has("ManagedPolicyArns")
                || roleResource.path("Properties").has("PermissionsBoundary")) {
            throw new AssertionError("the task role has managed policies or a boundary, which this test cannot read: "
                    + roleResource.path("Properties"));
        }
        List<Statement> list = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = resources.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode r = e.getValue();
            if (List.of("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy").contains(r.path("Type").asText())
                    && r.path("Properties").path("Roles").toString().contains("{\"Ref\":\"" + role + "\"}")) {
                addStatements(e.getKey(), r.path("Properties").path("PolicyDocument"), list);
            }
        }
        for (JsonNode inline : roleResource.path("Properties").path("Policies")) {
            addStatements(role + "/" + inline.path("PolicyName").asText(), inline.path("PolicyDocument"), list);
        }
        return List.copyOf(list);
    }

    private void addStatements(String policy, JsonNode document, List<Statement> list) {
        JsonNode statements = document.path("Statement");
        List<JsonNode> all = new ArrayList<>();
        if (statements.isArray()) {
            statements.forEach(all::add);
        } else {
            all.add(statements);
        }
        for (int i = 0; i < all.size(); i++) {
            JsonNode s = all.get(i);
            String id = policy + "#" + (s.has("Sid") ? s.get("Sid").asText() : String.valueOf(i));
            if (s.has("Condition")) {
                throw new AssertionError(id + " has a Condition, which this test does not evaluate: " + s);
            }
            boolean notAction = s.has("NotAction");
            boolean notResource = s.has("NotResource");
            List<String> actions = strings(s.path(notAction ? "NotAction" : "Action"));
            List<String> arns = new ArrayList<>();
            JsonNode resource = s.path(notResource ? "NotResource" : "Resource");
            for (JsonNode r : resource.isArray() ? iterable(resource) : List.of(resource)) {
                arns.addAll(asList(resolve(r)));
            }
            String effect = s.path("Effect").asText();
            if (!List.of("Allow", "Deny").contains(effect)) {
                throw new AssertionError(id + ": Effect " + effect);
            }
            list.add(new Statement(id, effect.equals("Allow"), actions, notAction, arns, notResource));
        }
    }

    private static List<JsonNode> iterable(JsonNode array) {
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list;
    }

    private static List<String> strings(JsonNode node) {
        List<String> list = new ArrayList<>();
        if (node.isTextual()) {
            list.add(node.asText());
        } else {
            node.forEach(n -> list.add(n.asText()));
        }
        return list;
    }

    // ------------------------------------------------------------------ evaluation

    Decision evaluate(String action, String arn) {
        List<Statement> allows = new ArrayList<>();
        for (Statement s : statements) {
            if (s.applies(action, arn)) {
                if (!s.allow()) {
                    return new Decision(false, s, List.of());
                }
                allows.add(s);
            }
        }
        return new Decision(!allows.isEmpty(), null, allows);
    }

    /** IAM's wildcards: {@code *} any run of characters (also across : and /), {@code ?} one character. */
    static boolean wildcard(String pattern, String value, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.DOTALL
                : Pattern.DOTALL).matcher(value).matches();
    }

    // ------------------------------------------------------------------ intrinsics

    private static List<String> asList(Object value) {
        if (value instanceof String s) {
            if (s.contains("${")) {
                throw new AssertionError("policy variable or unresolved Sub in " + s);
            }
            return List.of(s);
        }
        @SuppressWarnings("unchecked")
        List<String> list = (List<String>) value;
        return list;
    }

    private static String asString(Object value) {
        if (value instanceof String s) {
            return s;
        }
        throw new AssertionError("a list where a string is expected: " + value);
    }

    /** A string, or a list of strings (Fn::Split, arrays). */
    Object resolve(JsonNode v) {
        if (v.isTextual() || v.isNumber()) {
            return v.asText();
        }
        if (v.isArray()) {
            List<String> list = new ArrayList<>();
            v.forEach(x -> list.add(asString(resolve(x))));
            return list;
        }
        if (v.isObject() && v.size() == 1) {
            String fn = v.fieldNames().next();
            JsonNode arg = v.get(fn);
            switch (fn) {
                case "Ref":
                    return ref(arg.asText());
                case "Fn::GetAtt": {
                    String[] parts = arg.isArray() ? new String[] {arg.get(0).asText(), arg.get(1).asText()}
                            : arg.asText().split("\\.", 2);
                    return getAtt(parts[0], parts[1]);
                }
                case "Fn::Join":
                    return String.join(arg.get(0).asText(), asList(resolve(arg.get(1))));
                case "Fn::Select":
                    return asList(resolve(arg.get(1))).get(Integer.parseInt(asString(resolve(arg.get(0)))));
                case "Fn::Split":
                    return Arrays.asList(asString(resolve(arg.get(1))).split(Pattern.quote(arg.get(0).asText()), -1));
                case "Fn::Sub": {
                    String text = arg.isArray() ? arg.get(0).asText() : arg.asText();
                    JsonNode vars = arg.isArray() ? arg.get(1) : JSON.createObjectNode();
                    Matcher m = Pattern.compile("\\$\\{([^}!][^}]*)}").matcher(text);
                    StringBuilder out = new StringBuilder();
                    while (m.find()) {
                        String name = m.group(1);
                        String value = vars.has(name) ? asString(resolve(vars.get(name)))
                                : name.contains(".") ? asString(getAtt(name.substring(0, name.indexOf('.')),
                                name.substring(name.indexOf('.') + 1))) : asString(ref(name));
                        m.appendReplacement(out, Matcher.quoteReplacement(value));
                    }
                    m.appendTail(out);
                    return out.toString();
                }
                default:
                    break;
            }
        }
        throw new AssertionError("cannot resolve " + v);
    }

    private Object ref(String name) {
        switch (name) {
            case "AWS::Partition":
                return PARTITION;
            case "AWS::Region":
                return REGION;
            case "AWS::AccountId":
                return ACCOUNT;
            case "AWS::URLSuffix":
                return "amazonaws.com";
            default:
                break;
        }
        JsonNode r = resource(name);
        return switch (r.path("Type").asText()) {
            case "AWS::StepFunctions::StateMachine" -> arn("states", "stateMachine:" + property(name, "StateMachineName"));
            case "AWS::SQS::Queue" -> "https://sqs." + REGION + ".amazonaws.com/" + ACCOUNT + "/"
                    + property(name, "QueueName");
            case "AWS::DynamoDB::Table" -> property(name, "TableName");
            case "AWS::S3::Bucket" -> property(name, "BucketName");
            default -> throw new AssertionError("Ref of a " + r.path("Type").asText() + " (" + name + ")");
        };
    }

    private Object getAtt(String name, String attribute) {
        JsonNode r = resource(name);
        String type = r.path("Type").asText();
        return switch (type + "." + attribute) {
            case "AWS::DynamoDB::Table.Arn" -> arn("dynamodb", "table/" + property(name, "TableName"));
            case "AWS::DynamoDB::Table.StreamArn" -> arn("dynamodb", "table/" + property(name, "TableName")
                    + "/stream/*");
            case "AWS::SQS::Queue.Arn" -> arn("sqs", property(name, "QueueName"));
            case "AWS::SQS::Queue.QueueName" -> property(name, "QueueName");
            case "AWS::SQS::Queue.QueueUrl" -> ref(name);
            case "AWS::S3::Bucket.Arn" -> "arn:" + PARTITION + ":s3:::" + property(name, "BucketName");
            case "AWS::StepFunctions::StateMachine.Arn" -> ref(name);
            case "AWS::StepFunctions::StateMachine.Name" -> property(name, "StateMachineName");
            default -> throw new AssertionError("Fn::GetAtt " + name + "." + attribute + " (" + type + ")");
        };
    }

    private JsonNode resource(String name) {
        JsonNode r = resources.path(name);
        if (r.isMissingNode()) {
            throw new AssertionError("Ref to " + name + ": neither a resource of the template nor a pseudo parameter "
                    + "(a parameter cannot be evaluated)");
        }
        return r;
    }

    private String property(String resource, String property) {
        JsonNode value = resources.path(resource).path("Properties").path(property);
        if (!value.isTextual()) {
            throw new AssertionError(resource + " has no literal " + property + " (a generated or computed name "
                    + "cannot be evaluated): " + value);
        }
        return value.asText();
    }

    static String arn(String service, String resource) {
        return "arn:" + PARTITION + ":" + service + ":" + REGION + ":" + ACCOUNT + ":" + resource;
    }

}
