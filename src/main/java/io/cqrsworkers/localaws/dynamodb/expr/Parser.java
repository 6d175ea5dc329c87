package io.cqrsworkers.localaws.dynamodb.expr;

import io.cqrsworkers.localaws.dynamodb.model.DynamoDbException;
import io.cqrsworkers.localaws.dynamodb.expr.Lexer.Kind;
import io.cqrsworkers.localaws.dynamodb.expr.Lexer.Token;
import io.cqrsworkers.localaws.dynamodb.model.Av;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Recursive-descent parser for DynamoDB's expression language. Precedence, lowest first: OR, AND, NOT, then
 * comparisons, BETWEEN, IN and functions; parentheses group.
 */
public final class Parser {

    private static final Set<String> CONDITION_FUNCTIONS =
            Set.of("attribute_exists", "attribute_not_exists", "attribute_type", "begins_with", "contains");
    private static final Set<String> COMPARATORS = Set.of("=", "<>", "<", "<=", ">", ">=");

    /**
     * Developer Guide, "Expression parameters": "The maximum length of any expression string is 4 KB", measured on
     * the string as sent (before #name and :value are substituted); 4096 bytes pass, 4097 do not.
     */
    static final int MAX_EXPRESSION_BYTES = 4096;
    /** "The maximum number of operators or functions allowed in an UpdateExpression is 300" (likewise conditions). */
    static final int MAX_OPERATORS = 300;
    /** "The maximum number of operands for the IN comparator is 100." */
    static final int MAX_IN_OPERANDS = 100;
    /** The expressions whose size error ends with the size (captured from DynamoDB by ExtendDB, see checkSize). */
    private static final Set<String> SIZE_REPORTED = Set.of("ConditionExpression", "FilterExpression");

    private final String expr;
    private final List<Token> tokens;
    private final ExprContext ctx;
    private final String label;
    private int pos;
    private int operators;

    private Parser(String expr, ExprContext ctx, String label) {
        this.expr = expr;
        this.ctx = ctx;
        this.label = label;
        if (expr.isBlank()) {
            throw DynamoDbException.validation("Invalid " + label + ": The expression can not be empty;");
        }
        checkSize(expr, label);
        this.tokens = Lexer.tokens(expr, label);
    }

    /**
     * An expression over 4 KB, checked before its syntax. DynamoDB's texts, captured by ExtendDB
     * (tests/.../test_expression_size.py, us-east-1): "Invalid UpdateExpression: Expression size has exceeded the
     * maximum allowed size;" for Update, Projection and KeyCondition expressions, with " expression size: N" after it
     * for Condition and Filter expressions; the same recorded in aws/aws-sdk-java-v2#4597 (UpdateExpression) and
     * pynamodb/PynamoDB#979 (a Query FilterExpression, "expression size: 4109").
     */
    private static void checkSize(String expr, String label) {
        int bytes = expr.length() <= MAX_EXPRESSION_BYTES / 3 ? expr.length() : Av.utf8Length(expr);
        if (bytes > MAX_EXPRESSION_BYTES) {
            throw DynamoDbException.validation("Invalid " + label + ": Expression size has exceeded the maximum "
                    + "allowed size;" + (SIZE_REPORTED.contains(label) ? " expression size: " + bytes : ""));
        }
    }

    /**
     * Counts an operator or function; the 301st fails as DynamoDB answers it: "Invalid ConditionExpression: The
     * expression contains too many operators; operator count: 301" (recorded in scylladb/scylladb#14473 and
     * aws/aws-sdk-js#3721). Comparators, AND, OR, NOT, BETWEEN, IN, + and - count, and so do functions; parentheses
     * and the '=' of a SET action do not.
     */
    private void operator() {
        if (++operators > MAX_OPERATORS) {
            throw DynamoDbException.validation("Invalid " + label + ": The expression contains too many operators; "
                    + "operator count: " + operators);
        }
    }

    public static Cond condition(String expr, ExprContext ctx, String label) {
        Parser p = new Parser(expr, ctx, label);
        Cond c = p.or();
        p.expectEnd();
        return c;
    }

    public static List<Path> projection(String expr, ExprContext ctx) {
        Parser p = new Parser(expr, ctx, "ProjectionExpression");
        List<Path> paths = new ArrayList<>();
        do {
            paths.add(p.path());
        } while (p.accept(","));
        p.expectEnd();
        for (int i = 0; i < paths.size(); i++) {
            for (int j = i + 1; j < paths.size(); j++) {
                p.checkOverlap(paths.get(i), paths.get(j));
            }
        }
        return paths;
    }

