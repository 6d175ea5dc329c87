package io.cqrsworkers.localaws.dynamodb.expr;

import io.cqrsworkers.localaws.dynamodb.model.DynamoDbException;

import java.util.ArrayList;
import java.util.List;

/** Splits an expression into tokens. */
final class Lexer {

    enum Kind { WORD, NAME_REF, VALUE_REF, NUMBER, SYMBOL, EOF }

    record Token(Kind kind, String text, int pos) {
        boolean is(String symbolOrKeyword) {
            return (kind == Kind.SYMBOL || kind == Kind.WORD) && text.equalsIgnoreCase(symbolOrKeyword);
        }
    }

    private Lexer() {
    }

    static List<Token> tokens(String expr, String label) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = expr.length();
        while (i < n) {
            char c = expr.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int start = i;
            if (c == '#' || c == ':') {
                i++;
                while (i < n && isWordChar(expr.charAt(i))) {
                    i++;
                }
                out.add(new Token(c == '#' ? Kind.NAME_REF : Kind.VALUE_REF, expr.substring(start, i), start));
            } else if (Character.isDigit(c)) {
                while (i < n && isWordChar(expr.charAt(i))) {
                    i++;
                }
                String text = expr.substring(start, i);
                out.add(new Token(text.chars().allMatch(Character::isDigit) ? Kind.NUMBER : Kind.WORD, text, start));
            } else if (isWordChar(c)) {
                while (i < n && isWordChar(expr.charAt(i))) {
                    i++;
                }
                out.add(new Token(Kind.WORD, expr.substring(start, i), start));
            } else if ((c == '<' || c == '>') && i + 1 < n && (expr.charAt(i + 1) == '=' || c == '<' && expr.charAt(i + 1) == '>')) {
                out.add(new Token(Kind.SYMBOL, expr.substring(i, i + 2), start));
                i += 2;
            } else if ("()[],.=<>+-".indexOf(c) >= 0) {
                out.add(new Token(Kind.SYMBOL, String.valueOf(c), start));
                i++;
            } else {
                throw DynamoDbException.validation("Invalid " + label + ": Invalid character encountered; character: "
                        + c + ", near: \"" + expr.substring(Math.max(0, i - 5), Math.min(n, i + 5)) + "\"");
            }
        }
        out.add(new Token(Kind.EOF, "<EOF>", n));
        return out;
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
