package io.github.mlflowsecretsauth.gcp.idtoken;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.testing.FakeClock;
import io.github.mlflowsecretsauth.testing.ManualScheduler;
import io.github.mlflowsecretsauth.testkit.gcp.GcpSecretManagerServer;
import io.github.mlflowsecretsauth.testkit.gcp.ServiceAccount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;

/**
 * A testkit Google (token endpoint, metadata server, IAM credentials) whose clock is the engine's fake clock,
 * started at the real time (the Google auth library signs its key assertions with the real time and the
 * testkit accepts them within 5 minutes of its own), a service account with a key file, and the settings of
 * the {@code gcp-id-token} provider. {@code CLOUDSDK_CONFIG} is an empty directory: a developer's own gcloud
 * login never joins in.
 */
final class IdTokenFixtures implements AutoCloseable {
    static final String AUDIENCE = "https://mlflow-abc123-uc.a.run.app";

    final FakeClock clock = new FakeClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    final ManualScheduler scheduler = new ManualScheduler(clock);
    final GcpSecretManagerServer server;
    final ServiceAccount caller;
    final Path keyFile;
    final Path gcloudConfig;

    IdTokenFixtures(Path dir, Duration tokenLifetime) {
        server = GcpSecretManagerServer.builder().clock(clock).tokenLifetime(tokenLifetime).start();
        caller = server.createServiceAccount("mlflow-caller");
        try {
            gcloudConfig = Files.createDirectories(dir.resolve("gcloud"));
            keyFile = server.writeKeyFile(caller, dir.resolve("key.json"));
        } catch (IOException e) {
            server.close();
            throw new UncheckedIOException(e);
        }
    }

    /** The provider enabled with the key file; {@code overrides} are name/value pairs, an empty value removes one. */
    Map<String, String> settings(String... overrides) {
        Map<String, String> s = new HashMap<>();
        s.put("MLFLOW_SECRETS_AUTH_ENABLE", "gcp-id-token");
        s.put("MLFLOW_GCP_ID_TOKEN_AUDIENCE", AUDIENCE);
        s.put("GOOGLE_APPLICATION_CREDENTIALS", keyFile.toString());
        s.put("CLOUDSDK_CONFIG", gcloudConfig.toString());
        s.put("MLFLOW_SECRETS_MAX_RETRIES", "0");
        for (int i = 0; i < overrides.length; i += 2) {
            if (overrides[i + 1].isEmpty()) {
                s.remove(overrides[i]);
            } else {
                s.put(overrides[i], overrides[i + 1]);
            }
        }
        return s;
    }

    SecretsAuth engine(Map<String, String> settings) {
        return SecretsAuth.builder().settings(Settings.builder().setAll(settings).build()).clock(clock).scheduler(scheduler)
                .sleeper(d -> { }).random(() -> 0.5).build();
    }

    @Override
    public void close() {
        scheduler.close();
        server.close();
    }
}
