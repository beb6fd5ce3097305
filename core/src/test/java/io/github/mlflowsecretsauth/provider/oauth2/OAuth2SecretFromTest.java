package io.github.mlflowsecretsauth.provider.oauth2;

import static io.github.mlflowsecretsauth.provider.oauth2.OAuth2Fixture.CLIENT;
import static io.github.mlflowsecretsauth.provider.oauth2.OAuth2Fixture.SECRET;
import static io.github.mlflowsecretsauth.provider.oauth2.OAuth2Fixture.kv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.error.MalformedSecretException;
import io.github.mlflowsecretsauth.secret.SecretValue;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import io.github.mlflowsecretsauth.testkit.oauth.TokenRequest;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MLFLOW_OAUTH2_CLIENT_SECRET_FROM: the client credentials read through vault (the testkit Vault) and file, JSON or a
 * bare secret, rotation picked up, MLFLOW_OAUTH2_CLIENT_ID winning over the stored id; errors name the secret's
 * location, never its value.
 */
class OAuth2SecretFromTest {
    private static final String ROTATED = "CANARY-oauth2-rotated-secret-77b3";
    private final OAuth2Fixture f = new OAuth2Fixture();
    private VaultServer vault;

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        vault = VaultServer.builder().clock(f.clock).start();
    }

    @AfterEach
    void stop() {
        vault.close();
        f.close();
    }

    private Map<String, String> fromVault(String... extra) {
        Map<String, String> s = kv("MLFLOW_OAUTH2_CLIENT_ID", null, "MLFLOW_OAUTH2_CLIENT_SECRET", null,
                "MLFLOW_OAUTH2_CLIENT_SECRET_FROM", "vault", "VAULT_ADDR", vault.address().toString(), "VAULT_TOKEN", vault.rootToken(),
                "MLFLOW_VAULT_SECRET_PATH", "secret/mlflow/oauth2");
        s.putAll(kv(extra));
        return s;
    }

    private String subject(SecretValue v) {
        return f.idp.signingKey().verify((String) v.fields().orElseThrow().get("token")).orElseThrow().getSubject();
    }

    @Test
    void vaultJson_givesTheIdAndSecret_andARotationIsUsedForTheNextToken() {
        vault.putSecret("secret/mlflow/oauth2", Map.of("client_id", CLIENT, "client_secret", SECRET));
        try (SecretProvider p = f.provider(fromVault())) {
            assertThat(subject(p.fetch())).isEqualTo(CLIENT);
            assertThat(p.describe()).containsEntry("client credentials from", "vault");
            f.idp.rotateSecret(CLIENT, ROTATED);
            vault.putSecret("secret/mlflow/oauth2", Map.of("client_id", CLIENT, "client_secret", ROTATED));
            assertThat(subject(p.fetch())).isEqualTo(CLIENT);
            assertThat(f.idp.tokenRequests()).extracting(TokenRequest::status).containsExactly(200, 200);
            assertThat(vault.requestCount("/v1/secret/data/mlflow/oauth2")).isEqualTo(2);
        }
    }

    @Test
    void theConfiguredClientId_winsOverTheStoredOne() {
        vault.putSecret("secret/mlflow/oauth2", Map.of("client_id", "some-other-client", "client_secret", SECRET));
        try (SecretProvider p = f.provider(fromVault("MLFLOW_OAUTH2_CLIENT_ID", CLIENT))) {
            assertThat(subject(p.fetch())).isEqualTo(CLIENT);
        }
    }

    @Test
    void aStoredSecretWithoutAnId_needsTheClientIdVariable() {
        vault.putSecret("secret/mlflow/oauth2", Map.of("client_secret", SECRET));
        try (SecretProvider p = f.provider(fromVault())) {
            assertThatThrownBy(p::fetch).isInstanceOf(ConfigurationException.class).hasMessageContaining("MLFLOW_OAUTH2_CLIENT_ID is not set")
                    .hasMessageContaining("secret/mlflow/oauth2").hasMessageNotContaining(SECRET);
        }
        vault.putSecret("secret/mlflow/oauth2", Map.of("token", SECRET));
        try (SecretProvider p = f.provider(fromVault("MLFLOW_OAUTH2_CLIENT_ID", CLIENT))) {
            assertThatThrownBy(p::fetch).isInstanceOf(MalformedSecretException.class).hasMessageContaining("holds no client_secret")
                    .hasMessageContaining("MLFLOW_OAUTH2_CLIENT_SECRET_FROM=vault").hasMessageNotContaining(SECRET);
        }
    }

    private Map<String, String> fromFile(Path file) {
        return kv("MLFLOW_OAUTH2_CLIENT_SECRET", null, "MLFLOW_OAUTH2_CLIENT_SECRET_FROM", "file",
                "MLFLOW_FILE_SECRET_PATH", file.toString(), "MLFLOW_FILE_POLL_SEC", "2");
    }

    @Test
    void aFileWithJson_orABareSecret_works() throws Exception {
        Path file = Files.writeString(dir.resolve("client.json"), "{\"client_id\": \"" + CLIENT + "\", \"client_secret\": \"" + SECRET + "\"}");
        Map<String, String> s = fromFile(file);
        s.put("MLFLOW_OAUTH2_CLIENT_ID", null);
        try (SecretProvider p = f.provider(s)) {
            assertThat(subject(p.fetch())).isEqualTo(CLIENT);
        }
        Files.writeString(file, SECRET + "\n");
        try (SecretProvider p = f.provider(fromFile(file))) {
            assertThat(subject(p.fetch())).isEqualTo(CLIENT);
        }
        Files.writeString(file, "{\"client_id\": \"" + CLIENT + "\", \"client_secret\": ");
        try (SecretProvider p = f.provider(fromFile(file))) {
            assertThatThrownBy(p::fetch).isInstanceOf(MalformedSecretException.class).hasMessageContaining("not valid JSON")
                    .hasMessageContaining(file.toString()).hasMessageNotContaining(SECRET);
        }
    }

    @Test
    void aRotatedFile_isPickedUpByTheEngineAtOnce_withoutWaitingForTheTokensExpiry() throws Exception {
        Path file = Files.writeString(dir.resolve("client-secret"), SECRET);
        Map<String, String> s = f.settings(fromFile(file));
        s.put("MLFLOW_SECRETS_AUTH_ENABLE", "oauth2"); // file needs no place in the list for this
        URI mlflow = URI.create("http://mlflow.test/api/2.0/mlflow/runs/create");
        try (SecretsAuth auth = SecretsAuth.builder().settings(Settings.builder().setAll(s).build()).clock(f.clock)
                .scheduler(f.scheduler).sleeper(d -> { }).random(() -> 0.5).build()) {
            String first = auth.headersFor(mlflow).get("Authorization");
            f.idp.rotateSecret(CLIENT, ROTATED);
            Files.writeString(file, ROTATED);
            f.scheduler.advance(Duration.ofSeconds(3)); // one poll of the file: far inside the token's 300 s
            assertThat(f.idp.tokenRequests()).extracting(TokenRequest::status).containsExactly(200, 200);
            assertThat(auth.headersFor(mlflow).get("Authorization")).isNotEqualTo(first);
        }
    }
}
