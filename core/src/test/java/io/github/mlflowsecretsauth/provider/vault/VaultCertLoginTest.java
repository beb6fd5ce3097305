package io.github.mlflowsecretsauth.provider.vault;

import io.github.mlflowsecretsauth.error.AccessDeniedException;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import io.github.mlflowsecretsauth.testkit.tls.CertificateAuthority;
import io.github.mlflowsecretsauth.testkit.tls.CertificateAuthority.KeyType;
import io.github.mlflowsecretsauth.testkit.tls.IssuedCertificate;
import io.github.mlflowsecretsauth.testkit.vault.CertRole;
import io.github.mlflowsecretsauth.testkit.vault.RecordedRequest;
import io.github.mlflowsecretsauth.testkit.vault.TokenSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * VAULT_AUTH_METHOD=cert against the testkit Vault over TLS, with the test's clock: the client certificate
 * (VAULT_CLIENT_CERT, VAULT_CLIENT_KEY) is presented on every connection, auth/cert/login maps it to a cert role,
 * and the token lives like any login's (renewal, re-login, revocation on close).
 */
class VaultCertLoginTest {
    /** Valid around the fake clock's start (2026-01-01) and around the real time the JDK's TLS checks. */
    private static final Instant FROM = Instant.parse("2025-12-01T00:00:00Z");

    private static CertificateAuthority ca;
    private static CertificateAuthority otherCa;
    private static IssuedCertificate job;
    private static IssuedCertificate rsaJob;
    private static IssuedCertificate stranger;

    private final VaultFixture f = new VaultFixture(true);

    @BeforeAll
    static void issue() {
        ca = CertificateAuthority.create("vault clients CA");
        otherCa = CertificateAuthority.create("another CA");
        Instant to = Instant.now().plus(Duration.ofDays(365));
        job = ca.clientCertificate("ml-job", KeyType.EC, FROM, to);
        rsaJob = ca.clientCertificate("rsa-job", KeyType.RSA, FROM, to);
        stranger = otherCa.clientCertificate("ml-job", KeyType.EC, FROM, to);
    }

