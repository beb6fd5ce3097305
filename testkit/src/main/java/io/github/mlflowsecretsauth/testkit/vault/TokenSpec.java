package io.github.mlflowsecretsauth.testkit.vault;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a token issued by {@link VaultServer} looks like: its lifetime, whether it can be renewed,
 * which logical paths its policy lets it use, and which namespace it belongs to.
 *
 * <p>{@code allowedPaths} are Vault policy path globs relative to the token's namespace, such as
 * {@code secret/data/mlflow/*} (a trailing {@code *} is a prefix match, {@code +} matches one path
 * segment); an empty list allows every path. {@code policies} are only the names reported back
 * (lookup, login). Build one with {@link #builder()}.
 *
 * <p>Thread-safe: immutable.
 *
 * @param ttl initial time to live; {@link Duration#ZERO} means the token never expires
 * @param renewable whether {@code auth/token/renew-self} may extend it
 * @param maxTtl explicit maximum lifetime from issue; {@link Duration#ZERO} means no maximum
 * @param allowedPaths policy path globs; empty allows everything
 * @param namespace the namespace the token lives in; {@code ""} is the root namespace
 * @param policies policy names reported in lookups and logins
 */
public record TokenSpec(Duration ttl, boolean renewable, Duration maxTtl, List<String> allowedPaths,
                        String namespace, List<String> policies) {

    /** Validates and copies the arguments. */
    public TokenSpec {
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(maxTtl, "maxTtl");
        if (ttl.isNegative() || maxTtl.isNegative()) {
            throw new IllegalArgumentException("ttl and maxTtl must not be negative");
        }
        allowedPaths = List.copyOf(allowedPaths);
        namespace = Namespaces.normalize(Objects.requireNonNull(namespace, "namespace"));
        policies = List.copyOf(policies);
    }

    /** A builder starting from: ttl 1h, renewable, no max TTL, all paths, root namespace, policy "default". */
    public static Builder builder() {
        return new Builder();
    }

    /** The default spec (see {@link #builder()}). */
    public static TokenSpec defaults() {
        return builder().build();
    }

    /** Mutable builder for {@link TokenSpec}; not thread-safe. */
    public static final class Builder {
        private Duration ttl = Duration.ofHours(1);
        private boolean renewable = true;
        private Duration maxTtl = Duration.ZERO;
        private List<String> allowedPaths = List.of();
        private String namespace = "";
        private List<String> policies = List.of("default");

        private Builder() {}

        /** Initial TTL; zero means never expires. */
        public Builder ttl(Duration ttl) {
            this.ttl = ttl;
            return this;
        }

        /** Whether the token may be renewed. */
        public Builder renewable(boolean renewable) {
            this.renewable = renewable;
            return this;
        }

        /** Explicit max TTL from issue; zero means none. */
        public Builder maxTtl(Duration maxTtl) {
            this.maxTtl = maxTtl;
            return this;
        }

        /** Policy path globs the token may use; none means all. */
        public Builder allowedPaths(String... globs) {
            this.allowedPaths = List.of(globs);
            return this;
        }

        /** Policy path globs the token may use; empty means all. */
        public Builder allowedPaths(List<String> globs) {
            this.allowedPaths = List.copyOf(globs);
            return this;
        }

        /** Namespace of the token; {@code ""} is the root namespace. */
        public Builder namespace(String namespace) {
            this.namespace = namespace;
            return this;
        }

        /** Policy names to report. */
        public Builder policies(String... policies) {
            this.policies = List.of(policies);
            return this;
        }

        /** Builds the spec. */
        public TokenSpec build() {
            return new TokenSpec(ttl, renewable, maxTtl, allowedPaths, namespace, policies);
        }
    }
}
