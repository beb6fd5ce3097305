package io.github.mlflowsecretsauth.gcp;

import static io.github.mlflowsecretsauth.gcp.testing.GcpFixtures.MLFLOW;
import static io.github.mlflowsecretsauth.gcp.testing.GcpFixtures.SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.gcp.testing.GcpFixtures;
import io.github.mlflowsecretsauth.header.HeaderSnapshot;
import io.github.mlflowsecretsauth.testing.Engines;
import io.github.mlflowsecretsauth.testkit.gcp.GcpFault;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gcp-secret-manager in the provider chain: its priority against file and env, and the fallback when Google fails. */
class ProviderChainTest {
    private final Engines engines = new Engines();
    private GcpFixtures gcp;
    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        gcp = GcpFixtures.start(dir);
        gcp.server.addVersion(SECRET, "gcp-token");
    }

    @AfterEach
    void stop() {
        gcp.close();
    }

    @Test
    void gcpComesBeforeEnv_inPriorityOrder_whateverTheListOrder() {
        try (SecretsAuth auth = engines.engine(gcp.settings("MLFLOW_SECRETS_AUTH_ENABLE", "env,gcp-secret-manager",
                "MLFLOW_TRACKING_TOKEN", "env-token"))) {
            assertThat(auth.chain()).extracting(b -> b.name()).containsExactly("gcp-secret-manager", "env");
            assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization", "Bearer gcp-token");
        }
    }

    @Test
    void whenGoogleKeepsFailing_theNextConfiguredProviderTakesOver() {
        gcp.server.failNext(10, GcpFault.UNAVAILABLE);
        try (SecretsAuth auth = engines.engine(gcp.settings("MLFLOW_SECRETS_AUTH_ENABLE", "gcp-secret-manager,env",
                "MLFLOW_TRACKING_TOKEN", "env-token"))) {
            HeaderSnapshot snap = auth.snapshotFor(MLFLOW).orElseThrow();
            assertThat(snap.headerValue()).isEqualTo("Bearer env-token");
            assertThat(snap.provider()).isEqualTo("env");
        }
    }
}