    public static UpdatePlan update(String expr, ExprContext ctx) {
        Parser p = new Parser(expr, ctx, "UpdateExpression");
        UpdatePlan plan = new UpdatePlan();
        Set<String> seen = new java.util.HashSet<>();
        do {
            Token t = p.peek();
            String section = t.text().toUpperCase();
            if (t.kind() != Kind.WORD || !Set.of("SET", "REMOVE", "ADD", "DELETE").contains(section)) {
                throw p.syntaxError(t);
            }
            p.pos++;
            if (!seen.add(section)) {
                throw DynamoDbException.validation("Invalid UpdateExpression: The \"" + section
                        + "\" section can only be used once in an update expression;");
            }
            do {
                Path path = p.path();
                switch (section) {
                    case "SET" -> {
                        p.expect("=");
                        plan.set(path, p.setValue());
                    }
                    case "REMOVE" -> plan.remove(path);
                    case "ADD" -> plan.add(path, p.valueRef());
                    default -> plan.delete(path, p.valueRef());
                }
            } while (p.accept(","));
        } while (p.peek().kind() != Kind.EOF);
        List<Path> paths = plan.paths();
        for (int i = 0; i < paths.size(); i++) {
            for (int j = i + 1; j < paths.size(); j++) {
                p.checkOverlap(paths.get(i), paths.get(j));
            }
        }
        return plan;
    }

    private void checkOverlap(Path a, Path b) {
        if (a.overlaps(b)) {
            throw DynamoDbException.validation("Invalid " + label + ": Two document paths overlap with each other; "
                    + "must remove or rewrite one of these paths; path one: " + a + ", path two: " + b);
        }
        if (a.conflicts(b)) {
            throw DynamoDbException.validation("Invalid " + label + ": Two document paths conflict with each other; "
                    + "must remove or rewrite one of these paths; path one: " + a + ", path two: " + b);
        }
    }

    // ---- conditions

    private Cond or() {
        Cond c = and();
        while (acceptKeyword("OR")) {
            operator();
            c = new Cond.Or(c, and());
        }
        return c;
    }

    private Cond and() {
        Cond c = not();
        while (acceptKeyword("AND")) {
            operator();
            c = new Cond.And(c, not());
        }
        return c;
    }

    private Cond not() {
        if (acceptKeyword("NOT")) {
            operator();
            return new Cond.Not(not());
        }
        return atom();
    }

    private Cond atom() {
        if (accept("(")) {
            Cond c = or();
            expect(")");
            return c;
        }
        Token t = peek();
        if (t.kind() == Kind.WORD && peek(1).is("(")) {
            String fn = t.text();
            if (CONDITION_FUNCTIONS.contains(fn)) {
                pos += 2;
                operator();
                List<Operand> args = arguments(fn);
                checkArity(fn, args, fn.startsWith("attribute_") && !fn.equals("attribute_type") ? 1 : 2);
                if (!(args.get(0) instanceof Operand.PathRef) && !fn.equals("contains") && !fn.equals("begins_with")) {
                    throw DynamoDbException.validation("Invalid " + label
                            + ": Operator or function requires a document path; operator or function: " + fn);
                }
                return new Cond.FunctionCall(fn, args);
            }
            if (!fn.equals("size")) {
                throw DynamoDbException.validation("Invalid " + label + ": Invalid function name; function: " + fn);
            }
        }
        Operand left = operand();
        Token op = peek();
        if (op.kind() == Kind.SYMBOL && COMPARATORS.contains(op.text())) {
            pos++;
            operator();
            return new Cond.Compare(op.text(), left, operand());
        }
        if (acceptKeyword("BETWEEN")) {
            operator();
            Operand lo = operand();
            if (!acceptKeyword("AND")) {
                throw syntaxError(peek());
            }
            return new Cond.Between(left, lo, operand());
        }
        if (acceptKeyword("IN")) {
            operator();
            expect("(");
            List<Operand> candidates = new ArrayList<>();
            do {
                candidates.add(operand());
            } while (accept(","));
            expect(")");
            if (candidates.size() > MAX_IN_OPERANDS) {
                // recorded in reapit/foundations#8255: "Invalid FilterExpression: The IN operator is provided with too
                // many operands; number of operands: 163"
                throw DynamoDbException.validation("Invalid " + label + ": The IN operator is provided with too many "
                        + "operands; number of operands: " + candidates.size());
            }
            return new Cond.In(left, candidates);
        }
        throw syntaxError(op);
    }

    private void checkArity(String fn, List<Operand> args, int expected) {
        if (args.size() != expected) {
            throw DynamoDbException.validation("Invalid " + label + ": Incorrect number of operands for operator or "
                    + "function; operator or function: " + fn + ", number of operands: " + args.size());
        }
    }

    private List<Operand> arguments(String fn) {
        List<Operand> args = new ArrayList<>();
        if (!accept(")")) {
            do {
                args.add(operand());
            } while (accept(","));
            expect(")");
        }
        return args;
    }

