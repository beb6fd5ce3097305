package io.github.mlflowsecretsauth.bench.hotpath;

import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.secret.SecretValue;
import io.github.mlflowsecretsauth.spi.ProviderContext;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import io.github.mlflowsecretsauth.spi.SecretProviderFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A provider named {@code inmem} whose secret is a constant in memory, so a benchmark measures the
 * engine and not a network. Passed to {@code SecretsAuth.builder().factories(...)}; not registered
 * with {@link java.util.ServiceLoader}. Thread-safe; counts its fetches.
 */
public final class InMemoryProviderFactory implements SecretProviderFactory {
    public static final String NAME = "inmem";
    /** A JWT-sized token, so header rendering handles a realistic length. */
    public static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtbGZsb3ctYmVuY2giLCJleHAiOjQxMDI0NDQ4MDB9.c2lnbmF0dXJlLWJlbmNo";

    private final AtomicLong fetches = new AtomicLong();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public String settingsPrefix() {
        return "INMEM";
    }

    @Override
    public List<String> missingSettings(Settings settings) {
        return List.of();
    }

    @Override
    public SecretProvider create(ProviderContext context) {
        return new SecretProvider() {
            @Override
            public String name() {
                return NAME;
            }

            @Override
            public SecretValue fetch() {
                fetches.incrementAndGet();
                return SecretValue.ofFields(Map.of("token", TOKEN), "inmem:bench", null);
            }
        };
    }

    /** Fetches made by every provider this factory created. */
    public long fetches() {
        return fetches.get();
    }
}
