package io.github.mlflowsecretsauth.testkit.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VaultServerNamespaceTest {

    private VaultServer vault;

    @BeforeEach
    void start() {
        vault = VaultServer.builder().namespace("team-a").namespace("team-b").start();
        vault.putSecret("secret/mlflow/auth", Map.of("token", "root-ns"));
        vault.putSecret("team-a", "secret/mlflow/auth", Map.of("token", "team-a"));
        vault.putSecret("team-b", "secret/mlflow/auth", Map.of("token", "team-b"));
    }

    @AfterEach
    void stop() {
        vault.close();
    }

    private String token(String namespace) {
        return vault.createToken(TokenSpec.builder().namespace(namespace).build());
    }

    @Test
    void theNamespaceHeaderSelectsThatNamespacesSecrets() throws Exception {
        VaultHttp client = new VaultHttp(vault.address()).namespace("team-a").token(token("team-a"));

        VaultHttp.Answer answer = client.get("/v1/secret/data/mlflow/auth");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("data").path("data").path("token").asText()).isEqualTo("team-a");
        assertThat(vault.requests().get(vault.requests().size() - 1).namespaceHeader()).contains("team-a");
    }

    @Test
    void aNamespacePathPrefixWorksLikeTheHeader() throws Exception {
        VaultHttp client = new VaultHttp(vault.address()).token(token("team-b"));

        VaultHttp.Answer answer = client.get("/v1/team-b/secret/data/mlflow/auth");

        assertThat(answer.json().path("data").path("data").path("token").asText()).isEqualTo("team-b");
    }

    @Test
    void aTokenFromAnotherNamespaceIsRefused() throws Exception {
        VaultHttp client = new VaultHttp(vault.address()).namespace("team-b").token(token("team-a"));

        assertThat(client.get("/v1/secret/data/mlflow/auth").status()).isEqualTo(403);
    }

    @Test
    void aNamespacedTokenCannotReadTheRootNamespace() throws Exception {
        VaultHttp client = new VaultHttp(vault.address()).token(token("team-a"));

        assertThat(client.get("/v1/secret/data/mlflow/auth").status()).isEqualTo(403);
    }

    @Test
    void theRootTokenReachesChildNamespaces() throws Exception {
        VaultHttp client = new VaultHttp(vault.address()).namespace("team-a").token(vault.rootToken());

        assertThat(client.get("/v1/secret/data/mlflow/auth").json().path("data").path("data").path("token")
                .asText()).isEqualTo("team-a");
    }

    @Test
    void anUndeclaredNamespaceIsRefused() throws Exception {
        VaultHttp client = new VaultHttp(vault.address()).namespace("team-z").token(vault.rootToken());

        assertThat(client.get("/v1/secret/data/mlflow/auth").status()).isEqualTo(403);
    }

    @Test
    void anAppRoleLogsInOnlyInItsNamespace() throws Exception {
        vault.addAppRole("ci", "rid", "sid", TokenSpec.builder().namespace("team-a").build());
        String body = "{\"role_id\":\"rid\",\"secret_id\":\"sid\"}";

        VaultHttp.Answer inRoot = new VaultHttp(vault.address()).post("/v1/auth/approle/login", body);
        VaultHttp.Answer inTeamA = new VaultHttp(vault.address()).namespace("team-a")
                .post("/v1/auth/approle/login", body);

        assertThat(inRoot.status()).isEqualTo(400);
        assertThat(inTeamA.status()).isEqualTo(200);
        String token = inTeamA.json().path("auth").path("client_token").asText();
        assertThat(new VaultHttp(vault.address()).namespace("team-a").token(token)
                .get("/v1/secret/data/mlflow/auth").status()).isEqualTo(200);
    }

    @Test
    void tokensCannotBeMadeForUndeclaredNamespaces() {
        assertThatThrownBy(() -> token("nowhere")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not declared");
    }
}
