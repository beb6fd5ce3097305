package io.github.mlflowsecretsauth;

import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.error.MalformedSecretException;
import io.github.mlflowsecretsauth.secret.SecretValue;
import io.github.mlflowsecretsauth.spi.ProviderContext;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import io.github.mlflowsecretsauth.spi.SecretProviderFactory;
import io.github.mlflowsecretsauth.testing.FakeClock;
import io.github.mlflowsecretsauth.testing.ManualScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A credential that carries its own expiry (a token minted by an identity provider) lives until that expiry, not
 * for {@code MLFLOW_X_TTL_SEC}; it is refreshed ahead of it and never served past it; a provider's extra headers
 * go out beside the credential.
 */
class MintedLifetimeTest {
    private static final URI MLFLOW = URI.create("http://mlflow.test/api/2.0/mlflow/runs/create");

    private final FakeClock clock = new FakeClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final AtomicInteger mints = new AtomicInteger();
    private volatile boolean failing;
    private volatile Function<Integer, SecretValue> minter =
            n -> SecretValue.ofText("minted-token-" + n, "test:minted", null).expiringAt(clock.instant().plusSeconds(120));

    @AfterEach
    void close() {
        scheduler.close();
    }

    private SecretsAuth engine() {
        SecretProviderFactory factory = new SecretProviderFactory() {
            public String name() {
                return "minted";
            }

            public int priority() {
                return 70;
            }

            public String settingsPrefix() {
                return "MINTED";
            }

            public List<String> missingSettings(Settings settings) {
                return List.of();
            }

            public SecretProvider create(ProviderContext context) {
                return new SecretProvider() {
                    public String name() {
                        return "minted";
                    }

                    public SecretValue fetch() {
                        if (failing) {
                            throw new BackendUnavailableException("the identity provider is down", null);
                        }
                        return minter.apply(mints.incrementAndGet());
                    }
                };
            }
        };
        Settings settings = Settings.builder().setAll(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "minted",
                "MLFLOW_MINTED_TTL_SEC", "3600", "MLFLOW_SECRETS_STALE_IF_ERROR_SEC", "600",
                "MLFLOW_SECRETS_MAX_RETRIES", "0")).build();
        return SecretsAuth.builder().settings(settings).factories(List.of(factory)).clock(clock).scheduler(scheduler)
                .sleeper(d -> { }).random(() -> 0.5).build();
    }

    @Test
    void aMintedTokenIsRefreshedAheadOfItsOwnExpiry_notAfterTheConfiguredTtl() {
        try (SecretsAuth auth = engine()) {
            assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization", "Bearer minted-token-1");
            scheduler.advance(Duration.ofSeconds(115)); // the background refresh runs before the 120 s expiry
            assertThat(mints.get()).isEqualTo(2);
            assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization", "Bearer minted-token-2");
            assertThat(auth.currentSnapshot().expiresAt()).isPresent();
        }
    }

    @Test
    void aMintedTokenIsNeverServedPastItsExpiry_evenWithinTheStaleIfErrorWindow() {
        try (SecretsAuth auth = engine()) {
            auth.headersFor(MLFLOW);
            failing = true;
            scheduler.advance(Duration.ofSeconds(100));
            assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization", "Bearer minted-token-1");
            scheduler.advance(Duration.ofSeconds(21)); // past the token's own expiry, well inside the 600 s window
            assertThatThrownBy(() -> auth.headersFor(MLFLOW)).isInstanceOf(BackendUnavailableException.class)
                    .hasMessageContaining("the identity provider is down");
        }
    }

    @Test
    void aStoredSecretIsStillServedStaleThroughAnOutage() {
        minter = n -> SecretValue.ofText("stored-token", "test:stored", null);
        try (SecretsAuth auth = engine()) {
            auth.headersFor(MLFLOW);
            failing = true;
            scheduler.advance(Duration.ofSeconds(3700)); // past the 3600 s TTL, inside the grace window
            assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization", "Bearer stored-token");
        }
    }

    @Test
    void aTokenThatArrivesExpired_isAOneLineErrorThatNamesTheClock_andNotTheToken() {
        minter = n -> SecretValue.ofText("expired-token-value", "test:minted", null).expiringAt(clock.instant().minusSeconds(5));
        try (SecretsAuth auth = engine()) {
            assertThatThrownBy(() -> auth.headersFor(MLFLOW)).isInstanceOf(BackendUnavailableException.class)
                    .hasMessageContaining("minted returned a credential that expired at")
                    .hasMessageContaining("clock").hasMessageNotContaining("expired-token-value")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }

    @Test
    void extraHeadersGoOutBesideTheCredential_inTheSnapshotAndTheHeaders() {
        minter = n -> SecretValue.ofText("minted-token-" + n, "test:minted", null)
                .expiringAt(clock.instant().plusSeconds(120)).withExtraHeaders(Map.of("X-MLFLOW-WORKSPACE", "team-a"));
        try (SecretsAuth auth = engine()) {
            assertThat(auth.headersFor(MLFLOW)).containsExactly(Map.entry("Authorization", "Bearer minted-token-1"),
                    Map.entry("X-MLFLOW-WORKSPACE", "team-a"));
        }
    }

    @Test
    void anExtraHeaderThatCouldInjectOrShadowTheCredential_isRefused() {
        minter = n -> SecretValue.ofText("t", "test:minted", null).withExtraHeaders(Map.of("X-MLFLOW-WORKSPACE", "a\r\nX: y"));
        try (SecretsAuth auth = engine()) {
            assertThatThrownBy(() -> auth.headersFor(MLFLOW)).isInstanceOf(MalformedSecretException.class)
                    .hasMessageContaining("X-MLFLOW-WORKSPACE header").hasMessageContaining("control character");
        }
        minter = n -> SecretValue.ofText("t", "test:minted", null).withExtraHeaders(Map.of("authorization", "Basic x"));
        try (SecretsAuth auth = engine()) {
            assertThatThrownBy(() -> auth.headersFor(MLFLOW)).isInstanceOf(MalformedSecretException.class)
                    .hasMessageContaining("the credential header itself");
        }
    }

    @Test
    void expiryIsShownInTheSnapshotsToString_butNeverTheToken() {
        Instant exp = clock.instant().plusSeconds(120);
        SecretValue v = SecretValue.ofText("minted-secret-value-123456789", "test:minted", null).expiringAt(exp);
        assertThat(v.toString()).contains("expiresAt=" + exp).doesNotContain("minted-secret-value");
    }
}
