package io.github.mlflowsecretsauth.testkit.vault;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mlflowsecretsauth.tracking.memory.MutableClock;
import io.github.mlflowsecretsauth.testkit.jwt.TokenKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The testkit Vault's kubernetes, jwt, userpass and ldap logins, revoke-self and unwrapping, over HTTP. */
class VaultServerLoginsTest {

    private final MutableClock clock = MutableClock.startingAt("2026-03-01T12:00:00Z");
    private final TokenKey key = TokenKey.generate("k1");
    private final VaultServer vault = VaultServer.builder().clock(clock).start();

    @AfterEach
    void stop() {
        vault.close();
    }

    private VaultHttp.Answer login(String mount, String role, String jwt) throws Exception {
        return new VaultHttp(vault.address()).post("/v1/auth/" + mount + "/login", "{\"role\":\"" + role + "\",\"jwt\":\"" + jwt + "\"}");
    }

    private String sa(String ns, String name, Duration ttl) {
        return key.sign("k8s", "system:serviceaccount:" + ns + ":" + name, "vault", clock.instant(), clock.instant().plus(ttl), Map.of());
    }

    @Test
    void kubernetesLogin_checksSignatureExpiryAndBindings() throws Exception {
        vault.addKubernetesRole("kubernetes", key, JwtRole.kubernetes("r", List.of("sa"), List.of("ns"), List.of(),
                TokenSpec.builder().ttl(Duration.ofMinutes(5)).policies("p1").build()));
        VaultHttp.Answer ok = login("kubernetes", "r", sa("ns", "sa", Duration.ofMinutes(1)));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().path("auth").path("lease_duration").asLong()).isEqualTo(300);
        assertThat(ok.json().path("auth").path("metadata").path("role").asText()).isEqualTo("r");
        assertThat(vault.isTokenValid(ok.json().path("auth").path("client_token").asText())).isTrue();
        assertThat(login("kubernetes", "x", sa("ns", "sa", Duration.ofMinutes(1))).json().toString()).contains("invalid role name \\\"x\\\"");
        assertThat(login("kubernetes", "r", sa("ns", "other", Duration.ofMinutes(1))).status()).isEqualTo(403);
        assertThat(login("kubernetes", "r", sa("other", "sa", Duration.ofMinutes(1))).json().toString()).contains("namespace not authorized");
        String soon = sa("ns", "sa", Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(31));
        assertThat(login("kubernetes", "r", soon).status()).isEqualTo(403);
        String foreign = TokenKey.generate("k2").sign("k8s", "system:serviceaccount:ns:sa", "vault", clock.instant(),
                clock.instant().plusSeconds(60), Map.of());
        assertThat(login("kubernetes", "r", foreign).status()).isEqualTo(403);
    }

    @Test
    void jwtLogin_checksAudienceSubjectAndBoundClaims() throws Exception {
        vault.addJwtRole("ci-jwt", key, JwtRole.jwt("ci", List.of("vault"), "main", Map.of("team", List.of("ml")), TokenSpec.defaults()));
        String good = key.sign("ci", "main", "vault", clock.instant(), clock.instant().plusSeconds(60), Map.of("team", "ml"));
        assertThat(login("ci-jwt", "ci", good).status()).isEqualTo(200);
        String aud = key.sign("ci", "main", "other", clock.instant(), clock.instant().plusSeconds(60), Map.of("team", "ml"));
        assertThat(login("ci-jwt", "ci", aud).json().toString()).contains("invalid audience");
        String claim = key.sign("ci", "main", "vault", clock.instant(), clock.instant().plusSeconds(60), Map.of("team", "web"));
        assertThat(login("ci-jwt", "ci", claim).json().toString()).contains("claim \\\"team\\\" does not match");
        assertThat(login("ci-jwt", "nope", good).json().toString()).contains("role \\\"nope\\\" could not be found");
    }

    @Test
    void userpassLogin_revokeSelf_andSingleUseUnwrap() throws Exception {
        vault.addUser("userpass", "userpass", "alice", "pw", TokenSpec.defaults());
        VaultHttp.Answer bad = new VaultHttp(vault.address()).post("/v1/auth/userpass/login/alice", "{\"password\":\"nope\"}");
        assertThat(bad.status()).isEqualTo(400);
        VaultHttp.Answer ok = new VaultHttp(vault.address()).post("/v1/auth/userpass/login/alice", "{\"password\":\"pw\"}");
        String token = ok.json().path("auth").path("client_token").asText();
        assertThat(new VaultHttp(vault.address()).token(token).post("/v1/auth/token/revoke-self", "{}").status()).isEqualTo(204);
        assertThat(vault.isTokenValid(token)).isFalse();

        String wrapping = vault.wrapSecretId("sid-1", Duration.ofMinutes(1));
        VaultHttp.Answer first = new VaultHttp(vault.address()).token(wrapping).post("/v1/sys/wrapping/unwrap", "{}");
        assertThat(first.json().path("data").path("secret_id").asText()).isEqualTo("sid-1");
        assertThat(new VaultHttp(vault.address()).token(wrapping).post("/v1/sys/wrapping/unwrap", "{}").status()).isEqualTo(400);
    }
}
