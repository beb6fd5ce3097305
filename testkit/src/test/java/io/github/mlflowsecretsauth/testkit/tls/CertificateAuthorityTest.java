package io.github.mlflowsecretsauth.testkit.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CertificateAuthorityTest {

    private CertificateAuthority ca;

    @BeforeEach
    void create() {
        Assumptions.assumeTrue(OpenSsl.isAvailable(), OpenSsl.NOT_INSTALLED);
        ca = CertificateAuthority.create("testkit CA");
    }

    @AfterEach
    void close() {
        if (ca != null) {
            ca.close();
        }
    }

    private static X509Certificate read(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    @Test
    void theCaIsASelfSignedCaCertificate() throws Exception {
        X509Certificate root = read(ca.certificatePem());

        assertThat(root.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(root.getSubjectX500Principal()).isEqualTo(root.getIssuerX500Principal());
        root.verify(root.getPublicKey());
    }

    @Test
    void theServerCertificateIsFor127001AndLocalhost_andSignedByTheCa() throws Exception {
        IssuedCertificate server = ca.serverCertificate();
        X509Certificate cert = read(server.certificatePem());
        List<String> names = cert.getSubjectAlternativeNames().stream().map(n -> n.get(1).toString())
                .collect(Collectors.toList());

        assertThat(names).contains("127.0.0.1", "localhost");
        assertThat(cert.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");
        cert.verify(read(ca.certificatePem()).getPublicKey());
        cert.checkValidity();
    }

    @Test
    void clientCertificates_haveTheRequestedKeyTypeAndValidityWindow() throws Exception {
        Instant from = Instant.parse("2020-01-01T00:00:00Z");
        IssuedCertificate expired = ca.clientCertificate("old-job", CertificateAuthority.KeyType.RSA, from,
                from.plus(Duration.ofDays(30)));
        IssuedCertificate ec = ca.clientCertificate("ml-job");
        X509Certificate old = read(expired.certificatePem());

        assertThat(old.getPublicKey().getAlgorithm()).isEqualTo("RSA");
        assertThat(old.getNotBefore()).isEqualTo(Date.from(from));
        assertThat(old.getNotAfter()).isEqualTo(Date.from(from.plus(Duration.ofDays(30))));
        assertThatThrownBy(old::checkValidity).isInstanceOf(CertificateExpiredException.class);
        assertThat(old.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.2");
        assertThat(old.getSubjectX500Principal().getName()).contains("CN=old-job");
        assertThat(read(ec.certificatePem()).getPublicKey().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void aCertificateNotValidYet_canBeIssued() throws Exception {
        Instant from = Instant.now().plus(Duration.ofDays(10)).truncatedTo(ChronoUnit.SECONDS);
        IssuedCertificate future = ca.clientCertificate("future", CertificateAuthority.KeyType.EC, from,
                from.plus(Duration.ofDays(1)));

        assertThat(read(future.certificatePem()).getNotBefore()).isEqualTo(Date.from(from));
    }

    @Test
    void keysComeInPkcs8_andInTheTraditionalPkcs1AndSec1Forms() throws Exception {
        IssuedCertificate rsa = ca.clientCertificate("rsa", CertificateAuthority.KeyType.RSA);
        IssuedCertificate ec = ca.clientCertificate("ec", CertificateAuthority.KeyType.EC);

        assertThat(Files.readString(rsa.privateKeyPem())).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readString(rsa.traditionalPrivateKeyPem())).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(Files.readString(ec.privateKeyPem())).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readString(ec.traditionalPrivateKeyPem())).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThat(Files.readString(ec.combinedPem())).contains("BEGIN CERTIFICATE", "BEGIN PRIVATE KEY");
    }

    @Test
    void aPkcs12Bundle_opensInTheJdk_withItsPassword_orWithNone() throws Exception {
        IssuedCertificate client = ca.clientCertificate("bundle", CertificateAuthority.KeyType.RSA);
        for (String password : new String[] {"bundle-pass", ""}) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(client.pkcs12(password))) {
                store.load(in, password.toCharArray());
            }

            assertThat(store.getKey("client", password.toCharArray())).isInstanceOf(PrivateKey.class);
            assertThat(store.getCertificateChain("client")).hasSize(2);
        }
    }

    @Test
    void closingDeletesEverything() {
        IssuedCertificate client = ca.clientCertificate("gone");
        ca.close();

        assertThat(client.certificatePem()).doesNotExist();
        assertThat(ca.directory()).doesNotExist();
    }
}
