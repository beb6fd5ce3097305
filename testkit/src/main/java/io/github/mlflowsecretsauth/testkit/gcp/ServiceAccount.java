package io.github.mlflowsecretsauth.testkit.gcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mlflowsecretsauth.tracking.memory.internal.JsonHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A fake Google service account: an e-mail, a numeric client id and a freshly generated 2048-bit RSA
 * key (JDK {@link KeyPairGenerator}) whose public half the {@link GcpSecretManagerServer} uses to
 * verify the JWT assertions signed with the private half. {@link #writeKeyFile} writes the JSON key
 * file Google hands out ({@code "type": "service_account"}), with {@code token_uri} pointing at the
 * testkit, for {@code GOOGLE_APPLICATION_CREDENTIALS}.
 *
 * <p>Thread-safe: immutable. {@link #toString()} shows the e-mail and key id only.
 */
public final class ServiceAccount {
    private final String email;
    private final String clientId;
    private final String privateKeyId;
    private final String projectId;
    private final KeyPair keys;

    private ServiceAccount(String email, String clientId, String privateKeyId, String projectId, KeyPair keys) {
        this.email = email;
        this.clientId = clientId;
        this.privateKeyId = privateKeyId;
        this.projectId = projectId;
        this.keys = keys;
    }

    /** A new account {@code <name>@<projectId>.iam.gserviceaccount.com} with a new key. */
    public static ServiceAccount generate(String name, String projectId) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            ThreadLocalRandom r = ThreadLocalRandom.current();
            byte[] kid = new byte[20];
            r.nextBytes(kid);
            String clientId = "1" + String.format("%020d", Math.abs(r.nextLong() % 100_000_000_000_000_000L));
            return new ServiceAccount(name + "@" + projectId + ".iam.gserviceaccount.com", clientId,
                    HexFormat.of().formatHex(kid), projectId, g.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot generate an RSA key", e);
        }
    }

    /** The same account with a new key (the old key no longer verifies). */
    public ServiceAccount withNewKey() {
        ServiceAccount fresh = generate("x", projectId);
        return new ServiceAccount(email, clientId, fresh.privateKeyId, projectId, fresh.keys);
    }

    public String email() {
        return email;
    }

    public String clientId() {
        return clientId;
    }

    public String privateKeyId() {
        return privateKeyId;
    }

    public String projectId() {
        return projectId;
    }

    /** The key the server verifies assertions with. */
    public RSAPublicKey publicKey() {
        return (RSAPublicKey) keys.getPublic();
    }

    /** The private key as PKCS#8 PEM, as in Google's key files; a canary for leak tests. */
    public String privateKeyPem() {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPrivate().getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + b64 + "\n-----END PRIVATE KEY-----\n";
    }

    /** The key file's JSON, {@code token_uri} set to {@code tokenUri}. */
    public String keyFileJson(URI tokenUri) {
        ObjectNode n = JsonHttp.MAPPER.createObjectNode();
        n.put("type", "service_account");
        n.put("project_id", projectId);
        n.put("private_key_id", privateKeyId);
        n.put("private_key", privateKeyPem());
        n.put("client_email", email);
        n.put("client_id", clientId);
        n.put("auth_uri", "https://accounts.google.com/o/oauth2/auth");
        n.put("token_uri", tokenUri.toString());
        n.put("auth_provider_x509_cert_url", "https://www.googleapis.com/oauth2/v1/certs");
        n.put("client_x509_cert_url", "https://www.googleapis.com/robot/v1/metadata/x509/" + email.replace("@", "%40"));
        n.put("universe_domain", "googleapis.com");
        try {
            return JsonHttp.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@link #keyFileJson} to {@code file} (owner-readable only where the file system allows) and returns it. */
    public Path writeKeyFile(Path file, URI tokenUri) {
        try {
            Files.writeString(file, keyFileJson(tokenUri), StandardCharsets.UTF_8);
            file.toFile().setReadable(false, false);
            file.toFile().setReadable(true, true);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "ServiceAccount[" + email + ", key " + privateKeyId + "]";
    }
}
