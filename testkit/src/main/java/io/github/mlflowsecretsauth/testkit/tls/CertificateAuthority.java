package io.github.mlflowsecretsauth.testkit.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A throw-away certificate authority for mutual-TLS tests, made with the {@code openssl} command-line
 * tool: an EC P-256 CA, a server certificate for {@code 127.0.0.1} and {@code localhost}, and client
 * certificates with RSA or EC keys and any validity window (an expired one, one not valid yet).
 * Everything is PEM files in one directory that {@link #close()} deletes.
 *
 * <pre>{@code
 * try (CertificateAuthority ca = CertificateAuthority.create("test CA")) {
 *     IssuedCertificate server = ca.serverCertificate();
 *     IssuedCertificate client = ca.clientCertificate("ml-job");
 *     ... nginx with server.certificatePem()/privateKeyPem(), requiring ca.certificatePem() ...
 * }
 * }</pre>
 *
 * <p>Thread-safe: issuing is serialised (openssl's CA database is one file). Failure behaviour:
 * {@link IllegalStateException} with openssl's output when openssl is missing or fails.
 */
public final class CertificateAuthority implements AutoCloseable {

    /** The key algorithm of an issued certificate. */
    public enum KeyType { RSA, EC }

    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter GENERALIZED_TIME =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

    private static final String CONFIG = """
            [ ca ]
            default_ca = testkit
            [ testkit ]
            database = index.txt
            new_certs_dir = issued
            serial = serial
            default_md = sha256
            policy = any
            unique_subject = no
            copy_extensions = none
            email_in_dn = no
            [ any ]
            commonName = supplied
            organizationName = optional
            [ server ]
            basicConstraints = critical,CA:FALSE
            keyUsage = critical,digitalSignature,keyEncipherment
            extendedKeyUsage = serverAuth
            subjectAltName = IP:127.0.0.1,DNS:localhost
            [ client ]
            basicConstraints = critical,CA:FALSE
            keyUsage = critical,digitalSignature,keyEncipherment
            extendedKeyUsage = clientAuth
            """;

    private final Path directory;
    private final Path certificate;
    private final Path privateKey;
    private int issued;

    private CertificateAuthority(Path directory) {
        this.directory = directory;
        this.certificate = directory.resolve("ca.pem");
        this.privateKey = directory.resolve("ca-key.pem");
    }

    /** A new CA named {@code name} (its subject's CN) in a new temporary directory. */
    public static CertificateAuthority create(String name) {
        try {
            return create(Files.createTempDirectory("testkit-ca-"), name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the CA", e);
        }
    }

    /** A new CA named {@code name} in {@code directory}, which must exist and be empty. */
    public static CertificateAuthority create(Path directory, String name) {
        Objects.requireNonNull(name, "name");
        CertificateAuthority ca = new CertificateAuthority(directory.toAbsolutePath());
        try {
            Files.createDirectories(ca.directory.resolve("issued"));
            Files.writeString(ca.directory.resolve("ca.cnf"), CONFIG, StandardCharsets.US_ASCII);
            Files.writeString(ca.directory.resolve("index.txt"), "", StandardCharsets.US_ASCII);
            Files.writeString(ca.directory.resolve("serial"), "1000\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + directory, e);
        }
        OpenSsl.run(ca.directory, Map.of(), "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", ca.privateKey.toString(), "-out", ca.certificate.toString(), "-days", "3650",
                "-subj", subject(name), "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        return ca;
    }

    /** The CA's certificate as PEM: what a server or client puts in its trust store. */
    public Path certificatePem() {
        return certificate;
    }

    /** The directory holding every file; gone after {@link #close()}. */
    public Path directory() {
        return directory;
    }

    /** A server certificate for {@code 127.0.0.1} and {@code localhost} (EC key), valid from a day ago for a year. */
    public IssuedCertificate serverCertificate() {
        Instant now = Instant.now();
        return issue("localhost", KeyType.EC, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)), "server");
    }

    /** A client certificate with an EC key, valid from a day ago for a year. */
    public IssuedCertificate clientCertificate(String commonName) {
        return clientCertificate(commonName, KeyType.EC);
    }

    /** A client certificate with a {@code type} key, valid from a day ago for a year. */
    public IssuedCertificate clientCertificate(String commonName, KeyType type) {
        Instant now = Instant.now();
        return clientCertificate(commonName, type, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)));
    }

    /** A client certificate valid exactly from {@code notBefore} to {@code notAfter}: in the past, say, for an expired one. */
    public IssuedCertificate clientCertificate(String commonName, KeyType type, Instant notBefore, Instant notAfter) {
        if (!notAfter.isAfter(notBefore)) {
            throw new IllegalArgumentException("notAfter must be after notBefore");
        }
        return issue(commonName, type, notBefore, notAfter, "client");
    }

    private synchronized IssuedCertificate issue(String commonName, KeyType type, Instant notBefore, Instant notAfter,
                                                 String extensions) {
        Path dir = directory.resolve(String.format("%03d-%s", ++issued, commonName.replaceAll("[^A-Za-z0-9.-]", "_")));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        Path key = dir.resolve("key.pem");
        Path csr = dir.resolve("request.csr");
        Path cert = dir.resolve("cert.pem");
        if (type == KeyType.RSA) {
            OpenSsl.run(dir, Map.of(), "genpkey", "-quiet", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                    "-out", key.toString());
        } else {
            OpenSsl.run(dir, Map.of(), "genpkey", "-quiet", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-out", key.toString());
        }
        OpenSsl.run(dir, Map.of(), "req", "-new", "-key", key.toString(), "-subj", subject(commonName), "-out", csr.toString());
        OpenSsl.run(directory, Map.of(), "ca", "-batch", "-config", "ca.cnf", "-cert", certificate.toString(),
                "-keyfile", privateKey.toString(), "-in", csr.toString(), "-out", cert.toString(),
                "-startdate", asn1Time(notBefore), "-enddate", asn1Time(notAfter), "-extensions", extensions, "-notext");
        return new IssuedCertificate(cert, key, certificate, type);
    }

    /** RFC 5280: UTCTime through 2049, GeneralizedTime after. */
    private static String asn1Time(Instant t) {
        return t.atZone(ZoneOffset.UTC).getYear() < 2050 ? UTC_TIME.format(t) : GENERALIZED_TIME.format(t);
    }

    private static String subject(String commonName) {
        if (commonName.isEmpty() || commonName.chars().anyMatch(c -> c == '/' || c == '=' || c == '\\' || c < 0x20)) {
            throw new IllegalArgumentException("a common name without '/', '=', '\\' or control characters");
        }
        return "/CN=" + commonName + "/O=mlflow-secrets-auth testkit";
    }

    /** Deletes the CA's directory and every certificate issued in it. Idempotent. */
    @Override
    public void close() {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + directory, e);
        }
    }

    @Override
    public String toString() {
        return "CertificateAuthority[" + directory + "]";
    }
}
