package io.github.mlflowsecretsauth.testkit.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import java.security.cert.CRL;
import java.util.Collection;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * A throw-away self-signed TLS certificate for {@code localhost} and {@code 127.0.0.1}, made by
 * running the JDK's own {@code keytool} (EC P-256, PKCS#12) into a temporary directory.
 *
 * <p>Clients trust it through {@link #pemCertificate()} (for example as {@code VAULT_CACERT}) or
 * {@link #clientSslContext()}; servers use {@link #newSslContextFactory()}. {@link #close()}
 * deletes the directory.
 *
 * <p>Thread-safe: immutable once generated.
 */
public final class SelfSignedCertificate implements AutoCloseable {

    private static final String ALIAS = "testkit";
    private static final String STORE_TYPE = "PKCS12";
    private static final String PASSWORD_ENV = "TESTKIT_KEYSTORE_PASSWORD";
    private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

    private final Path directory;
    private final Path keyStore;
    private final Path pemCertificate;
    private final char[] password;

    private SelfSignedCertificate(Path directory, Path keyStore, Path pemCertificate, char[] password) {
        this.directory = directory;
        this.keyStore = keyStore;
        this.pemCertificate = pemCertificate;
        this.password = password;
    }

    /** Generates a certificate in a new temporary directory. */
    public static SelfSignedCertificate generate() throws IOException {
        return generate(Files.createTempDirectory("testkit-tls-"));
    }

    /** Generates a certificate into {@code directory}, which must exist. */
    public static SelfSignedCertificate generate(Path directory) throws IOException {
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        Path keyStore = directory.resolve("testkit-keystore.p12");
        Path pem = directory.resolve("testkit-ca.pem");
        keytool(password, "-genkeypair", "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1",
                "-sigalg", "SHA256withECDSA", "-dname", "CN=localhost, O=mlflow-secrets-auth testkit",
                "-ext", "san=dns:localhost,ip:127.0.0.1", "-validity", "3650",
                "-storetype", STORE_TYPE, "-keystore", keyStore.toString(),
                "-storepass:env", PASSWORD_ENV, "-keypass:env", PASSWORD_ENV);
        keytool(password, "-exportcert", "-rfc", "-alias", ALIAS, "-storetype", STORE_TYPE,
                "-keystore", keyStore.toString(), "-storepass:env", PASSWORD_ENV, "-file", pem.toString());
        return new SelfSignedCertificate(directory, keyStore, pem, password.toCharArray());
    }

    /** The certificate as a PEM file: what a client puts in its trust store (e.g. {@code VAULT_CACERT}). */
    public Path pemCertificate() {
        return pemCertificate;
    }

    /** The PKCS#12 key store holding the private key and certificate. */
    public Path keyStore() {
        return keyStore;
    }

    /** The key store's password (a copy). */
    public char[] password() {
        return password.clone();
    }

    /** A Jetty server-side TLS factory serving this certificate. */
    public SslContextFactory.Server newSslContextFactory() {
        SslContextFactory.Server factory = new SslContextFactory.Server();
        factory.setKeyStorePath(keyStore.toString());
        factory.setKeyStoreType(STORE_TYPE);
        factory.setKeyStorePassword(new String(password));
        factory.setCertAlias(ALIAS);
        return factory;
    }

    /**
     * Like {@link #newSslContextFactory()}, and asks every client for a certificate (wanted, not needed: a client
     * without one still connects), letting any chain through: the handlers judge what was presented, as Vault's
     * {@code cert} login does. The presented chain reaches them through Jetty's {@code SslSessionData}.
     */
    public SslContextFactory.Server newSslContextFactoryRequestingClientCertificates() {
        SslContextFactory.Server factory = new SslContextFactory.Server() {
            @Override
            protected TrustManager[] getTrustManagers(KeyStore trustStore, Collection<? extends CRL> crls) {
                return new TrustManager[] {new AnyClientCertificate()};
            }
        };
        factory.setKeyStorePath(keyStore.toString());
        factory.setKeyStoreType(STORE_TYPE);
        factory.setKeyStorePassword(new String(password));
        factory.setCertAlias(ALIAS);
        factory.setWantClientAuth(true);
        return factory;
    }

    /** A client {@link SSLContext} that trusts only this certificate (read back from the PEM file). */
    public SSLContext clientSslContext() throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(pemCertificate)) {
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("testkit-" + i++, certificate);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** Deletes the temporary files. */
    @Override
    public void close() throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static void keytool(String password, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put(PASSWORD_ENV, password);
        Process process = builder.start();
        try {
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("keytool " + args[0] + " timed out");
            }
            if (process.exitValue() != 0) {
                throw new IOException("keytool " + args[0] + " failed (exit " + process.exitValue() + "): "
                        + new String(output, StandardCharsets.UTF_8).strip());
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running keytool", e);
        }
    }
}
