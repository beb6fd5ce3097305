package io.github.mlflowsecretsauth.tracking.memory;

import io.github.mlflowsecretsauth.tracking.memory.SearchSyntax.Identifier;
import io.github.mlflowsecretsauth.tracking.memory.SearchSyntax.Token;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * MLflow's {@code order_by}: a list of {@code <identifier> [ASC|DESC]} (ascending by default),
 * applied in order; items without the value sort last in either direction, as in MLflow's SQL
 * store; ties fall back to a search's default order.
 *
 * <p>Thread-safe: stateless.
 */
final class SearchOrder {

    private SearchOrder() {}

    /**
     * A comparator for {@code orderBy} followed by {@code fallback}.
     *
     * @param lookup gives, for an item and an identifier, a String, a Number or null
     */
    static <T> Comparator<T> parse(List<String> orderBy, SearchSyntax.Schema schema,
                                   Function<T, Function<Identifier, Object>> lookup, Comparator<T> fallback) {
        Comparator<T> order = (a, b) -> 0;
        for (String item : orderBy) {
            if (item == null || item.isBlank()) {
                continue;
            }
            List<Token> tokens = SearchSyntax.tokenize(item);
            int[] position = {0};
            Identifier identifier = SearchSyntax.identifier(tokens, position, schema);
            boolean descending = false;
            if (position[0] < tokens.size()) {
                Token direction = tokens.get(position[0]++);
                if (direction.isWord("DESC")) {
                    descending = true;
                } else if (!direction.isWord("ASC")) {
                    throw SearchSyntax.invalid("Invalid order_by clause '" + item + "'");
                }
            }
            if (position[0] != tokens.size()) {
                throw SearchSyntax.invalid("Invalid order_by clause '" + item + "'");
            }
            boolean reverse = descending;
            order = order.thenComparing((a, b) -> compare(lookup.apply(a).apply(identifier),
                    lookup.apply(b).apply(identifier), reverse));
        }
        return order.thenComparing(fallback);
    }

    private static int compare(Object a, Object b, boolean descending) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : 1) : -1;
        }
        int compared = a instanceof Number && b instanceof Number
                ? Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue())
                : a.toString().compareTo(b.toString());
        return descending ? -compared : compared;
    }
}
