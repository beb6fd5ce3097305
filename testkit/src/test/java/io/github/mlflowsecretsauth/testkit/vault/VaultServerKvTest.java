package io.github.mlflowsecretsauth.testkit.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mlflowsecretsauth.tracking.memory.MutableClock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VaultServerKvTest {

    private final MutableClock clock = MutableClock.startingAt("2026-01-02T03:04:05Z");
    private VaultServer vault;
    private VaultHttp http;

    @BeforeEach
    void start() {
        vault = VaultServer.builder().clock(clock).kvMount("kv1", 1).start();
        http = new VaultHttp(vault.address()).token(vault.rootToken());
    }

    @AfterEach
    void stop() {
        vault.close();
    }

    @Test
    void listensOnLoopbackWithAnEphemeralPortAndRootTokenRoot() {
        assertThat(vault.address().toString()).isEqualTo("http://127.0.0.1:" + vault.port());
        assertThat(vault.port()).isPositive();
        assertThat(vault.rootToken()).isEqualTo("root");
        assertThat(vault.tls()).isFalse();
    }

    @Test
    void aKv2SecretWrittenOverHttpReadsBackInVaultsEnvelope() throws Exception {
        VaultHttp.Answer written = http.post("/v1/secret/data/mlflow/auth", "{\"data\":{\"token\":\"abc\"}}");
        assertThat(written.status()).isEqualTo(200);
        assertThat(written.json().path("data").path("version").asInt()).isEqualTo(1);
        assertThat(written.json().path("data").path("created_time").asText()).isEqualTo("2026-01-02T03:04:05Z");

        VaultHttp.Answer read = http.get("/v1/secret/data/mlflow/auth");

        assertThat(read.status()).isEqualTo(200);
        assertThat(read.contentType()).startsWith("application/json");
        assertThat(read.json().path("lease_id").asText()).isEmpty();
        assertThat(read.json().path("renewable").asBoolean()).isFalse();
        assertThat(read.json().path("lease_duration").asInt()).isZero();
        assertThat(read.json().has("request_id")).isTrue();
        assertThat(read.json().path("data").path("data").path("token").asText()).isEqualTo("abc");
        assertThat(read.json().path("data").path("metadata").path("version").asInt()).isEqualTo(1);
        assertThat(read.json().path("data").path("metadata").path("deletion_time").asText()).isEmpty();
        assertThat(read.json().path("data").path("metadata").path("destroyed").asBoolean()).isFalse();
        assertThat(read.json().path("data").path("metadata").path("custom_metadata").isNull()).isTrue();
        assertThat(read.json().path("wrap_info").isNull()).isTrue();
        assertThat(read.json().path("auth").isNull()).isTrue();
    }

    @Test
    void eachKv2WriteMakesANewVersionAndOldVersionsStayReadable() throws Exception {
        assertThat(vault.putSecret("secret/mlflow/auth", Map.of("token", "one"))).isEqualTo(1);
        assertThat(vault.putSecret("secret/mlflow/auth", Map.of("token", "two"))).isEqualTo(2);

        VaultHttp.Answer latest = http.get("/v1/secret/data/mlflow/auth");
        VaultHttp.Answer first = http.get("/v1/secret/data/mlflow/auth?version=1");

        assertThat(latest.json().path("data").path("data").path("token").asText()).isEqualTo("two");
        assertThat(latest.json().path("data").path("metadata").path("version").asInt()).isEqualTo(2);
        assertThat(first.json().path("data").path("data").path("token").asText()).isEqualTo("one");
        assertThat(http.get("/v1/secret/data/mlflow/auth?version=3").status()).isEqualTo(404);
    }

    @Test
    void aMissingKv2SecretIs404WithAnEmptyErrorList() throws Exception {
        VaultHttp.Answer answer = http.get("/v1/secret/data/nothing/here");

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.json().toString()).isEqualTo("{\"errors\":[]}");
    }

    @Test
    void readingAKv2MountWithoutTheDataPrefixIs404WithVaultsWarning() throws Exception {
        vault.putSecret("secret/mlflow/auth", Map.of("token", "abc"));

        VaultHttp.Answer answer = http.get("/v1/secret/mlflow/auth");

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.json().path("data").isNull()).isTrue();
        assertThat(answer.json().path("warnings").get(0).asText())
                .startsWith("Invalid path for a versioned K/V secrets engine");
    }

    @Test
    void aCheckAndSetWriteWithAStaleVersionIsRejected() throws Exception {
        vault.putSecret("secret/app", Map.of("k", "v"));

        VaultHttp.Answer answer = http.post("/v1/secret/data/app", "{\"options\":{\"cas\":0},\"data\":{\"k\":\"w\"}}");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.errors().get(0).asText()).contains("check-and-set");
    }

    @Test
    void aSoftDeletedLatestVersionReads404WithItsDeletionTime() throws Exception {
        vault.putSecret("secret/app", Map.of("k", "v"));
        clock.advance(java.time.Duration.ofMinutes(1));

        assertThat(http.send("DELETE", "/v1/secret/data/app", null).status()).isEqualTo(204);
        VaultHttp.Answer answer = http.get("/v1/secret/data/app");

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.json().path("data").path("data").isNull()).isTrue();
        assertThat(answer.json().path("data").path("metadata").path("deletion_time").asText())
                .isEqualTo("2026-01-02T03:05:05Z");
    }

    @Test
    void kv2MetadataListsEveryVersion() throws Exception {
        vault.putSecret("secret/app", Map.of("k", "1"));
        vault.putSecret("secret/app", Map.of("k", "2"));

        VaultHttp.Answer answer = http.get("/v1/secret/metadata/app");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("data").path("current_version").asInt()).isEqualTo(2);
        assertThat(answer.json().path("data").path("versions").has("1")).isTrue();
        assertThat(answer.json().path("data").path("versions").has("2")).isTrue();
    }

    @Test
    void deleteSecretRemovesEveryVersion() throws Exception {
        vault.putSecret("secret/app", Map.of("k", "1"));

        assertThat(vault.deleteSecret("secret/app")).isTrue();

        assertThat(http.get("/v1/secret/data/app").status()).isEqualTo(404);
        assertThat(vault.deleteSecret("secret/app")).isFalse();
    }

    @Test
    void aKv1SecretReadsFlatWithTheDefaultLeaseDuration() throws Exception {
        vault.putSecret("kv1/mlflow/auth", Map.of("username", "u", "password", "p"));

        VaultHttp.Answer answer = http.get("/v1/kv1/mlflow/auth");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("data").path("username").asText()).isEqualTo("u");
        assertThat(answer.json().path("data").path("password").asText()).isEqualTo("p");
        assertThat(answer.json().path("lease_duration").asLong()).isEqualTo(2764800L);
        assertThat(answer.json().path("lease_id").asText()).isEmpty();
        assertThat(answer.json().path("renewable").asBoolean()).isFalse();
    }

    @Test
    void aKv1SecretWithATtlFieldAdvertisesItAsLeaseDuration() throws Exception {
        assertThat(http.post("/v1/kv1/app", "{\"token\":\"x\",\"ttl\":\"1h\"}").status()).isEqualTo(204);

        VaultHttp.Answer answer = http.get("/v1/kv1/app");

        assertThat(answer.json().path("lease_duration").asLong()).isEqualTo(3600L);
        assertThat(answer.json().path("data").path("token").asText()).isEqualTo("x");
    }

    @Test
    void aMissingKv1SecretIs404() throws Exception {
        assertThat(http.get("/v1/kv1/none").status()).isEqualTo(404);
    }

    @Test
    void anUnmountedPathHasNoHandler() throws Exception {
        VaultHttp.Answer answer = http.get("/v1/nowhere/x");

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.errors().get(0).asText()).startsWith("no handler for route");
    }

    @Test
    void aMethodTheEndpointDoesNotSupportIs405() throws Exception {
        assertThat(http.send("PATCH", "/v1/kv1/app", "{}").status()).isEqualTo(405);
    }

    @Test
    void invalidJsonIs400() throws Exception {
        VaultHttp.Answer answer = http.post("/v1/secret/data/app", "{not json");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.errors().get(0).asText()).startsWith("failed to parse JSON input");
    }

    @Test
    void putSecretRefusesAPathOutsideEveryMount() {
        assertThatThrownBy(() -> vault.putSecret("elsewhere/x", Map.of("k", "v")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no KV mount");
    }
}
