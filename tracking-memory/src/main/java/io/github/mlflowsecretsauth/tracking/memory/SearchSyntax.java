package io.github.mlflowsecretsauth.tracking.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The shared lexical part of MLflow's search syntax, used by {@link SearchFilter} and
 * {@link SearchOrder}: tokens, identifiers such as {@code metrics.acc}, {@code params."a b"},
 * {@code tags.`mlflow.runName`} or a bare attribute ({@code status}), and which entities and
 * attributes each search (runs or experiments) knows.
 *
 * <p>Thread-safe: immutable types and stateless methods.
 */
final class SearchSyntax {

    private SearchSyntax() {}

    enum Entity { METRIC, PARAM, TAG, ATTRIBUTE }

    /** What a search may refer to: entity types, and each attribute with whether it is numeric. */
    record Schema(Set<Entity> entities, Map<String, Boolean> numericByAttribute, Map<String, String> aliases) {}

    static final Schema RUNS = new Schema(Set.of(Entity.values()),
            Map.of("run_id", false, "run_name", false, "status", false, "user_id", false, "artifact_uri", false,
                    "lifecycle_stage", false, "start_time", true, "end_time", true),
            Map.of("created", "start_time", "Created", "start_time", "run_uuid", "run_id"));

    static final Schema EXPERIMENTS = new Schema(Set.of(Entity.TAG, Entity.ATTRIBUTE),
            Map.of("name", false, "experiment_id", false, "creation_time", true, "last_update_time", true),
            Map.of());

    private static final Map<String, Entity> PREFIXES = Map.ofEntries(
            Map.entry("metric", Entity.METRIC), Map.entry("metrics", Entity.METRIC),
            Map.entry("param", Entity.PARAM), Map.entry("params", Entity.PARAM),
            Map.entry("parameter", Entity.PARAM), Map.entry("parameters", Entity.PARAM),
            Map.entry("tag", Entity.TAG), Map.entry("tags", Entity.TAG),
            Map.entry("attribute", Entity.ATTRIBUTE), Map.entry("attributes", Entity.ATTRIBUTE),
            Map.entry("attr", Entity.ATTRIBUTE), Map.entry("run", Entity.ATTRIBUTE));

    enum Kind { WORD, STRING, OPERATOR, OPEN, CLOSE, COMMA }

    record Token(Kind kind, String text) {
        boolean isWord(String word) {
            return kind == Kind.WORD && text.equalsIgnoreCase(word);
        }
    }

    /** An entity and key; for attributes, {@code numeric} tells how values compare. */
    record Identifier(Entity entity, String key, boolean numeric) {}

    static List<Token> tokenize(String text) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'' || c == '"' || c == '`') {
                int end = text.indexOf(c, i + 1);
                if (end < 0) {
                    throw invalid("unterminated quote in '" + text + "'");
                }
                tokens.add(new Token(Kind.STRING, text.substring(i + 1, end)));
                i = end + 1;
            } else if ("=!<>".indexOf(c) >= 0) {
                int end = i + 1;
                while (end < text.length() && "=<>".indexOf(text.charAt(end)) >= 0) {
                    end++;
                }
                tokens.add(new Token(Kind.OPERATOR, text.substring(i, end)));
                i = end;
            } else if (c == '(' || c == ')' || c == ',') {
                tokens.add(new Token(c == '(' ? Kind.OPEN : c == ')' ? Kind.CLOSE : Kind.COMMA, String.valueOf(c)));
                i++;
            } else {
                int end = i;
                while (end < text.length() && !Character.isWhitespace(text.charAt(end))
                        && "'\"`=!<>(),".indexOf(text.charAt(end)) < 0) {
                    end++;
                }
                tokens.add(new Token(Kind.WORD, text.substring(i, end)));
                i = end;
            }
        }
        return tokens;
    }

    /** Reads an identifier starting at {@code tokens[position[0]]} and advances the position. */
    static Identifier identifier(List<Token> tokens, int[] position, Schema schema) {
        Token first = take(tokens, position, "an identifier");
        String prefix;
        String key;
        int dot = first.text().indexOf('.');
        if (first.kind() == Kind.WORD && dot > 0) {
            prefix = first.text().substring(0, dot);
            key = first.text().substring(dot + 1);
            if (key.isEmpty()) {
                Token quoted = take(tokens, position, "a key after '" + first.text() + "'");
                if (quoted.kind() != Kind.STRING) {
                    throw invalid("expected a quoted key after '" + first.text() + "'");
                }
                key = quoted.text();
            }
        } else if (first.kind() == Kind.WORD || first.kind() == Kind.STRING) {
            prefix = "attributes";
            key = first.text();
        } else {
            throw invalid("expected an identifier, found '" + first.text() + "'");
        }
        Entity entity = PREFIXES.get(prefix.toLowerCase(Locale.ROOT));
        if (entity == null || !schema.entities().contains(entity)) {
            throw invalid("Invalid entity type '" + prefix + "'. Valid values are "
                    + schema.entities().stream().map(e -> e.name().toLowerCase(Locale.ROOT) + "s").sorted().toList());
        }
        if (entity != Entity.ATTRIBUTE) {
            return new Identifier(entity, key, entity == Entity.METRIC);
        }
        String attribute = schema.aliases().getOrDefault(key, key);
        Boolean numeric = schema.numericByAttribute().get(attribute);
        if (numeric == null) {
            throw invalid("Invalid attribute key '" + key + "' specified. Valid keys are "
                    + schema.numericByAttribute().keySet().stream().sorted().toList());
        }
        return new Identifier(Entity.ATTRIBUTE, attribute, numeric);
    }

    static Token take(List<Token> tokens, int[] position, String expected) {
        if (position[0] >= tokens.size()) {
            throw invalid("expected " + expected + " but the text ended");
        }
        return tokens.get(position[0]++);
    }

    static ApiError invalid(String detail) {
        return ApiError.invalidParameter("Invalid search expression: " + detail);
    }
}
