package io.github.mlflowsecretsauth.testkit.tls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * A certificate issued by a {@link CertificateAuthority}, as PEM files, and the other encodings of
 * its key that clients meet in practice. The key file is PKCS#8 ({@code BEGIN PRIVATE KEY}); the
 * conversions are made on demand by {@code openssl} next to it.
 *
 * <p>Thread-safe for reading; the conversions may be called from several threads but each writes
 * its own file.
 */
public final class IssuedCertificate {
    private final Path certificatePem;
    private final Path privateKeyPem;
    private final Path caCertificatePem;
    private final CertificateAuthority.KeyType keyType;

    IssuedCertificate(Path certificatePem, Path privateKeyPem, Path caCertificatePem, CertificateAuthority.KeyType keyType) {
        this.certificatePem = certificatePem;
        this.privateKeyPem = privateKeyPem;
        this.caCertificatePem = caCertificatePem;
        this.keyType = keyType;
    }

    /** The certificate ({@code BEGIN CERTIFICATE}). */
    public Path certificatePem() {
        return certificatePem;
    }

    /** The private key in PKCS#8 ({@code BEGIN PRIVATE KEY}). */
    public Path privateKeyPem() {
        return privateKeyPem;
    }

    /** The issuing CA's certificate. */
    public Path caCertificatePem() {
        return caCertificatePem;
    }

    public CertificateAuthority.KeyType keyType() {
        return keyType;
    }

    /**
     * The key in OpenSSL's traditional form: PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) for RSA, SEC1
     * ({@code BEGIN EC PRIVATE KEY}) for EC.
     */
    public Path traditionalPrivateKeyPem() {
        Path out = privateKeyPem.resolveSibling("key-traditional.pem");
        if (!Files.exists(out)) {
            OpenSsl.run(privateKeyPem.getParent(), Map.of(), "pkey", "-in", privateKeyPem.toString(), "-traditional",
                    "-out", out.toString());
        }
        return out;
    }

    /** The certificate followed by its key in one PEM file, as some tools ship them. */
    public Path combinedPem() {
        Path out = privateKeyPem.resolveSibling("cert-and-key.pem");
        try {
            Files.writeString(out, Files.readString(certificatePem) + Files.readString(privateKeyPem));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + out, e);
        }
        return out;
    }

    /**
     * A PKCS#12 bundle of the key, the certificate and the CA's certificate, protected by
     * {@code password} (empty for none), in OpenSSL 3's default encryption (AES-256, PBKDF2).
     */
    public Path pkcs12(String password) {
        Objects.requireNonNull(password, "password");
        Path out = privateKeyPem.resolveSibling("bundle-" + Integer.toHexString(password.hashCode()) + ".p12");
        OpenSsl.run(privateKeyPem.getParent(), Map.of("TESTKIT_P12_PASSWORD", password), "pkcs12", "-export",
                "-inkey", privateKeyPem.toString(), "-in", certificatePem.toString(), "-certfile", caCertificatePem.toString(),
                "-name", "client", "-passout", "env:TESTKIT_P12_PASSWORD", "-out", out.toString());
        return out;
    }

    @Override
    public String toString() {
        return "IssuedCertificate[" + certificatePem + ", " + keyType + "]";
    }
}