    @AfterAll
    static void remove() {
        ca.close();
        otherCa.close();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private Map<String, String> cert(IssuedCertificate id, TokenSpec spec, Map<String, String> extra) {
        f.vault.addCertRole("cert", CertRole.of("web", ca.certificatePem(), spec));
        Map<String, String> s = new HashMap<>(Map.of("VAULT_AUTH_METHOD", "cert", "VAULT_AUTH_ROLE", "web",
                "VAULT_CLIENT_CERT", id.certificatePem().toString(), "VAULT_CLIENT_KEY", id.privateKeyPem().toString()));
        s.putAll(extra);
        return s;
    }

    private String issuedToken() {
        return f.vault.requests().stream().filter(r -> r.path().startsWith("/v1/secret/data")).reduce((a, b) -> b)
                .orElseThrow().token().orElseThrow();
    }

    @Test
    void certLogin_readsTheSecret_presentingTheCertificateOnEveryConnection() {
        try (SecretProvider p = f.provider(cert(job, TokenSpec.builder().policies("mlflow-read").build(), Map.of()))) {
            assertThat(VaultFixture.token(p)).isEqualTo(VaultFixture.SECRET);
            assertThat(f.vault.requestCount("/v1/auth/cert/login")).isEqualTo(1);
            RecordedRequest login = f.vault.requests().stream().filter(r -> r.path().equals("/v1/auth/cert/login")).findFirst().orElseThrow();
            assertThat(login.body()).isEqualTo("{\"name\":\"web\"}");
            assertThat(f.vault.requests()).hasSizeGreaterThanOrEqualTo(2).allSatisfy(r ->
                    assertThat(r.clientCertificateSubject()).as(r.path()).hasValueSatisfying(c -> assertThat(c).contains("CN=ml-job")));
            assertThat(f.vault.requestCount("/v1/secret/data/mlflow/auth")).isEqualTo(1);
            assertThat(p.describe()).containsEntry("auth method", "cert").containsEntry("auth mount", "cert")
                    .containsEntry("auth role", "web").containsEntry("auth chosen because", "VAULT_AUTH_METHOD=cert")
                    .containsEntry("token policies", "mlflow-read")
                    .hasEntrySatisfying("client certificate", c -> assertThat(c).contains("CN=ml-job").endsWith("(VAULT_CLIENT_CERT)"));
        }
    }

    @Test
    void aPkcs1RsaKey_anotherMount_andNoRole_letVaultPickTheRole() {
        f.vault.addCertRole("tls/prod", CertRole.of("any", ca.certificatePem(), TokenSpec.defaults()));
        try (SecretProvider p = f.provider(Map.of("VAULT_AUTH_METHOD", "cert", "VAULT_AUTH_MOUNT", "tls/prod",
                "VAULT_CLIENT_CERT", rsaJob.certificatePem().toString(),
                "VAULT_CLIENT_KEY", rsaJob.traditionalPrivateKeyPem().toString()))) {
            assertThat(VaultFixture.token(p)).isEqualTo(VaultFixture.SECRET);
            RecordedRequest login = f.vault.requests().stream().filter(r -> r.path().equals("/v1/auth/tls/prod/login"))
                    .findFirst().orElseThrow();
            assertThat(login.body()).isEqualTo("{}");
            assertThat(p.describe()).containsEntry("auth mount", "tls/prod").doesNotContainKey("auth role");
        }
    }

    @Test
    void aRenewalCappedByTheMaxTtl_isFollowedByANewCertLogin() {
        try (SecretProvider p = f.provider(cert(job, TokenSpec.builder().ttl(Duration.ofMinutes(10)).maxTtl(Duration.ofMinutes(15))
                .build(), Map.of()))) {
            p.fetch();
            String first = issuedToken();
            for (int minute = 0; minute < 14; minute++) {
                f.scheduler.advance(Duration.ofMinutes(1));
                assertThat(VaultFixture.token(p)).isEqualTo(VaultFixture.SECRET);
            }
            assertThat(f.vault.requestCount("/v1/auth/token/renew-self")).isEqualTo(1);
            assertThat(f.vault.requestCount("/v1/auth/cert/login")).isEqualTo(2);
            assertThat(issuedToken()).isNotEqualTo(first);
            assertThat(f.vault.requests()).allSatisfy(r -> assertThat(r.clientCertificates()).as(r.path()).isNotEmpty());
        }
    }

    @Test
    void aRevokedToken_isAnsweredByOneNewCertLogin() {
        try (SecretProvider p = f.provider(cert(job, TokenSpec.defaults(), Map.of()))) {
            p.fetch();
            f.vault.revokeToken(issuedToken());
            assertThat(VaultFixture.token(p)).isEqualTo(VaultFixture.SECRET);
            assertThat(f.vault.requestCount("/v1/auth/cert/login")).isEqualTo(2);
        }
    }

    @Test
    void close_revokesTheCertLoginsToken_unlessToldNotTo() {
        SecretProvider p = f.provider(cert(job, TokenSpec.defaults(), Map.of()));
        p.fetch();
        String issued = issuedToken();
        p.close();
        assertThat(f.vault.requestCount("/v1/auth/token/revoke-self")).isEqualTo(1);
        assertThat(f.vault.isTokenValid(issued)).isFalse();

        SecretProvider kept = f.provider(cert(job, TokenSpec.defaults(), Map.of("VAULT_REVOKE_ON_CLOSE", "false")));
        kept.fetch();
        kept.close();
        assertThat(f.vault.requestCount("/v1/auth/token/revoke-self")).isEqualTo(1);
        assertThat(f.vault.isTokenValid(issuedToken())).isTrue();
    }

    @Test
    void aCertificateOfAnotherCa_isOneLine_namingTheMethodMountAndRole() {
        try (SecretProvider p = f.provider(cert(stranger, TokenSpec.defaults(), Map.of()))) {
            AccessDeniedException e = catchThrowableOfType(AccessDeniedException.class, p::fetch);
            assertThat(e.getMessage()).startsWith("Vault cert login at auth/cert (role web) failed (HTTP 400: invalid certificate or"
                            + " no client certificate supplied): check that the certificate in VAULT_CLIENT_CERT (")
                    .contains("CN=ml-job)")
                    .endsWith("is trusted by the cert role web (VAULT_AUTH_ROLE) of auth/cert, and that VAULT_CLIENT_KEY is its key")
                    .doesNotContain("\n");
        }
    }

    @Test
    void noClientCertificate_isAConfigurationError_namingVaultClientCert() {
        Map<String, String> s = cert(job, TokenSpec.defaults(), Map.of());
        s.remove("VAULT_CLIENT_CERT");
        s.remove("VAULT_CLIENT_KEY");
        assertThatThrownBy(() -> f.provider(s)).isInstanceOf(ConfigurationException.class)
                .hasMessage("VAULT_CLIENT_CERT is not set: the cert login at auth/cert (role web) needs the client certificate"
                        + " (VAULT_CLIENT_CERT) and its key (VAULT_CLIENT_KEY), PEM files");
        Map<String, String> keyOnly = cert(job, TokenSpec.defaults(), Map.of("VAULT_AUTH_METHOD", "token", "VAULT_TOKEN", "t"));
        keyOnly.remove("VAULT_CLIENT_CERT");
        assertThatThrownBy(() -> f.provider(keyOnly)).isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("VAULT_CLIENT_KEY is set but VAULT_CLIENT_CERT is not");
    }

    @Test
    void aMissingKeyFile_notAKey_orTheWrongKey_nameVaultClientKey_neverTheKey() throws Exception {
        String keyText = Files.readString(job.privateKeyPem());
        String keyBody = keyText.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
        Map<String, String> missing = cert(job, TokenSpec.defaults(), Map.of("VAULT_CLIENT_KEY", f.dir.resolve("gone.pem").toString()));
        assertThatThrownBy(() -> f.provider(missing)).isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("VAULT_CLIENT_KEY: the file cannot be read (NoSuchFileException)");
        Map<String, String> notAKey = cert(job, TokenSpec.defaults(), Map.of("VAULT_CLIENT_KEY", job.certificatePem().toString()));
        assertThatThrownBy(() -> f.provider(notAKey)).isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("VAULT_CLIENT_KEY holds no private key: expected PEM, PKCS#8 (BEGIN PRIVATE KEY)");
        Map<String, String> wrong = cert(rsaJob, TokenSpec.defaults(), Map.of("VAULT_CLIENT_KEY", job.privateKeyPem().toString()));
        assertThatThrownBy(() -> f.provider(wrong)).isInstanceOf(ConfigurationException.class)
                .hasMessage("VAULT_CLIENT_KEY: the private key does not match the certificate in VAULT_CLIENT_CERT:"
                        + " use the key the certificate was issued for")
                .hasMessageNotContaining(keyBody);
        Map<String, String> noCert = cert(job, TokenSpec.defaults(), Map.of("VAULT_CLIENT_CERT", f.dir.resolve("gone.crt").toString()));
        assertThatThrownBy(() -> f.provider(noCert)).isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("VAULT_CLIENT_CERT: the file cannot be read (NoSuchFileException)");
        Map<String, String> junk = cert(job, TokenSpec.defaults(), Map.of("VAULT_CLIENT_CERT", f.write("junk", "not pem").toString()));
        assertThatThrownBy(() -> f.provider(junk)).isInstanceOf(ConfigurationException.class)
                .hasMessage("VAULT_CLIENT_CERT is not a PEM file: expected a PEM certificate (BEGIN CERTIFICATE)");
        assertThat(f.vault.requestCount()).isZero();
    }

    @Test
    void anExpiredCertificate_failsAtStart_namingVaultClientCertAndTheDate() {
        IssuedCertificate expired = ca.clientCertificate("old-job", KeyType.EC, Instant.parse("2025-01-01T00:00:00Z"),
                Instant.parse("2025-06-01T00:00:00Z"));
        assertThatThrownBy(() -> f.provider(cert(expired, TokenSpec.defaults(), Map.of()))).isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("VAULT_CLIENT_CERT: the client certificate expired on 2025-06-01T00:00:00Z")
                .hasMessageEndingWith("renew it");
        assertThat(f.vault.requestCount()).isZero();
    }

    @Test
    void aPlainHttpVaultAddr_withCertLogin_isAConfigurationError() {
        Map<String, String> s = cert(job, TokenSpec.defaults(), Map.of("VAULT_ADDR", "http://127.0.0.1:" + f.vault.port()));
        assertThatThrownBy(() -> f.provider(s)).isInstanceOf(ConfigurationException.class)
                .hasMessage("VAULT_AUTH_METHOD=cert needs an https VAULT_ADDR: a client certificate is presented only over TLS;"
                        + " use Vault's https address");
    }

    @Test
    void anyLogin_presentsTheClientCertificate_asTheVaultCliDoes() {
        try (SecretProvider p = f.provider(Map.of("VAULT_TOKEN", f.vault.rootToken(),
                "VAULT_CLIENT_CERT", job.certificatePem().toString(), "VAULT_CLIENT_KEY", job.privateKeyPem().toString()))) {
            assertThat(VaultFixture.token(p)).isEqualTo(VaultFixture.SECRET);
            assertThat(f.vault.requests()).isNotEmpty().allSatisfy(r ->
                    assertThat(r.clientCertificateSubject()).as(r.path()).isPresent());
            assertThat(p.describe()).containsEntry("auth method", "token").containsKey("client certificate");
        }
    }
}
