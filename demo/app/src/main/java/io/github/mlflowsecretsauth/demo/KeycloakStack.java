package io.github.mlflowsecretsauth.demo;

import io.github.mlflowsecretsauth.testkit.keycloak.AudienceFront;
import io.github.mlflowsecretsauth.testkit.keycloak.Keycloak;
import io.github.mlflowsecretsauth.testkit.nginx.Nginx;
import io.github.mlflowsecretsauth.tracking.memory.MlflowServer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;

/**
 * The stack behind {@code make -C demo keycloak-up}: a real Keycloak (the Maven Central distribution, dev mode on
 * loopback) with a realm {@code mlflow} and two clients, the demo's MLflow tracking server (testkit), and a real nginx
 * in front of it that lets a request through only for a Keycloak token meant for MLflow ({@link AudienceFront}: njs
 * asking Keycloak's token introspection endpoint for {@code active} and {@code aud=mlflow-api}).
 *
 * <p>Arguments: the Keycloak distribution (the directory holding {@code bin/kc.sh}), a state directory, and
 * optionally the access tokens' lifespan in seconds (default 60). Into the state directory it writes
 * {@code env.sh} (the caller's environment variables, the client secret read from {@code client-secret}, mode 600),
 * {@code other-secret} (a client whose tokens are not for MLflow), {@code urls}, and last {@code ready}. It then runs
 * until it is killed (SIGTERM stops Keycloak and nginx). Exits 1 with one line if something cannot start.
 */
public final class KeycloakStack {
    static final String REALM = "mlflow";
    static final String AUDIENCE = "mlflow-api";
    static final String CLIENT = "mlflow-trainer";
    static final String OTHER = "other-service";

    private KeycloakStack() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 2) {
            System.err.println("usage: KeycloakStack KEYCLOAK_HOME STATE_DIR [TOKEN_LIFESPAN_SEC]");
            System.exit(2);
        }
        Path home = Path.of(args[0]);
        Path state = Path.of(args[1]).toAbsolutePath();
        Duration lifespan = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 60);
        if (!Files.isRegularFile(home.resolve("bin/kc.sh"))) {
            fail("no Keycloak distribution at " + home + " (bin/kc.sh): run make -C demo keycloak-up, which unpacks it");
        }
        if (!AudienceFront.isAvailable()) {
            fail(Nginx.isAvailable() ? AudienceFront.NOT_INSTALLED : Nginx.NOT_INSTALLED);
        }
        try {
            start(home, state, lifespan);
        } catch (RuntimeException | IOException e) {
            fail(String.valueOf(e.getMessage()).lines().findFirst().orElse("the stack did not start"));
        }
        Thread.currentThread().join(); // runs until killed; the launchers' shutdown hooks stop Keycloak and nginx
    }

    @SuppressWarnings("resource") // they live as long as this JVM; Keycloak's and nginx's shutdown hooks stop them
    private static void start(Path home, Path state, Duration lifespan) throws IOException {
        Files.createDirectories(state);
        System.out.println("    starting Keycloak (dev mode; about a minute on 2 cores)...");
        Keycloak keycloak = Keycloak.builder(home).realm(REALM, lifespan).start();
        System.out.printf("    Keycloak answered after %.0f s%n", keycloak.startTime().toMillis() / 1000.0);
        String secret = randomSecret();
        String otherSecret = randomSecret();
        String frontSecret = randomSecret();
        keycloak.addSecretClient(CLIENT, secret, AUDIENCE);
        keycloak.addSecretClient(OTHER, otherSecret, null);
        keycloak.addIntrospectionClient("nginx-front", frontSecret);
        MlflowServer mlflow = MlflowServer.builder().start();
        Nginx nginx = AudienceFront.protect(Nginx.builder(), "/api/", mlflow.uri(), keycloak, "nginx-front", frontSecret,
                AUDIENCE).start();

        writePrivate(state.resolve("client-secret"), secret);
        writePrivate(state.resolve("other-secret"), otherSecret);
        writePrivate(state.resolve("env.sh"), String.join("\n",
                "# Written by make -C demo keycloak-up: source it, then run bin/mlflow-secrets-auth exec -- ...",
                "export MLFLOW_TRACKING_URI=" + nginx.uri(),
                "export MLFLOW_SECRETS_AUTH_ENABLE=oauth2",
                "export MLFLOW_OAUTH2_ISSUER_URL=" + keycloak.issuer(),
                "export MLFLOW_OAUTH2_CLIENT_ID=" + CLIENT,
                "export MLFLOW_OAUTH2_CLIENT_SECRET=\"$(cat " + state.resolve("client-secret") + ")\"",
                "export MLFLOW_SECRETS_ALLOWED_HOSTS=127.0.0.1", ""));
        Files.writeString(state.resolve("urls"), String.join("\n",
                "MLflow through nginx (audience front): " + nginx.uri(),
                "Keycloak realm (issuer):               " + keycloak.issuer(),
                "Keycloak token endpoint:               " + keycloak.tokenUri(),
                "MLflow tracking server (behind nginx): " + mlflow.uri(),
                "Token lifespan:                        " + lifespan.toSeconds() + " s", ""), StandardCharsets.UTF_8);
        Files.writeString(state.resolve("ready"), ProcessHandle.current().pid() + "\n", StandardCharsets.UTF_8);
    }

    private static String randomSecret() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static void writePrivate(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    private static void fail(String line) {
        System.err.println("❌ " + line);
        System.exit(1);
    }
}
