package io.github.mlflowsecretsauth.testkit.keycloak;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The real Keycloak distribution ({@code org.keycloak:keycloak-quarkus-dist}, unpacked by Maven) run as a child
 * process in dev mode on loopback, with one realm whose access tokens are short-lived and an audience mapper on each
 * client it creates.
 *
 * <pre>{@code
 * try (Keycloak kc = Keycloak.builder(Keycloak.home().orElseThrow()).realm("mlflow", Duration.ofSeconds(30)).start()) {
 *     kc.addSecretClient("trainer", "s3cret", "mlflow-api");
 *     kc.addJwtClient("signer", jwksJson, "mlflow-api");
 *     ... kc.issuer(), kc.userinfoUri(), kc.tokenRequests("trainer") ...
 * }
 * }</pre>
 *
 * <p>What it runs: {@code bin/kc.sh start-dev --http-host=127.0.0.1 --http-port=PORT --db=dev-mem} with a bootstrap admin whose
 * password is random and an in-memory database ({@code --db=dev-mem}, so every start is a clean one); output goes to
 * {@code keycloak.log} in a temporary directory. {@link Builder#start()} waits for the realm's discovery document
 * (240 s by default: Keycloak needs about a minute on a busy 2-core machine) and records how long that took.
 *
 * <p>Failure behaviour: a start that exits or times out throws {@link IllegalStateException} with the last lines of
 * Keycloak's log and leaves no process behind. {@link #close()} kills the whole process tree and never throws;
 * should the JVM exit without it, a shutdown hook does the same.
 * Not thread-safe except for {@link #tokenRequests}.
 */
public final class Keycloak implements AutoCloseable {
    /** The system property naming the unpacked distribution (the directory holding {@code bin/kc.sh}). */
    public static final String HOME_PROPERTY = "keycloak.home";

    private final Process process;
    private final Path log;
    private final URI base;
    private final String realm;
    private final int lifespanSeconds;
    private final Duration startTime;
    private final KeycloakAdmin admin;
    private final Thread shutdownHook;

    private Keycloak(Process process, Path log, URI base, String realm, int lifespanSeconds, Duration startTime,
                     KeycloakAdmin admin) {
        this.process = process;
        this.log = log;
        this.base = base;
        this.realm = realm;
        this.lifespanSeconds = lifespanSeconds;
        this.startTime = startTime;
        this.admin = admin;
        this.shutdownHook = new Thread(() -> kill(process), "testkit-keycloak-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** The distribution named by {@value #HOME_PROPERTY}, when it holds {@code bin/kc.sh}. */
    public static Optional<Path> home() {
        String p = System.getProperty(HOME_PROPERTY, "");
        if (p.isBlank()) {
            return Optional.empty();
        }
        Path home = Path.of(p);
        return Files.isRegularFile(home.resolve("bin/kc.sh")) ? Optional.of(home) : Optional.empty();
    }

    public static Builder builder(Path home) {
        return new Builder(home);
    }

    /** The realm's issuer, {@code http://127.0.0.1:PORT/realms/REALM}. */
    public URI issuer() {
        return URI.create(base + "/realms/" + realm);
    }

    /** The realm's token endpoint. */
    public URI tokenUri() {
        return URI.create(issuer() + "/protocol/openid-connect/token");
    }

    /** The realm's OIDC userinfo endpoint: 200 for a valid access token with the {@code openid} scope, else 401. */
    public URI userinfoUri() {
        return URI.create(issuer() + "/protocol/openid-connect/userinfo");
    }

    /** The realm's token introspection endpoint (RFC 7662), for a client added by {@link #addIntrospectionClient}. */
    public URI introspectionUri() {
        return URI.create(tokenUri() + "/introspect");
    }

    /** The realm's JWKS (its signing keys), for a front that verifies tokens itself. */
    public URI jwksUri() {
        return URI.create(issuer() + "/protocol/openid-connect/certs");
    }

    /**
     * A confidential client that may only introspect tokens (no grant of its own): what an audience-checking front
     * such as {@link AudienceFront} authenticates with.
     */
    public void addIntrospectionClient(String clientId, String secret) {
        ObjectNode c = KeycloakAdmin.serviceClient(clientId, null, lifespanSeconds);
        c.put("serviceAccountsEnabled", false).put("clientAuthenticatorType", "client-secret").put("secret", secret);
        admin.createClient(realm, c);
    }

    /** How long Keycloak took from launch to answering the realm's discovery document. */
    public Duration startTime() {
        return startTime;
    }

    /** A confidential client (client_secret_basic or _post) with a service account; tokens carry {@code audience}. */
    public void addSecretClient(String clientId, String secret, String audience) {
        ObjectNode c = KeycloakAdmin.serviceClient(clientId, audience, lifespanSeconds);
        c.put("clientAuthenticatorType", "client-secret").put("secret", secret);
        admin.createClient(realm, c);
    }

    /** A private_key_jwt client ({@code client-jwt}) that trusts the keys of this JWKS document. */
    public void addJwtClient(String clientId, String jwksJson, String audience) {
        ObjectNode c = KeycloakAdmin.serviceClient(clientId, audience, lifespanSeconds);
        c.put("clientAuthenticatorType", "client-jwt");
        ((ObjectNode) c.get("attributes")).put("use.jwks.string", "true").put("jwks.string", jwksJson)
                .put("token.endpoint.auth.signing.alg", "RS256");
        admin.createClient(realm, c);
    }

    /** The access tokens Keycloak issued to this client so far (its {@code CLIENT_LOGIN} events). */
    public synchronized int tokenRequests(String clientId) {
        return admin.countEvents(realm, clientId, "CLIENT_LOGIN");
    }

    /** Kills Keycloak and every process it started. */
    @Override
    public void close() {
        kill(process);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a temporary file; the OS cleans it up
        }
    }

    private static void kill(Process p) {
        List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
        tree.forEach(ProcessHandle::destroy);
        p.destroy();
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                tree.forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        tree.forEach(ProcessHandle::destroyForcibly);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Configures and starts Keycloak. */
    public static final class Builder {
        private final Path home;
        private String realm = "mlflow";
        private int lifespanSeconds = 60;
        private Duration startTimeout = Duration.ofSeconds(240);

        private Builder(Path home) {
            this.home = home;
        }

        /** The realm to create and its access tokens' lifespan (whole seconds). */
        public Builder realm(String name, Duration tokenLifespan) {
            this.realm = name;
            this.lifespanSeconds = (int) tokenLifespan.toSeconds();
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        public Keycloak start() {
            int port = freePort();
            URI base = URI.create("http://127.0.0.1:" + port);
            String password = UUID.randomUUID().toString();
            Path log;
            Process p;
            try {
                log = Files.createTempFile("keycloak-", ".log");
                ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/kc.sh").toString(), "start-dev",
                        "--http-host=127.0.0.1", "--http-port=" + port, "--db=dev-mem")
                        .directory(home.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
                pb.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
                pb.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", password);
                p = pb.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + home.resolve("bin/kc.sh") + ": " + e.getMessage(), e);
            }
            long t0 = System.nanoTime();
            try {
                waitForDiscovery(p, log, URI.create(base + "/realms/master/.well-known/openid-configuration"));
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                KeycloakAdmin admin = new KeycloakAdmin(base, "admin", password);
                admin.createRealm(realm, lifespanSeconds);
                return new Keycloak(p, log, base, realm, lifespanSeconds, took, admin);
            } catch (RuntimeException e) {
                kill(p);
                throw e;
            }
        }

        private void waitForDiscovery(Process p, Path log, URI discovery) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            long deadline = System.nanoTime() + startTimeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("Keycloak exited with " + p.exitValue() + " while starting: " + tail(log));
                }
                try {
                    HttpResponse<Void> r = http.send(HttpRequest.newBuilder(discovery).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for Keycloak", e);
                }
                try {
                    Thread.sleep(500); // polling a child process's readiness, not waiting for a TTL
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for Keycloak", e);
                }
            }
            throw new IllegalStateException("Keycloak did not answer " + discovery + " within " + startTimeout.toSeconds()
                    + " s on this machine: " + tail(log));
        }

        private static String tail(Path log) {
            try {
                List<String> lines = Files.readAllLines(log);
                return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
            } catch (IOException e) {
                return "(no log: " + e.getMessage() + ")";
            }
        }
    }
}
