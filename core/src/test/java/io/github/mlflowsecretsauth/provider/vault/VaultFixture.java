package io.github.mlflowsecretsauth.provider.vault;

import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.spi.ProviderContext;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import io.github.mlflowsecretsauth.testing.FakeClock;
import io.github.mlflowsecretsauth.testing.ManualScheduler;
import io.github.mlflowsecretsauth.testkit.jwt.TokenKey;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A testkit Vault with one secret, a fake clock and scheduler, a jitter source the test sets, and vault providers
 * built from explicit settings only. Kubernetes and JWT tokens are signed by {@link #issuer}.
 */
final class VaultFixture implements AutoCloseable {
    static final String SECRET = "CANARY-vault-login-secret-4c3b2a";

    final FakeClock clock = new FakeClock();
    final ManualScheduler scheduler = new ManualScheduler(clock);
    final AtomicReference<Double> jitter = new AtomicReference<>(0.5);
    final TokenKey issuer = TokenKey.generate("testkit-issuer");
    final VaultServer vault;
    final Path dir;

    VaultFixture() {
        this(false);
    }

    /** {@code tls}: Vault serves HTTPS (asking clients for a certificate), trusted through VAULT_CACERT. */
    VaultFixture(boolean tls) {
        vault = VaultServer.builder().clock(clock).tls(tls).start();
        vault.putSecret("secret/mlflow/auth", Map.of("token", SECRET));
        try {
            dir = Files.createTempDirectory("vault-logins");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** VAULT_ADDR and the secret path, plus {@code extra}. */
    Map<String, String> settings(Map<String, String> extra) {
        Map<String, String> s = new HashMap<>(Map.of("VAULT_ADDR", vault.address().toString(), "MLFLOW_VAULT_SECRET_PATH",
                "secret/mlflow/auth", "MLFLOW_SECRETS_FETCH_TIMEOUT_SEC", "5"));
        if (vault.tls()) {
            s.put("VAULT_CACERT", vault.caCertificatePem().toString());
        }
        s.putAll(extra);
        return s;
    }

    SecretProvider provider(Map<String, String> extra) {
        return new VaultProviderFactory().create(new ProviderContext(Settings.builder().setAll(settings(extra)).build(), clock,
                scheduler, jitter::get, Duration.ofMinutes(5), () -> { }));
    }

    /** A service-account token of {@code namespace}/{@code name}, valid for {@code ttl} from now. */
    String serviceAccountToken(String namespace, String name, String audience, Duration ttl) {
        return issuer.sign("https://kubernetes.default.svc", "system:serviceaccount:" + namespace + ":" + name, audience,
                clock.instant(), clock.instant().plus(ttl), Map.of("kubernetes.io", Map.of("namespace", namespace)));
    }

    Path write(String name, String content) {
        try {
            return Files.writeString(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String token(SecretProvider p) {
        return p.fetch().fields().orElseThrow().get("token").toString();
    }

    @Override
    public void close() {
        vault.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
