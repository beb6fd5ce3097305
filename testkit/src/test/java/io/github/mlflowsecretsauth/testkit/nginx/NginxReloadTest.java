package io.github.mlflowsecretsauth.testkit.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NginxReloadTest {

    private final Http http = new Http();
    private EchoUpstream upstream;
    private Nginx nginx;

    @BeforeAll
    static void nginxIsInstalled() {
        Nginx.requireAvailable();
        assumeTrue(Nginx.isAvailable(), Nginx.NOT_INSTALLED);
    }

    @BeforeEach
    void startUpstream() throws Exception {
        upstream = new EchoUpstream();
    }

    @AfterEach
    void stop() {
        if (nginx != null) {
            nginx.close();
        }
        upstream.close();
    }

    private int statusWithBearer(String token) throws Exception {
        return http.get(nginx.uri(), "/api", "Authorization", Http.bearer(token)).statusCode();
    }

    @Test
    void aBearerRotationAcceptsBothTokensDuringTheOverlapAndOnlyTheNewOneAfter() throws Exception {
        nginx = Nginx.builder().upstream(upstream.uri()).bearerTokens("old-token").start();
        long masterPid = nginx.pid();
        assertThat(statusWithBearer("old-token")).isEqualTo(200);
        assertThat(statusWithBearer("new-token")).isEqualTo(401);

        nginx.setBearerTokens("old-token", "new-token");

        assertThat(statusWithBearer("old-token")).isEqualTo(200);
        assertThat(statusWithBearer("new-token")).isEqualTo(200);

        nginx.setBearerTokens("new-token");

        assertThat(statusWithBearer("old-token")).isEqualTo(401);
        assertThat(statusWithBearer("new-token")).isEqualTo(200);
        assertThat(nginx.pid()).as("a reload keeps the master process").isEqualTo(masterPid);
        assertThat(nginx.accessRules().bearerTokens()).containsExactly("new-token");
    }

    @Test
    void everyReloadIsInEffectForTheVeryNextRequest() throws Exception {
        nginx = Nginx.builder().upstream(upstream.uri()).bearerTokens("t0").start();

        for (int i = 1; i <= 5; i++) {
            nginx.setBearerTokens("t" + i);
            assertThat(statusWithBearer("t" + (i - 1))).as("old token after reload %d", i).isEqualTo(401);
            assertThat(statusWithBearer("t" + i)).as("new token after reload %d", i).isEqualTo(200);
        }
    }

    @Test
    void aBasicPasswordRotationRejectsTheOldPassword() throws Exception {
        nginx = Nginx.builder().upstream(upstream.uri()).basicAuth("alice", "old").start();
        assertThat(http.get(nginx.uri(), "/", "Authorization", Http.basic("alice", "old")).statusCode()).isEqualTo(200);

        nginx.setBasicAuth("alice", "new");

        assertThat(http.get(nginx.uri(), "/", "Authorization", Http.basic("alice", "old")).statusCode()).isEqualTo(401);
        assertThat(http.get(nginx.uri(), "/", "Authorization", Http.basic("alice", "new")).statusCode()).isEqualTo(200);
    }

    @Test
    void aBasicPasswordRewrittenInPlace_takesEffectWithoutAReload() throws Exception {
        nginx = Nginx.builder().upstream(upstream.uri()).basicAuth("alice", "old").start();
        assertThat(http.get(nginx.uri(), "/", "Authorization", Http.basic("alice", "old")).statusCode()).isEqualTo(200);
        var workers = nginx.workerPids();
        String config = nginx.config();

        nginx.rewriteBasicUsers(java.util.Map.of("alice", "new"));

        assertThat(http.get(nginx.uri(), "/", "Authorization", Http.basic("alice", "old")).statusCode()).isEqualTo(401);
        assertThat(http.get(nginx.uri(), "/", "Authorization", Http.basic("alice", "new")).statusCode()).isEqualTo(200);
        assertThat(nginx.workerPids()).as("no reload: the same workers").isEqualTo(workers).isNotEmpty();
        assertThat(nginx.config()).isEqualTo(config);
        assertThat(nginx.accessRules().basicUsers()).containsOnlyKeys("alice");
    }

    @Test
    void replaceCredentialsSwitchesFromBasicToBearerInOneReload() throws Exception {
        nginx = Nginx.builder().upstream(upstream.uri()).basicAuth("alice", "pw").start();

        nginx.replaceCredentials(AccessRules.none().withBearerTokens("tok"));

        assertThat(http.get(nginx.uri(), "/", "Authorization", Http.basic("alice", "pw")).statusCode()).isEqualTo(401);
        assertThat(statusWithBearer("tok")).isEqualTo(200);
    }

    @Test
    void aCustomHeaderCanBeRotatedAndTurnedOff() throws Exception {
        nginx = Nginx.builder().upstream(upstream.uri()).customHeader("X-Api-Key", "k1").start();

        nginx.setCustomHeader("X-Api-Key", "k2");
        assertThat(http.get(nginx.uri(), "/", "X-Api-Key", "k1").statusCode()).isEqualTo(401);
        assertThat(http.get(nginx.uri(), "/", "X-Api-Key", "k2").statusCode()).isEqualTo(200);

        nginx.setCustomHeader("X-Api-Key");
        assertThat(http.get(nginx.uri(), "/").statusCode()).isEqualTo(200);
    }

    @Test
    void mixingBasicAndBearerIsRefusedAndLeavesTheRunningRulesInForce() throws Exception {
        nginx = Nginx.builder().upstream(upstream.uri()).basicAuth("alice", "pw").start();

        assertThatThrownBy(() -> nginx.setBearerTokens("tok"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("choose one");
        assertThat(http.get(nginx.uri(), "/", "Authorization", Http.basic("alice", "pw")).statusCode()).isEqualTo(200);
        assertThat(nginx.accessRules().basicUsers()).isEqualTo(Map.of("alice", "pw"));
    }

    @Test
    void aClosedNginxRefusesToReload() {
        nginx = Nginx.builder().upstream(upstream.uri()).bearerTokens("a").start();
        nginx.close();

        assertThatThrownBy(() -> nginx.setBearerTokens("b"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
