package io.github.mlflowsecretsauth.tracking.memory;

import io.github.mlflowsecretsauth.tracking.memory.SearchSyntax.Identifier;
import io.github.mlflowsecretsauth.tracking.memory.SearchSyntax.Kind;
import io.github.mlflowsecretsauth.tracking.memory.SearchSyntax.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A parsed MLflow search filter: comparisons joined by {@code AND}, such as
 * {@code metrics.acc > 0.9 and params.model = 'lr' and tags.`mlflow.runName` LIKE 'base%'}.
 * Numeric identifiers (metrics, {@code start_time}, ...) take {@code = != < <= > >=} and a
 * number; the others take {@code = != LIKE ILIKE IN NOT IN} and quoted strings. A run or
 * experiment without the value does not match, as in MLflow's SQL store.
 *
 * <p>Thread-safe: immutable.
 */
final class SearchFilter {

    private static final Set<String> NUMERIC_OPS = Set.of("=", "!=", "<", "<=", ">", ">=");
    private static final Set<String> STRING_OPS = Set.of("=", "!=", "LIKE", "ILIKE", "IN", "NOT IN");

    private record Clause(Identifier identifier, String op, Object value) {}

    private final List<Clause> clauses;

    private SearchFilter(List<Clause> clauses) {
        this.clauses = clauses;
    }

    /** Parses {@code text} (null or blank matches everything) against a schema. */
    static SearchFilter parse(String text, SearchSyntax.Schema schema) {
        List<Clause> clauses = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return new SearchFilter(clauses);
        }
        List<Token> tokens = SearchSyntax.tokenize(text);
        int[] position = {0};
        while (true) {
            clauses.add(clause(tokens, position, schema));
            if (position[0] == tokens.size()) {
                return new SearchFilter(clauses);
            }
            if (!SearchSyntax.take(tokens, position, "AND").isWord("AND")) {
                throw SearchSyntax.invalid("only AND joins comparisons, near '" + tokens.get(position[0] - 1).text()
                        + "' in '" + text + "'");
            }
        }
    }

    /** Whether every comparison holds; {@code values} gives a String, a Number or null per identifier. */
    boolean matches(Function<Identifier, Object> values) {
        for (Clause clause : clauses) {
            Object actual = values.apply(clause.identifier());
            if (actual == null || !holds(clause, actual)) {
                return false;
            }
        }
        return true;
    }

    private static Clause clause(List<Token> tokens, int[] position, SearchSyntax.Schema schema) {
        Identifier identifier = SearchSyntax.identifier(tokens, position, schema);
        Token opToken = SearchSyntax.take(tokens, position, "a comparator");
        String op = opToken.kind() == Kind.OPERATOR || opToken.kind() == Kind.WORD
                ? opToken.text().toUpperCase(java.util.Locale.ROOT).replace("<>", "!=") : "";
        if (op.equals("NOT")) {
            if (!SearchSyntax.take(tokens, position, "IN").isWord("IN")) {
                throw SearchSyntax.invalid("expected IN after NOT");
            }
            op = "NOT IN";
        }
        boolean numeric = identifier.numeric();
        if (!(numeric ? NUMERIC_OPS : STRING_OPS).contains(op)) {
            throw SearchSyntax.invalid("Invalid comparator '" + opToken.text() + "' for "
                    + identifier.entity().name().toLowerCase(java.util.Locale.ROOT) + " '" + identifier.key()
                    + "'. Valid comparators are " + (numeric ? NUMERIC_OPS : STRING_OPS));
        }
        Token valueToken = SearchSyntax.take(tokens, position, "a value");
        if (op.endsWith("IN")) {
            if (valueToken.kind() != Kind.OPEN) {
                throw SearchSyntax.invalid("expected '(' after " + op);
            }
            List<String> values = new ArrayList<>();
            Token next;
            do {
                Token item = SearchSyntax.take(tokens, position, "a quoted value");
                if (item.kind() != Kind.STRING) {
                    throw SearchSyntax.invalid("expected a quoted value in the " + op + " list");
                }
                values.add(item.text());
                next = SearchSyntax.take(tokens, position, "',' or ')'");
            } while (next.kind() == Kind.COMMA);
            if (next.kind() != Kind.CLOSE) {
                throw SearchSyntax.invalid("expected ')' to close the " + op + " list");
            }
            return new Clause(identifier, op, values);
        }
        if (numeric) {
            try {
                return new Clause(identifier, op, Double.parseDouble(valueToken.text()));
            } catch (NumberFormatException e) {
                throw SearchSyntax.invalid("expected a number for '" + identifier.key() + "', found '"
                        + valueToken.text() + "'");
            }
        }
        if (valueToken.kind() != Kind.STRING) {
            throw SearchSyntax.invalid("expected a quoted string for '" + identifier.key() + "', found '"
                    + valueToken.text() + "'");
        }
        if (op.endsWith("LIKE")) {
            int flags = op.equals("ILIKE") ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0;
            return new Clause(identifier, op, Pattern.compile(likeToRegex(valueToken.text()), flags | Pattern.DOTALL));
        }
        return new Clause(identifier, op, valueToken.text());
    }

    private static boolean holds(Clause clause, Object actual) {
        if (clause.identifier().numeric()) {
            int compared = Double.compare(((Number) actual).doubleValue(), (Double) clause.value());
            return switch (clause.op()) {
                case "=" -> compared == 0;
                case "!=" -> compared != 0;
                case "<" -> compared < 0;
                case "<=" -> compared <= 0;
                case ">" -> compared > 0;
                default -> compared >= 0;
            };
        }
        String text = actual.toString();
        return switch (clause.op()) {
            case "=" -> text.equals(clause.value());
            case "!=" -> !text.equals(clause.value());
            case "IN" -> ((List<?>) clause.value()).contains(text);
            case "NOT IN" -> !((List<?>) clause.value()).contains(text);
            default -> ((Pattern) clause.value()).matcher(text).matches();
        };
    }

    private static String likeToRegex(String like) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : like.toCharArray()) {
            if (c == '%' || c == '_') {
                regex.append(Pattern.quote(literal.toString())).append(c == '%' ? ".*" : ".");
                literal.setLength(0);
            } else {
                literal.append(c);
            }
        }
        return regex.append(Pattern.quote(literal.toString())).toString();
    }
}
