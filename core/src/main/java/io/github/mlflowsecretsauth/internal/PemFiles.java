package io.github.mlflowsecretsauth.internal;

import io.github.mlflowsecretsauth.error.ConfigurationException;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.io.StringReader;
import java.security.PrivateKey;
import java.util.Optional;

/**
 * Reads PEM files as OpenSSL writes them: certificates, and a private key in PKCS#8
 * ({@code BEGIN PRIVATE KEY}), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or SEC1 ({@code BEGIN EC PRIVATE
 * KEY}), in any order and mixed in one file. BouncyCastle parses the PEM and ASN.1; the key and
 * certificate objects come from the JDK's {@code KeyFactory} and {@code CertificateFactory}
 * (BouncyCastle is not registered as a provider). The one reader of PEM client keys: the proxy's
 * {@code MLFLOW_TRACKING_CLIENT_*} and Vault's {@code VAULT_CLIENT_*}. Stateless.
 */
public final class PemFiles {
    private PemFiles() {
    }

    /**
     * Every certificate in {@code pem}, in file order (the leaf first, by convention).
     *
     * @param pkcs12 whether the variable may also name a PKCS#12 bundle (for the message)
     * @throws ConfigurationException naming {@code variable} if a certificate block cannot be read
     */
    public static List<X509Certificate> certificates(String pem, String variable, boolean pkcs12) {
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        List<X509Certificate> out = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof X509CertificateHolder holder) {
                    out.add(converter.getCertificate(holder));
                }
            }
            return out;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new ConfigurationException(variable + " holds no valid X.509 certificate: expected " + expected(pkcs12));
        }
    }

    /**
     * The first private key in {@code pem}, or empty if it holds none.
     *
     * @throws ConfigurationException naming {@code variable} for an encrypted or unreadable key
     */
    public static Optional<PrivateKey> privateKey(String pem, String variable, boolean pkcs12) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof PrivateKeyInfo info) {
                    return Optional.of(converter.getPrivateKey(info));
                }
                if (o instanceof PEMKeyPair pair) {
                    return Optional.of(converter.getPrivateKey(pair.getPrivateKeyInfo()));
                }
                if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new ConfigurationException(variable + " holds an encrypted private key, which is not supported: "
                            + "decrypt it (openssl pkey -in KEY -out KEY.pem)" + (pkcs12 ? " or use a PKCS#12 bundle with its password" : ""));
                }
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            if (e instanceof ConfigurationException ce) {
                throw ce;
            }
            throw new ConfigurationException(variable + " holds a private key that cannot be read (" + e.getClass().getSimpleName()
                    + "): expected PEM, PKCS#8 (BEGIN PRIVATE KEY), PKCS#1 (BEGIN RSA PRIVATE KEY) or SEC1 (BEGIN EC PRIVATE KEY)");
        }
    }

    /** What a certificate variable should hold, for messages. */
    static String expected(boolean pkcs12) {
        return "a PEM certificate (BEGIN CERTIFICATE)" + (pkcs12 ? " or a PKCS#12 bundle" : "");
    }
}