    /** A path, a value placeholder or size(path). */
    private Operand operand() {
        Token t = peek();
        if (t.kind() == Kind.VALUE_REF) {
            pos++;
            return new Operand.Value(t.text(), ctx.value(t.text(), label));
        }
        if (t.kind() == Kind.WORD && peek(1).is("(")) {
            String fn = t.text();
            if (!fn.equals("size")) {
                if (CONDITION_FUNCTIONS.contains(fn) || fn.equals("if_not_exists") || fn.equals("list_append")) {
                    throw DynamoDbException.validation("Invalid " + label
                            + ": The function is not allowed to be used this way in an expression; function: " + fn);
                }
                throw DynamoDbException.validation("Invalid " + label + ": Invalid function name; function: " + fn);
            }
            pos += 2;
            operator();
            List<Operand> args = arguments(fn);
            checkArity(fn, args, 1);
            if (!(args.get(0) instanceof Operand.PathRef ref)) {
                throw DynamoDbException.validation("Invalid " + label
                        + ": Operator or function requires a document path; operator or function: size");
            }
            return new Operand.Size(ref.path());
        }
        return new Operand.PathRef(path());
    }

    // ---- update values

    private Operand setValue() {
        Operand left = setOperand();
        if (accept("+")) {
            operator();
            return new Operand.Arithmetic('+', left, setOperand());
        }
        if (accept("-")) {
            operator();
            return new Operand.Arithmetic('-', left, setOperand());
        }
        return left;
    }

    private Operand setOperand() {
        Token t = peek();
        if (t.kind() == Kind.WORD && peek(1).is("(")) {
            String fn = t.text();
            pos += 2;
            if (fn.equals("if_not_exists") || fn.equals("list_append")) {
                operator();
            }
            if (fn.equals("if_not_exists")) {
                Path path = path();
                expect(",");
                Operand fallback = setValue();
                expect(")");
                return new Operand.IfNotExists(path, fallback);
            }
            if (fn.equals("list_append")) {
                Operand a = setValue();
                expect(",");
                Operand b = setValue();
                expect(")");
                return new Operand.ListAppend(a, b);
            }
            if (CONDITION_FUNCTIONS.contains(fn) || fn.equals("size")) {
                throw DynamoDbException.validation("Invalid " + label
                        + ": The function is not allowed in an update expression; function: " + fn);
            }
            throw DynamoDbException.validation("Invalid " + label + ": Invalid function name; function: " + fn);
        }
        if (t.kind() == Kind.VALUE_REF) {
            pos++;
            return new Operand.Value(t.text(), ctx.value(t.text(), label));
        }
        return new Operand.PathRef(path());
    }

    private Operand.Value valueRef() {
        Token t = peek();
        if (t.kind() != Kind.VALUE_REF) {
            throw syntaxError(t);
        }
        pos++;
        return new Operand.Value(t.text(), ctx.value(t.text(), label));
    }

    // ---- paths

    private Path path() {
        List<Object> elements = new ArrayList<>();
        elements.add(name());
        while (true) {
            if (accept(".")) {
                elements.add(name());
            } else if (peek().is("[")) {
                pos++;
                Token idx = peek();
                if (idx.kind() != Kind.NUMBER) {
                    throw syntaxError(idx);
                }
                pos++;
                expect("]");
                elements.add(Integer.parseInt(idx.text()));
            } else {
                return new Path(elements);
            }
        }
    }

    private String name() {
        Token t = peek();
        if (t.kind() == Kind.NAME_REF) {
            pos++;
            return ctx.name(t.text(), label);
        }
        if (t.kind() == Kind.WORD && !Character.isDigit(t.text().charAt(0))) {
            pos++;
            if (ReservedWords.contains(t.text())) {
                throw DynamoDbException.validation("Invalid " + label
                        + ": Attribute name is a reserved keyword; reserved keyword: " + t.text());
            }
            return t.text();
        }
        throw syntaxError(t);
    }

    // ---- token helpers

    private Token peek() {
        return tokens.get(pos);
    }

    private Token peek(int ahead) {
        return tokens.get(Math.min(pos + ahead, tokens.size() - 1));
    }

    private boolean accept(String symbol) {
        if (peek().kind() == Kind.SYMBOL && peek().text().equals(symbol)) {
            pos++;
            return true;
        }
        return false;
    }

    private boolean acceptKeyword(String keyword) {
        if (peek().kind() == Kind.WORD && peek().text().equalsIgnoreCase(keyword)) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(String symbol) {
        if (!accept(symbol)) {
            throw syntaxError(peek());
        }
    }

    private void expectEnd() {
        if (peek().kind() != Kind.EOF) {
            throw syntaxError(peek());
        }
    }

    private DynamoDbException syntaxError(Token t) {
        int from = pos > 0 ? tokens.get(pos - 1).pos() : t.pos();
        int to = t.kind() == Kind.EOF ? expr.length()
                : pos + 1 < tokens.size() ? Math.min(expr.length(), tokens.get(pos + 1).pos() + tokens.get(pos + 1).text().length()) : expr.length();
        String near = expr.substring(from, Math.max(from, Math.min(to, expr.length()))).trim();
        return DynamoDbException.validation("Invalid " + label + ": Syntax error; token: \"" + t.text()
                + "\", near: \"" + near + "\"");
    }
}
