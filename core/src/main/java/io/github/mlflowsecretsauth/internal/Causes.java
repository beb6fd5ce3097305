package io.github.mlflowsecretsauth.internal;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** The one walk of an exception's cause chain (cycle-safe), for the code that maps failures to one-line errors. */
public final class Causes {
    private Causes() {
    }

    /** {@code e}, its cause, its cause's cause..., each once, even if the chain loops. */
    public static Stream<Throwable> chain(Throwable e) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        return Stream.iterate(e, t -> t != null && seen.put(t, Boolean.TRUE) == null, Throwable::getCause);
    }

    /** The first throwable in the chain that is a {@code type} (a class or an interface). */
    public static <T> Optional<T> find(Throwable e, Class<T> type) {
        return chain(e).filter(type::isInstance).map(type::cast).findFirst();
    }

    /** Whether any throwable in the chain is one of {@code types}. */
    @SafeVarargs
    public static boolean any(Throwable e, Class<? extends Throwable>... types) {
        return chain(e).anyMatch(t -> Stream.of(types).anyMatch(c -> c.isInstance(t)));
    }

    /** Whether any throwable in the chain matches. */
    public static boolean anyMatch(Throwable e, Predicate<Throwable> test) {
        return chain(e).anyMatch(test);
    }
}
