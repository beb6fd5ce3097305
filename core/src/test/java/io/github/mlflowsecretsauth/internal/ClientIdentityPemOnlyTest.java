package io.github.mlflowsecretsauth.internal;

import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.testkit.tls.CertificateAuthority;
import io.github.mlflowsecretsauth.testkit.tls.IssuedCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.security.auth.x500.X500Principal;
import java.nio.file.Path;
import java.security.Principal;
import java.time.Clock;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client-certificate rule as Vault uses it (PEM only, VAULT_* names in every message); the PKCS#12 and
 * MLFLOW_TRACKING_CLIENT_* cases are the proxy's ClientIdentityTest.
 */
class ClientIdentityPemOnlyTest {
    private static final ClientIdentity.Variables VAULT = new ClientIdentity.Variables("VAULT_CLIENT_CERT", "VAULT_CLIENT_KEY",
            Optional.empty());
    private static CertificateAuthority ca;
    private static IssuedCertificate ec;

    @TempDir
    Path tmp;

    @BeforeAll
    static void issue() {
        ca = CertificateAuthority.create("pem-only CA");
        ec = ca.clientCertificate("pem-job");
    }

    @AfterAll
    static void remove() {
        ca.close();
    }

    private static ClientIdentity load(Path cert, Path key) {
        return ClientIdentity.load(cert, Optional.ofNullable(key), Optional.empty(), VAULT, Clock.systemUTC());
    }

    @Test
    void aPkcs12Bundle_isNotAPemFile_andTheMessageOffersNoPkcs12() {
        assertThatThrownBy(() -> load(ec.pkcs12(""), null)).isInstanceOf(ConfigurationException.class)
                .hasMessage("VAULT_CLIENT_CERT is not a PEM file: expected a PEM certificate (BEGIN CERTIFICATE)");
    }

    @Test
    void anEncryptedKey_isRefused_withTheOpensslWayOut_only() throws Exception {
        Path encrypted = tmp.resolve("enc.pem");
        Process p = new ProcessBuilder("openssl", "pkcs8", "-topk8", "-in", ec.privateKeyPem().toString(), "-out",
                encrypted.toString(), "-passout", "pass:pw").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();

        assertThatThrownBy(() -> load(ec.certificatePem(), encrypted))
                .hasMessage("VAULT_CLIENT_KEY holds an encrypted private key, which is not supported: decrypt it"
                        + " (openssl pkey -in KEY -out KEY.pem)");
    }

    @Test
    void theKeyManager_offersTheCertificate_toAServerNamingOtherCas_andRemembersThem() {
        ClientIdentity id = load(ec.combinedPem(), null);
        OfferingKeyManager km = id.keyManager();
        Principal[] others = {new X500Principal("CN=some other CA")};

        String alias = km.chooseClientAlias(new String[] {"EC"}, others, null);
        assertThat(km.getCertificateChain(alias)[0]).isEqualTo(id.certificate());
        assertThat(km.serverAcceptedIssuers()).contains("CN=some other CA");
        assertThat(id.toString()).contains("CN=pem-job").contains("key=EC").doesNotContain("BEGIN");
    }
}
