package io.github.mlflowsecretsauth.testkit.vault;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VaultServerMountsTest {

    private VaultServer vault;
    private VaultHttp root;

    @BeforeEach
    void start() {
        vault = VaultServer.builder().kvMount("kv1", 1).kvMount("team", 2).start();
        root = new VaultHttp(vault.address()).token(vault.rootToken());
    }

    @AfterEach
    void stop() {
        vault.close();
    }

    @Test
    void aPathInsideTheDefaultSecretMountReportsKvVersion2() throws Exception {
        VaultHttp.Answer answer = root.get("/v1/sys/internal/ui/mounts/secret/mlflow/auth");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("data").path("path").asText()).isEqualTo("secret/");
        assertThat(answer.json().path("data").path("type").asText()).isEqualTo("kv");
        assertThat(answer.json().path("data").path("options").path("version").asText()).isEqualTo("2");
        assertThat(answer.json().path("data").path("accessor").asText()).startsWith("kv_");
    }

    @Test
    void aPathInsideAKv1MountReportsKvVersion1() throws Exception {
        VaultHttp.Answer answer = root.get("/v1/sys/internal/ui/mounts/kv1/mlflow/auth");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("data").path("path").asText()).isEqualTo("kv1/");
        assertThat(answer.json().path("data").path("options").path("version").asText()).isEqualTo("1");
    }

    @Test
    void anExtraKv2MountIsReportedUnderItsOwnPath() throws Exception {
        VaultHttp.Answer answer = root.get("/v1/sys/internal/ui/mounts/team/x");

        assertThat(answer.json().path("data").path("path").asText()).isEqualTo("team/");
        assertThat(answer.json().path("data").path("options").path("version").asText()).isEqualTo("2");
    }

    @Test
    void aPathInNoMountIsAPreflightPermissionError() throws Exception {
        VaultHttp.Answer answer = root.get("/v1/sys/internal/ui/mounts/nowhere/x");

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.errors().get(0).asText())
                .isEqualTo("preflight capability check returned 403, please ensure client's policies grant access"
                        + " to path \"nowhere/x/\"");
    }

    @Test
    void theMountLookupNeedsAValidToken() throws Exception {
        VaultHttp.Answer answer = new VaultHttp(vault.address()).get("/v1/sys/internal/ui/mounts/secret/x");

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.json().toString()).isEqualTo("{\"errors\":[\"permission denied\"]}");
    }

    @Test
    void aTokenMaySeeOnlyMountsItsPolicyReachesInto() throws Exception {
        String token = vault.createToken(TokenSpec.builder().allowedPaths("secret/data/mlflow/*").build());
        VaultHttp client = new VaultHttp(vault.address()).token(token);

        assertThat(client.get("/v1/sys/internal/ui/mounts/secret/mlflow/auth").status()).isEqualTo(200);
        assertThat(client.get("/v1/sys/internal/ui/mounts/kv1/mlflow/auth").status()).isEqualTo(403);
    }

    @Test
    void theMountListIsUnauthenticated() throws Exception {
        VaultHttp.Answer answer = new VaultHttp(vault.address()).get("/v1/sys/internal/ui/mounts");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("data").path("secret").path("kv1/").path("options").path("version").asText())
                .isEqualTo("1");
    }

    @Test
    void sysMountsListsEveryMountForTokensAllowedToReadIt() throws Exception {
        VaultHttp.Answer answer = root.get("/v1/sys/mounts");
        String limited = vault.createToken(TokenSpec.builder().allowedPaths("secret/*").build());

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("data").path("secret/").path("options").path("version").asText()).isEqualTo("2");
        assertThat(answer.json().path("data").path("kv1/").path("options").path("version").asText()).isEqualTo("1");
        assertThat(answer.json().path("kv1/").path("type").asText()).isEqualTo("kv");
        assertThat(new VaultHttp(vault.address()).token(limited).get("/v1/sys/mounts").status()).isEqualTo(403);
    }
}
