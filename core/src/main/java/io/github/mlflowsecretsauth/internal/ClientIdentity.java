package io.github.mlflowsecretsauth.internal;

import io.github.mlflowsecretsauth.error.ConfigurationException;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The client certificate chain and private key for mutual TLS, loaded from PEM files (or, where the
 * caller allows it, a PKCS#12 bundle) and checked before any connection: the key must match the
 * certificate, and every certificate of the chain must be valid now. The one place for this rule: the
 * proxy's {@code MLFLOW_TRACKING_CLIENT_CERT_PATH} and Vault's {@code VAULT_CLIENT_CERT} both load here.
 * Immutable; {@link #toString()} shows the subject only.
 *
 * <p>Every failure is a one-line {@link ConfigurationException} naming the variable to fix; file
 * contents and the password are never part of a message.
 */
public final class ClientIdentity {
    static final String ALIAS = "client";

    /**
     * The names of the variables the files come from, for messages.
     *
     * @param cert     the certificate (chain) file, e.g. {@code VAULT_CLIENT_CERT}
     * @param key      the private key file, e.g. {@code VAULT_CLIENT_KEY}
     * @param password the PKCS#12 bundle's password variable; empty when only PEM is accepted
     */
    public record Variables(String cert, String key, Optional<String> password) {
        boolean pkcs12() {
            return password.isPresent();
        }
    }

    private final PrivateKey key;
    private final List<X509Certificate> chain;
    private final Variables names;

    private ClientIdentity(PrivateKey key, List<X509Certificate> chain, Variables names) {
        this.key = key;
        this.chain = List.copyOf(chain);
        this.names = names;
    }

    /**
     * Loads and checks the identity in {@code certPath} (PEM, or PKCS#12 when {@code names} has a password
     * variable) and {@code keyPath} (PEM; empty: the key is in the certificate file).
     */
    public static ClientIdentity load(Path certPath, Optional<Path> keyPath, Optional<String> password, Variables names,
                                      Clock clock) {
        byte[] certBytes = read(certPath, names.cert());
        ClientIdentity identity;
        if (isPem(certBytes)) {
            if (password.isPresent()) {
                throw new ConfigurationException(names.password().orElseThrow() + " is set but "
                        + names.cert() + " is a PEM file: the password only opens a PKCS#12 bundle");
            }
            identity = fromPem(certBytes, keyPath, names);
        } else if (!names.pkcs12()) {
            throw new ConfigurationException(names.cert() + " is not a PEM file: expected " + PemFiles.expected(false));
        } else {
            if (keyPath.isPresent()) {
                throw new ConfigurationException(names.key() + " must not be set when "
                        + names.cert() + " is a PKCS#12 bundle, which holds the key itself");
            }
            identity = fromPkcs12(certBytes, password.orElse(""), names);
        }
        identity.requireKeyMatches(keyPath.isPresent() ? names.key() : names.cert());
        identity.requireValidAt(clock.instant());
        return identity;
    }

    private static byte[] read(Path file, String variable) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException | SecurityException e) {
            throw new ConfigurationException(variable + ": the file cannot be read (" + e.getClass().getSimpleName()
                    + "): point it at a readable file");
        }
    }

    private static boolean isPem(byte[] bytes) {
        return new String(bytes, 0, Math.min(bytes.length, 64 * 1024), StandardCharsets.ISO_8859_1).contains("-----BEGIN ");
    }

    private static ClientIdentity fromPem(byte[] certBytes, Optional<Path> keyPath, Variables names) {
        List<X509Certificate> chain = PemFiles.certificates(new String(certBytes, StandardCharsets.ISO_8859_1),
                names.cert(), names.pkcs12());
        if (chain.isEmpty()) {
            throw new ConfigurationException(names.cert() + " holds no certificate: expected " + PemFiles.expected(names.pkcs12()));
        }
        String keyVariable = keyPath.isPresent() ? names.key() : names.cert();
        String keyPem = new String(keyPath.map(p -> read(p, names.key())).orElse(certBytes), StandardCharsets.ISO_8859_1);
        PrivateKey key = PemFiles.privateKey(keyPem, keyVariable, names.pkcs12()).orElseThrow(() -> new ConfigurationException(
                keyPath.isPresent()
                ? names.key() + " holds no private key: expected PEM, PKCS#8 (BEGIN PRIVATE KEY), "
                        + "PKCS#1 (BEGIN RSA PRIVATE KEY) or SEC1 (BEGIN EC PRIVATE KEY)"
                : names.key() + " is not set and " + names.cert()
                        + " holds no private key: set it to the certificate's PEM key file"));
        return new ClientIdentity(key, chain, names);
    }

    private static ClientIdentity fromPkcs12(byte[] bytes, String password, Variables names) {
        String certVar = names.cert();
        String pwVar = names.password().orElseThrow();
        char[] pw = password.toCharArray();
        KeyStore store;
        try {
            store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(bytes), pw);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")) {
                throw new ConfigurationException(certVar + ": the PKCS#12 bundle cannot be opened "
                        + "with the password in " + pwVar + " (or without one, if unset)");
            }
            throw new ConfigurationException(certVar + " is neither a PEM certificate nor a "
                    + "PKCS#12 bundle (" + e.getClass().getSimpleName() + ")");
        } catch (GeneralSecurityException e) {
            throw new ConfigurationException(certVar + ": the PKCS#12 bundle cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        }
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (!store.isKeyEntry(alias)) {
                    continue;
                }
                Key key = store.getKey(alias, pw);
                Certificate[] certs = store.getCertificateChain(alias);
                if (key instanceof PrivateKey pk && certs != null && certs.length > 0) {
                    List<X509Certificate> chain = new ArrayList<>();
                    for (Certificate c : certs) {
                        chain.add((X509Certificate) c);
                    }
                    return new ClientIdentity(pk, chain, names);
                }
            }
        } catch (UnrecoverableKeyException e) {
            throw new ConfigurationException(certVar + ": the key in the PKCS#12 bundle cannot be "
                    + "opened with the password in " + pwVar);
        } catch (GeneralSecurityException e) {
            throw new ConfigurationException(certVar + ": the PKCS#12 bundle cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        }
        throw new ConfigurationException(certVar
                + ": the PKCS#12 bundle holds no private key with its certificate");
    }

    /** Signs a random challenge with the key and verifies it with the certificate's public key (JDK crypto only). */
    private void requireKeyMatches(String keyVariable) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new ConfigurationException(keyVariable + ": a " + key.getAlgorithm()
                    + " key is not supported for mutual TLS: use an RSA or EC key");
        };
        X509Certificate leaf = chain.get(0);
        if (!leaf.getPublicKey().getAlgorithm().equals(key.getAlgorithm())
                && !(algorithm.equals("Ed25519") && leaf.getPublicKey().getAlgorithm().startsWith("Ed"))) {
            throw mismatch(keyVariable);
        }
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(challenge);
            if (!verifier.verify(signature)) {
                throw mismatch(keyVariable);
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            if (e instanceof ConfigurationException ce) {
                throw ce;
            }
            throw mismatch(keyVariable);
        }
    }

    private ConfigurationException mismatch(String keyVariable) {
        return new ConfigurationException(keyVariable + ": the private key does not match the certificate in "
                + names.cert() + ": use the key the certificate was issued for");
    }

    private void requireValidAt(Instant now) {
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate c = chain.get(i);
            String which = i == 0 ? "the client certificate" : "certificate " + (i + 1) + " of the chain";
            if (now.isAfter(c.getNotAfter().toInstant())) {
                throw new ConfigurationException(names.cert() + ": " + which + " expired on "
                        + c.getNotAfter().toInstant() + " (subject " + subject(c) + "): renew it");
            }
            if (now.isBefore(c.getNotBefore().toInstant())) {
                throw new ConfigurationException(names.cert() + ": " + which + " is not valid until "
                        + c.getNotBefore().toInstant() + " (subject " + subject(c) + "): check the certificate and this machine's clock");
            }
        }
    }

    /**
     * A key manager that offers this identity to any server that asks for a client certificate, whatever CAs it
     * names ({@link OfferingKeyManager}). Each call makes a new one.
     */
    public OfferingKeyManager keyManager() {
        byte[] seed = new byte[16];
        new SecureRandom().nextBytes(seed); // the in-memory key store's password; never leaves this method
        char[] pw = HexFormat.of().formatHex(seed).toCharArray();
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore(pw), pw);
            return new OfferingKeyManager((X509ExtendedKeyManager) kmf.getKeyManagers()[0], certificate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK could not build a key manager for the client certificate", e);
        }
    }

    /** An in-memory key store holding this identity under {@link #ALIAS}, protected by {@code password}. */
    private KeyStore keyStore(char[] password) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(ALIAS, key, password, chain.toArray(new X509Certificate[0]));
            return ks;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the JDK could not hold the client key in a key store", e);
        }
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** When the client certificate stops being valid. */
    public Instant notAfter() {
        return certificate().getNotAfter().toInstant();
    }

    public String subject() {
        return subject(certificate());
    }

    public String issuer() {
        return certificate().getIssuerX500Principal().getName();
    }

    private static String subject(X509Certificate c) {
        return c.getSubjectX500Principal().getName();
    }

    @Override
    public String toString() {
        return "ClientIdentity{subject=" + subject() + ", issuer=" + issuer() + ", key=" + key.getAlgorithm()
                + ", notAfter=" + notAfter() + "}";
    }
}
