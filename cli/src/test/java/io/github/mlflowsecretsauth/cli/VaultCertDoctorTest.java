package io.github.mlflowsecretsauth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mlflowsecretsauth.testkit.tls.CertificateAuthority;
import io.github.mlflowsecretsauth.testkit.tls.IssuedCertificate;
import io.github.mlflowsecretsauth.testkit.vault.CertRole;
import io.github.mlflowsecretsauth.testkit.vault.TokenSpec;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * info and doctor with VAULT_AUTH_METHOD=cert against the testkit Vault over TLS: the method, mount, role, why it was
 * chosen and the client certificate's subject are shown, and after the login the token's policies; never the key.
 */
class VaultCertDoctorTest {
    private static CertificateAuthority ca;
    private static IssuedCertificate job;
    private static VaultServer vault;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        ca = CertificateAuthority.create("doctor cert CA");
        job = ca.clientCertificate("trainer");
        vault = VaultServer.builder().tls(true).start();
        vault.putSecret("secret/mlflow/auth", Map.of("token", "CANARY-cert-doctor-token"));
        vault.addCertRole("cert", CertRole.of("web", ca.certificatePem(), TokenSpec.builder().policies("mlflow-read").build()));
    }

    @AfterAll
    static void stop() {
        vault.close();
        ca.close();
    }

    private static Map<String, String> env() {
        Map<String, String> e = new HashMap<>();
        e.put("MLFLOW_SECRETS_AUTH_ENABLE", "vault");
        e.put("VAULT_ADDR", vault.address().toString());
        e.put("VAULT_CACERT", vault.caCertificatePem().toString());
        e.put("VAULT_AUTH_METHOD", "cert");
        e.put("VAULT_AUTH_ROLE", "web");
        e.put("VAULT_CLIENT_CERT", job.certificatePem().toString());
        e.put("VAULT_CLIENT_KEY", job.privateKeyPem().toString());
        e.put("MLFLOW_VAULT_SECRET_PATH", "secret/mlflow/auth");
        e.put("MLFLOW_SECRETS_ALLOWED_HOSTS", "mlflow.company.com");
        return e;
    }

    private static String keyBody() throws Exception {
        return Files.readString(job.privateKeyPem()).lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
    }

    @Test
    void info_showsTheCertMethodMountRoleAndWhy() throws Exception {
        CliRunner.Result r = CliRunner.run(env(), dir, "info");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("Auth method: cert").contains("Auth mount: cert").contains("Auth role: web")
                .contains("VAULT_AUTH_METHOD=cert").contains("CN=trainer");
        assertThat(r.all()).doesNotContain(keyBody()).doesNotContain("CANARY-cert-doctor-token");
    }

    @Test
    void doctor_logsInWithTheCertificate_andShowsTheTokensPolicies() throws Exception {
        CliRunner.Result r = CliRunner.run(env(), dir, "doctor");
        assertThat(r.exit()).as(r.all()).isZero();
        String retrieval = r.out().substring(r.out().indexOf("Secret retrieval (vault)"));
        assertThat(retrieval).contains("auth method: cert").contains("auth mount: cert").contains("auth role: web")
                .contains("token policies: mlflow-read").contains("token expires: ")
                .containsPattern("client certificate: [^\n]*CN=trainer \\(VAULT_CLIENT_CERT\\)");
        assertThat(r.all()).doesNotContain(keyBody()).doesNotContain("CANARY-cert-doctor-token");
    }

    @Test
    void doctor_withoutTheCertificate_failsWithOneLineNamingVaultClientCert() {
        Map<String, String> e = env();
        e.remove("VAULT_CLIENT_CERT");
        e.remove("VAULT_CLIENT_KEY");
        CliRunner.Result r = CliRunner.run(e, dir, "doctor");
        assertThat(r.exit()).isNotZero();
        assertThat(r.all()).contains("VAULT_CLIENT_CERT is not set");
    }
}
