package io.cqrsworkers.localaws.stepfunctions.data;

import io.cqrsworkers.localaws.stepfunctions.core.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses an intrinsic function call such as {@code States.Format('{} \{x\}', $.a, States.UUID())} into an
 * {@link IntrinsicExpr} tree. Syntax errors throw {@link IllegalArgumentException}.
 */
final class IntrinsicParser {

    private final String text;
    private int pos;

    private IntrinsicParser(String text) {
        this.text = text;
    }

    static IntrinsicExpr.Call parse(String text) {
        IntrinsicParser parser = new IntrinsicParser(text);
        parser.skipSpaces();
        IntrinsicExpr.Call call = parser.call();
        parser.skipSpaces();
        if (parser.pos != text.length()) {
            throw parser.error("unexpected '" + text.substring(parser.pos) + "' after the function call");
        }
        return call;
    }

    private IntrinsicExpr.Call call() {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(peek()) || peek() == '.' || peek() == '_')) {
            pos++;
        }
        String name = text.substring(start, pos);
        IntrinsicFunction function = IntrinsicFunction.byName(name);
        if (function == null) {
            throw error("unknown intrinsic function '" + name + "'");
        }
        skipSpaces();
        expect('(');
        List<IntrinsicExpr> args = new ArrayList<>();
        skipSpaces();
        if (peek() != ')') {
            while (true) {
                skipSpaces();
                args.add(argument());
                skipSpaces();
                if (peek() == ',') {
                    pos++;
                    continue;
                }
                break;
            }
        }
        expect(')');
        function.checkArity(args.size());
        return new IntrinsicExpr.Call(function, List.copyOf(args));
    }

    private IntrinsicExpr argument() {
        char c = peek();
        if (c == '\'') {
            return string();
        }
        if (c == '$') {
            return path();
        }
        if (c == '-' || Character.isDigit(c)) {
            return number();
        }
        if (text.startsWith("States.", pos)) {
            return call();
        }
        for (String word : new String[] {"null", "true", "false"}) {
            if (text.startsWith(word, pos)) {
                pos += word.length();
                JsonNode value = word.equals("null") ? NullNode.getInstance() : BooleanNode.valueOf(word.equals("true"));
                return new IntrinsicExpr.Literal(value, null);
            }
        }
        throw error(pos >= text.length() ? "unexpected end of input" : "unexpected character '" + c + "'");
    }

    /** A quoted string; escapes are \' \{ \} \\. Unescaped "{}" pairs are States.Format placeholders. */
    private IntrinsicExpr string() {
        pos++;
        StringBuilder value = new StringBuilder();
        StringBuilder piece = new StringBuilder();
        List<String> pieces = new ArrayList<>();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string literal");
            }
            char c = text.charAt(pos++);
            if (c == '\'') {
                break;
            }
            if (c == '\\') {
                if (pos >= text.length()) {
                    throw error("open escape at the end of the string literal");
                }
                char escaped = text.charAt(pos++);
                if (escaped != '\'' && escaped != '{' && escaped != '}' && escaped != '\\') {
                    throw error("invalid escape sequence '\\" + escaped + "'");
                }
                value.append(escaped);
                piece.append(escaped);
            } else if (c == '{' && pos < text.length() && text.charAt(pos) == '}') {
                pos++;
                value.append("{}");
                pieces.add(piece.toString());
                piece.setLength(0);
            } else {
                value.append(c);
                piece.append(c);
            }
        }
        pieces.add(piece.toString());
        return new IntrinsicExpr.Literal(TextNode.valueOf(value.toString()), List.copyOf(pieces));
    }

    /** A path runs to the next ',' or ')' outside brackets and quotes. */
    private IntrinsicExpr path() {
        int start = pos;
        int depth = 0;
        char quote = 0;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '[' || c == '(') {
                depth++;
            } else if (c == ']' || c == ')') {
                if (depth == 0) {
                    break;
                }
                depth--;
            } else if (c == ',' && depth == 0) {
                break;
            }
            pos++;
        }
        String path = text.substring(start, pos).trim();
        try {
            JsonPaths.validatePath(path);
        } catch (IllegalArgumentException e) {
            throw error("invalid path '" + path + "'");
        }
        return new IntrinsicExpr.Path(path);
    }

    private IntrinsicExpr number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        while (pos < text.length() && "0123456789.eE+-".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
        String literal = text.substring(start, pos);
        try {
            JsonNode value = Json.parse(literal);
            if (!value.isNumber()) {
                throw error("invalid number '" + literal + "'");
            }
            return new IntrinsicExpr.Literal(value, null);
        } catch (JsonProcessingException e) {
            throw error("invalid number '" + literal + "'");
        }
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error(pos >= text.length() ? "expected '" + c + "' but the input ended" : "expected '" + c + "' at position " + pos);
        }
        pos++;
    }

    private void skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private IllegalArgumentException error(String reason) {
        return new IllegalArgumentException("Invalid intrinsic function call '" + text + "': " + reason);
    }
}
