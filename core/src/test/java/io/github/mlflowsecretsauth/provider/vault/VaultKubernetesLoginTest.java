package io.github.mlflowsecretsauth.provider.vault;

import io.github.mlflowsecretsauth.error.AccessDeniedException;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import io.github.mlflowsecretsauth.testkit.jwt.TokenKey;
import io.github.mlflowsecretsauth.testkit.vault.JwtRole;
import io.github.mlflowsecretsauth.testkit.vault.TokenSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** VAULT_AUTH_METHOD=kubernetes against the testkit Vault, which checks the service-account token it is sent. */
class VaultKubernetesLoginTest {
    private final VaultFixture f = new VaultFixture();

    @AfterEach
    void stop() {
        f.close();
    }

    private void role(String mount, TokenSpec spec) {
        f.vault.addKubernetesRole(mount, f.issuer, JwtRole.kubernetes("mlflow", List.of("mlflow-sa"), List.of("ml"),
                List.of(), spec));
    }

    private Map<String, String> settings(Path tokenFile) {
        return Map.of("VAULT_AUTH_METHOD", "kubernetes", "VAULT_AUTH_ROLE", "mlflow",
                "VAULT_KUBERNETES_TOKEN_PATH", tokenFile.toString());
    }

    /** The one line a failed login gives: method, mount and role, never the JWT. */
    private static void assertOneLine(Throwable e, String jwt, String... contains) {
        assertThat(e).isInstanceOf(AccessDeniedException.class);
        assertThat(e.getMessage()).doesNotContain("\n").doesNotContain(jwt).contains(contains);
    }

    @Test
    void login_readsTheSecret_withTheIssuedToken() {
        role("kubernetes", TokenSpec.defaults());
        Path file = f.write("sa-token", f.serviceAccountToken("ml", "mlflow-sa", "vault", Duration.ofHours(1)) + "\n");
        try (SecretProvider p = f.provider(settings(file))) {
            assertThat(VaultFixture.token(p)).isEqualTo(VaultFixture.SECRET);
            assertThat(f.vault.requestCount("/v1/auth/kubernetes/login")).isEqualTo(1);
            assertThat(p.describe()).containsEntry("auth method", "kubernetes").containsEntry("auth mount", "kubernetes")
                    .containsEntry("auth role", "mlflow").containsEntry("auth chosen because", "VAULT_AUTH_METHOD=kubernetes");
        }
    }

    @Test
    void theTokenFile_isReadAgainAtEveryLogin_soTheKubeletsRotationIsFollowed() {
        role("k8s/prod", TokenSpec.builder().ttl(Duration.ofMinutes(10)).renewable(false).build());
        String first = f.serviceAccountToken("ml", "mlflow-sa", "vault", Duration.ofMinutes(15));
        Path file = f.write("sa-token", first);
        Map<String, String> s = new java.util.HashMap<>(settings(file));
        s.put("VAULT_AUTH_MOUNT", "k8s/prod");
        try (SecretProvider p = f.provider(s)) {
            assertThat(VaultFixture.token(p)).isEqualTo(VaultFixture.SECRET);
            f.clock.advance(Duration.ofMinutes(12)); // the kubelet rotated the file; the first token has expired
            String second = f.serviceAccountToken("ml", "mlflow-sa", "vault", Duration.ofMinutes(15));
            f.write("sa-token", second);
            f.scheduler.advance(Duration.ZERO);
            assertThat(VaultFixture.token(p)).isEqualTo(VaultFixture.SECRET);
            List<String> sent = f.vault.requests().stream().filter(r -> r.path().equals("/v1/auth/k8s/prod/login"))
                    .map(r -> r.body()).toList();
            assertThat(sent).hasSize(2);
            assertThat(sent.get(0)).contains(first);
            assertThat(sent.get(1)).contains(second);
        }
    }

    @Test
    void wrongRole_isOneLine_namingMethodMountAndRole() {
        role("kubernetes", TokenSpec.defaults());
        String jwt = f.serviceAccountToken("ml", "mlflow-sa", "vault", Duration.ofHours(1));
        Map<String, String> s = new java.util.HashMap<>(settings(f.write("sa-token", jwt)));
        s.put("VAULT_AUTH_ROLE", "nope");
        try (SecretProvider p = f.provider(s)) {
            assertOneLine(catchThrowableOfType(AccessDeniedException.class, p::fetch), jwt,
                    "kubernetes login at auth/kubernetes (role nope) failed (HTTP 400: invalid role name \"nope\")", "VAULT_AUTH_ROLE");
        }
    }

    @Test
    void aServiceAccountTheRoleDoesNotBind_isRefused() {
        role("kubernetes", TokenSpec.defaults());
        String jwt = f.serviceAccountToken("ml", "other-sa", "vault", Duration.ofHours(1));
        try (SecretProvider p = f.provider(settings(f.write("sa-token", jwt)))) {
            assertOneLine(catchThrowableOfType(AccessDeniedException.class, p::fetch), jwt,
                    "(role mlflow)", "HTTP 403: service account name not authorized");
        }
        String otherNs = f.serviceAccountToken("default", "mlflow-sa", "vault", Duration.ofHours(1));
        try (SecretProvider p = f.provider(settings(f.write("sa-token", otherNs)))) {
            assertOneLine(catchThrowableOfType(AccessDeniedException.class, p::fetch), otherNs, "namespace not authorized");
        }
    }

    @Test
    void anExpiredOrForeignToken_isRefused() {
        role("kubernetes", TokenSpec.defaults());
        String expired = f.serviceAccountToken("ml", "mlflow-sa", "vault", Duration.ofMinutes(1));
        f.clock.advance(Duration.ofMinutes(2));
        try (SecretProvider p = f.provider(settings(f.write("sa-token", expired)))) {
            assertOneLine(catchThrowableOfType(AccessDeniedException.class, p::fetch), expired,
                    "kubernetes login at auth/kubernetes (role mlflow) failed (HTTP 403: permission denied)");
        }
        String foreign = TokenKey.generate("other").sign("https://kubernetes.default.svc", "system:serviceaccount:ml:mlflow-sa",
                "vault", f.clock.instant(), f.clock.instant().plusSeconds(600), Map.of());
        try (SecretProvider p = f.provider(settings(f.write("sa-token", foreign)))) {
            assertOneLine(catchThrowableOfType(AccessDeniedException.class, p::fetch), foreign, "permission denied");
        }
    }

    @Test
    void aMissingTokenFile_namesTheVariableThePathAndTheLogin() {
        role("kubernetes", TokenSpec.defaults());
        Path missing = f.dir.resolve("no-such-token");
        try (SecretProvider p = f.provider(settings(missing))) {
            AccessDeniedException e = catchThrowableOfType(AccessDeniedException.class, p::fetch);
            assertThat(e.getMessage()).isEqualTo("VAULT_KUBERNETES_TOKEN_PATH=" + missing + " does not exist, for the kubernetes"
                    + " login at auth/kubernetes (role mlflow): mount the file there or point VAULT_KUBERNETES_TOKEN_PATH at it");
            assertThat(f.vault.requestCount("/v1/auth/")).isZero();
        }
    }
}
