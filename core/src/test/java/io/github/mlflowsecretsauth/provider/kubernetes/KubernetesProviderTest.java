package io.github.mlflowsecretsauth.provider.kubernetes;

import com.nimbusds.jwt.JWTClaimsSet;
import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.error.MalformedSecretException;
import io.github.mlflowsecretsauth.error.SecretNotFoundException;
import io.github.mlflowsecretsauth.error.SecretsAuthException;
import io.github.mlflowsecretsauth.testing.Engines;
import io.github.mlflowsecretsauth.testkit.jwt.TokenKey;
import io.github.mlflowsecretsauth.testkit.kubernetes.ProjectedVolume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The kubernetes provider: a projected service-account token, its rotation, its lifetime, MLflow's workspace header. */
class KubernetesProviderTest {
    private static final URI MLFLOW = URI.create("http://mlflow/api/2.0/mlflow/runs/create");
    private static final TokenKey KEY = TokenKey.generate("k8s-test");
    private final Engines engines = new Engines();

    private String token(String sa, Duration lifetime) {
        Instant now = engines.clock.instant();
        return ProjectedVolume.serviceAccountToken(KEY, "team-a", sa, "mlflow", now, now.plus(lifetime));
    }

    private SecretsAuth engine(Path tokenFile, String... more) {
        Map<String, String> s = new HashMap<>(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "kubernetes",
                "MLFLOW_KUBERNETES_TOKEN_PATH", tokenFile.toString(), "MLFLOW_SECRETS_MAX_RETRIES", "0"));
        for (int i = 0; i < more.length; i += 2) {
            s.put(more[i], more[i + 1]);
        }
        return engines.engine(s);
    }

    @Test
    void theTokenIsABearerCredential_andThePodsNamespaceIsTheWorkspaceHeader(@TempDir Path dir) {
        String t = token("trainer", Duration.ofHours(1));
        ProjectedVolume volume = ProjectedVolume.create(dir, "team-a", t);
        try (SecretsAuth auth = engine(volume.tokenPath())) {
            assertThat(auth.headersFor(MLFLOW)).containsExactly(Map.entry("Authorization", "Bearer " + t),
                    Map.entry("X-MLFLOW-WORKSPACE", "team-a"));
        }
    }

    @Test
    void mlflowWorkspace_winsOverTheNamespaceFile(@TempDir Path dir) {
        ProjectedVolume volume = ProjectedVolume.create(dir, "team-a", token("trainer", Duration.ofHours(1)));
        try (SecretsAuth auth = engine(volume.tokenPath(), "MLFLOW_WORKSPACE", "shared-ws")) {
            assertThat(auth.headersFor(MLFLOW)).containsEntry("X-MLFLOW-WORKSPACE", "shared-ws");
        }
    }

    /** The provider alone, with the pod's default namespace file at {@code podNamespace} (not the real mount). */
    private KubernetesTokenProvider provider(Path tokenFile, Path podNamespace) {
        return new KubernetesTokenProvider(tokenFile, java.util.Optional.empty(), podNamespace, Duration.ofSeconds(2),
                Duration.ofMinutes(5), engines.clock, engines.scheduler, () -> { });
    }

    @Test
    void withoutAWorkspace_noWorkspaceHeaderIsSent(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("token"), token("trainer", Duration.ofHours(1)));
        try (KubernetesTokenProvider p = provider(f, dir.resolve("no-such-dir/namespace"))) {
            assertThat(p.fetch().extraHeaders()).isEmpty();
            assertThat(p.describe()).containsEntry("workspace", "none: no X-MLFLOW-WORKSPACE header is sent");
        }
    }

    @Test
    void aTokenOnlyVolume_takesTheWorkspaceFromThePodsDefaultMount(@TempDir Path dir) throws Exception {
        Path volume = Files.createDirectory(dir.resolve("mlflow-token"));
        Path f = Files.writeString(volume.resolve("token"), token("trainer", Duration.ofHours(1)));
        Path pod = Files.createDirectory(dir.resolve("serviceaccount"));
        Path ns = Files.writeString(pod.resolve("namespace"), "team-b\n");
        try (KubernetesTokenProvider p = provider(f, ns)) {
            assertThat(p.fetch().extraHeaders()).containsExactly(Map.entry("X-MLFLOW-WORKSPACE", "team-b"));
            assertThat(p.describe()).containsEntry("workspace", "team-b (" + ns + ")");
        }
    }

    @Test
    void theKubeletsSymlinkSwap_isInUseAtTheNextPoll_andTheFileIsReadOncePerRotation(@TempDir Path dir) {
        String first = token("trainer", Duration.ofHours(1));
        ProjectedVolume volume = ProjectedVolume.create(dir, "team-a", first);
        try (SecretsAuth auth = engine(volume.tokenPath())) {
            for (int i = 0; i < 200; i++) {
                assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization", "Bearer " + first);
            }
            String second = token("trainer-2", Duration.ofHours(1));
            volume.rotate(second);
            engines.scheduler.advance(Duration.ofSeconds(2)); // the default poll interval
            for (int i = 0; i < 200; i++) {
                assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization", "Bearer " + second);
            }
            assertThat(auth.cacheStats().completedFetches()).isEqualTo(2);
        }
    }

    @Test
    void theTokensOwnExp_isItsLifetime_notTheTtlSetting(@TempDir Path dir) {
        String t = token("trainer", Duration.ofMinutes(10));
        ProjectedVolume volume = ProjectedVolume.create(dir, "team-a", t);
        try (SecretsAuth auth = engine(volume.tokenPath(), "MLFLOW_KUBERNETES_TTL_SEC", "3600")) {
            auth.headersFor(MLFLOW);
            assertThat(auth.currentSnapshot().expiresAt()).contains(engines.clock.instant().plus(Duration.ofMinutes(10)));
            String rotated = token("trainer-2", Duration.ofMinutes(10));
            volume.rotate(rotated);
            engines.scheduler.advance(Duration.ofSeconds(2));
            assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization", "Bearer " + rotated);
        }
    }

    /** What {@code status} reports: the next re-read comes from the token's own exp, not from the TTL setting. */
    @Test
    void statusShowsTheNextRefresh_aheadOfTheTokensExp(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("token"), token("trainer", Duration.ofMinutes(10)));
        try (SecretsAuth auth = engine(f, "MLFLOW_KUBERNETES_TTL_SEC", "3600")) {
            assertThat(auth.status().nextRefresh()).as("nothing read yet").isEmpty();
            auth.headersFor(MLFLOW);
            Instant exp = engines.clock.instant().plus(Duration.ofMinutes(10));
            Instant due = auth.status().nextRefresh().orElseThrow();
            System.out.println("kubernetes: read at " + engines.clock.instant() + ", exp " + exp + ", next refresh " + due);
            assertThat(due).isAfter(engines.clock.instant()).isBefore(exp);
            long before = auth.cacheStats().completedFetches();
            engines.scheduler.advance(Duration.between(engines.clock.instant(), due).minusSeconds(1));
            assertThat(auth.cacheStats().completedFetches()).as("the file polls alone read nothing").isEqualTo(before);
            engines.scheduler.advance(Duration.ofSeconds(1));
            assertThat(auth.cacheStats().completedFetches()).as("re-read when status said").isGreaterThan(before);
            assertThat(auth.status().nextRefresh().orElseThrow()).isAfter(due);
        }
    }

    @Test
    void aTokenNearItsExp_isReReadAheadOfIt_evenWithoutAFileChange(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("token"), token("trainer", Duration.ofMinutes(10)));
        try (SecretsAuth auth = engine(f, "MLFLOW_KUBERNETES_TTL_SEC", "3600")) {
            auth.headersFor(MLFLOW);
            long before = auth.cacheStats().completedFetches();
            engines.scheduler.advance(Duration.ofMinutes(9));
            assertThat(auth.cacheStats().completedFetches()).isGreaterThan(before);
        }
    }

    @Test
    void aTokenWithoutExp_livesForTheTtlSetting_whichIsBounded(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("token"), KEY.sign(new JWTClaimsSet.Builder().subject("legacy").build()));
        try (SecretsAuth auth = engine(f, "MLFLOW_KUBERNETES_TTL_SEC", "120")) {
            auth.headersFor(MLFLOW);
            assertThat(auth.currentSnapshot().expiresAt()).isEmpty();
            assertThat(auth.chain().get(0).describe()).containsEntry("expires",
                    "no exp claim: re-read every 120 s (MLFLOW_KUBERNETES_TTL_SEC)");
        }
        assertThatThrownBy(() -> engine(f, "MLFLOW_KUBERNETES_TTL_SEC", "86400"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("MLFLOW_KUBERNETES_TTL_SEC");
        assertThatThrownBy(() -> engine(f, "MLFLOW_KUBERNETES_POLL_SEC", "30"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("MLFLOW_KUBERNETES_POLL_SEC");
    }

    @Test
    void aTokenFileThatDisappears_keepsTheHeldTokenUntilItsExp_thenFailsNamingTheVariable(@TempDir Path dir)
            throws Exception {
        Path f = Files.writeString(dir.resolve("token"), token("trainer", Duration.ofMinutes(10)));
        try (SecretsAuth auth = engine(f, "MLFLOW_SECRETS_STALE_IF_ERROR_SEC", "3600")) {
            String held = auth.headersFor(MLFLOW).get("Authorization");
            Files.delete(f);
            engines.scheduler.advance(Duration.ofSeconds(2)); // the watch notices; the re-read fails
            assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization", held);
            engines.scheduler.advance(Duration.ofMinutes(10)); // past the token's exp, inside the stale-if-error window
            assertOneLine(assertThatThrownBy(() -> auth.headersFor(MLFLOW)).isInstanceOf(SecretNotFoundException.class)
                    .actual(), "does not exist");
        }
    }

    @Test
    void aMissingTokenFile_isNotFound_namingTheVariable(@TempDir Path dir) {
        try (SecretsAuth auth = engine(dir.resolve("token"))) {
            assertOneLine(assertThatThrownBy(() -> auth.headersFor(MLFLOW)).isInstanceOf(SecretNotFoundException.class)
                    .actual(), "does not exist");
        }
    }

    @Test
    void anEmptyTokenFile_isMalformed(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("token"), "\n");
        try (SecretsAuth auth = engine(f)) {
            assertOneLine(assertThatThrownBy(() -> auth.headersFor(MLFLOW)).isInstanceOf(MalformedSecretException.class)
                    .actual(), "is empty");
        }
    }

    @Test
    void aFileThatIsNotAJwt_isMalformed_andItsTextIsNotShown(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("token"), "opaque-secret-value-1234");
        try (SecretsAuth auth = engine(f)) {
            Throwable e = assertThatThrownBy(() -> auth.headersFor(MLFLOW)).isInstanceOf(MalformedSecretException.class).actual();
            assertOneLine(e, "not a JWT");
            assertThat(e.getMessage()).doesNotContain("opaque-secret-value");
        }
    }

    @Test
    void anExpiredToken_isAOneLineErrorNamingTheVariable_neverTheToken(@TempDir Path dir) throws Exception {
        Instant now = engines.clock.instant();
        String expired = ProjectedVolume.serviceAccountToken(KEY, "team-a", "trainer", "mlflow",
                now.minus(Duration.ofHours(2)), now.minus(Duration.ofHours(1)));
        Path f = Files.writeString(dir.resolve("token"), expired);
        try (SecretsAuth auth = engine(f)) {
            Throwable e = assertThatThrownBy(() -> auth.headersFor(MLFLOW))
                    .isInstanceOf(BackendUnavailableException.class).actual();
            assertOneLine(e, "expired at");
            assertThat(((SecretsAuthException) e).isTransient()).isFalse();
        }
    }

    @Test
    void describe_showsIssuerAudienceSubjectAndExpiry_neverTheToken(@TempDir Path dir) {
        String t = token("trainer", Duration.ofHours(1));
        ProjectedVolume volume = ProjectedVolume.create(dir, "team-a", t);
        try (SecretsAuth auth = engine(volume.tokenPath())) {
            Map<String, String> d = auth.chain().get(0).describe();
            assertThat(d).containsEntry("issuer", ProjectedVolume.ISSUER).containsEntry("audience", "mlflow")
                    .containsEntry("subject", "system:serviceaccount:team-a:trainer")
                    .containsEntry("expires", engines.clock.instant().plus(Duration.ofHours(1)).toString())
                    .containsEntry("workspace", "team-a (" + volume.namespacePath() + ")");
            assertThat(d.toString()).doesNotContain(t).doesNotContain(t.substring(t.lastIndexOf('.') + 1));
        }
    }

    private static void assertOneLine(Throwable e, String says) {
        assertThat(e.getMessage()).contains("MLFLOW_KUBERNETES_TOKEN_PATH").contains(says).doesNotContain("\n")
                .doesNotContain("eyJ");
    }
}
