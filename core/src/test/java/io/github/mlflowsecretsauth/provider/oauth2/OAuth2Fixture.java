package io.github.mlflowsecretsauth.provider.oauth2;

import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.redact.KnownSecrets;
import io.github.mlflowsecretsauth.spi.ProviderContext;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import io.github.mlflowsecretsauth.testing.FakeClock;
import io.github.mlflowsecretsauth.testing.ManualScheduler;
import io.github.mlflowsecretsauth.testkit.oauth.OAuthTokenServer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** An OAuth testkit IdP with a secret client and a key client, and providers built against it; for the oauth2 tests. */
final class OAuth2Fixture implements AutoCloseable {
    static final String SECRET = "CANARY-oauth2-client-secret-9c1d/+=";
    static final String CLIENT = "mlflow-ci";
    static final String KEY_CLIENT = "mlflow-jwt";

    final FakeClock clock = new FakeClock();
    final ManualScheduler scheduler = new ManualScheduler(clock);
    final KnownSecrets known = new KnownSecrets();
    final OAuthTokenServer idp;
    final KeyPair clientKey;

    OAuth2Fixture() {
        this(OAuthTokenServer.builder());
    }

    OAuth2Fixture(OAuthTokenServer.Builder builder) {
        idp = builder.clock(clock).tokenLifetime(Duration.ofSeconds(300)).start();
        idp.registerClient(CLIENT, SECRET, Set.of("mlflow.read", "mlflow.write"));
        clientKey = rsa();
        idp.registerKeyClient(KEY_CLIENT, (java.security.interfaces.RSAPublicKey) clientKey.getPublic(), Set.of("mlflow.read"));
    }

    static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the client's private key as an unencrypted PKCS#8 PEM file. */
    static Path writePkcs8(KeyPair key, Path file) throws IOException {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getPrivate().getEncoded());
        Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n" + b64 + "\n-----END PRIVATE KEY-----\n");
        return file;
    }

    /** A map of name, value pairs; a value may be null (to remove a setting). */
    static Map<String, String> kv(String... pairs) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    /** Settings for the secret client at the token URL, with {@code extra} on top (a null value removes a setting). */
    Map<String, String> settings(Map<String, String> extra) {
        Map<String, String> s = new HashMap<>(Map.of("MLFLOW_OAUTH2_TOKEN_URL", idp.tokenEndpoint().toString(),
                "MLFLOW_OAUTH2_CLIENT_ID", CLIENT, "MLFLOW_OAUTH2_CLIENT_SECRET", SECRET, "MLFLOW_SECRETS_FETCH_TIMEOUT_SEC", "2"));
        extra.forEach((k, v) -> {
            if (v == null) {
                s.remove(k);
            } else {
                s.put(k, v);
            }
        });
        return s;
    }

    SecretProvider provider(Map<String, String> extra) {
        return new OAuth2ProviderFactory().create(context(settings(extra)));
    }

    ProviderContext context(Map<String, String> settings) {
        return new ProviderContext(Settings.builder().setAll(settings).build(), clock, scheduler,
                () -> 0.5, Duration.ofMinutes(5), () -> { }, known);
    }

    @Override
    public void close() {
        scheduler.close();
        idp.close();
    }
}
