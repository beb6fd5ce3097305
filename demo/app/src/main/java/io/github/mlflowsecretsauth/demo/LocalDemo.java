package io.github.mlflowsecretsauth.demo;

import io.github.mlflowsecretsauth.testkit.nginx.AccessRules;
import io.github.mlflowsecretsauth.testkit.nginx.Nginx;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The seed's demo without Docker: the testkit Vault (dev-mode token {@code demo-root-token-12345})
 * in place of the Vault container, Python's {@code mlflow server} when a Python {@code mlflow} is installed (else the
 * testkit MLflow server) in place of MLflow's, and Debian's nginx enforcing Basic auth, then an API key. It seeds the
 * credential, shows a request without the plugin failing with 401, then runs the training client (the Java client
 * {@link DemoClient}, or with Python's mlflow {@code train.py} through {@code mlflow-secrets-auth exec}, each a
 * separate process configured only by environment variables) in both auth modes, and checks the result.
 *
 * <p>{@code --up REPO RUN_DIR} starts the same stack in one auth mode and keeps it running ({@link LocalStack}).
 *
 * <p>Environment: {@code AUTH_MODE} = basic, bearer or both (default); {@code DEMO_SECRET_PASSWORD}
 * and {@code DEMO_SECRET_TOKEN} override what is seeded into Vault (try a wrong one). Exits 0 when
 * every step passes, 1 with a one-line reason otherwise.
 */
public final class LocalDemo {
    static final String ROOT_TOKEN = "demo-root-token-12345";
    static final String USER = "mlflow-user";
    static final String PASSWORD = "secure-password-123";
    static final String TOKEN = "mlflow-api-key-demo-567890abcdef";

    private final Path repo;
    private final Path workDir; // an empty directory for the children, so no stray .env is read
    private final HttpClient http = HttpClient.newHttpClient();

    private LocalDemo(Path repo, Path workDir) {
        this.repo = repo;
        this.workDir = workDir;
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("--up")) {
            LocalStack.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        Path repo = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        String modes = Optional.ofNullable(System.getenv("AUTH_MODE")).orElse("both").toLowerCase(java.util.Locale.ROOT);
        if (!List.of("basic", "bearer", "both").contains(modes)) {
            System.err.println("❌ AUTH_MODE must be basic, bearer or both");
            System.exit(2);
        }
        Path workDir = null;
        try {
            workDir = Files.createTempDirectory("mlflow-secrets-auth-demo-");
            int code = new LocalDemo(repo, workDir).run(modes);
            deleteTree(workDir);
            System.exit(code);
        } catch (IllegalStateException | IOException e) {
            String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("the demo failed");
            System.err.println("❌ " + message);
            if (workDir != null && !message.contains(workDir.toString())) { // keep it only when the message names a log there
                deleteQuietly(workDir);
            }
            System.exit(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.exit(130);
        }
    }

    private int run(String modes) throws IOException, InterruptedException {
        step("Starting the stack: Vault (testkit, dev mode), MLflow tracking server (" + trackingKind()
                + ") and nginx (Debian)");
        if (!Nginx.isAvailable()) {
            throw new IllegalStateException(Nginx.NOT_INSTALLED + " (the demo puts a real nginx in front of MLflow)");
        }
        try (VaultServer vault = VaultServer.builder().rootToken(ROOT_TOKEN).start();
             Tracking mlflow = Tracking.start(workDir.resolve("mlflow"));
             Nginx nginx = Nginx.builder().upstream(mlflow.uri()).basicAuth(USER, PASSWORD).start()) {
            say("Vault   " + vault.address() + "  (root token " + ROOT_TOKEN + ")");
            say(mlflow.describe());
            say("nginx   " + nginx.uri() + "  (the only way in; it demands a credential)");
            List<String> order = modes.equals("both") ? List.of("basic", "bearer") : List.of(modes);
            for (String mode : order) {
                if (!runMode(mode, vault, mlflow, nginx)) {
                    return 1;
                }
            }
            step("Result");
            int runs = mlflow.runs("mlflow-secrets-auth-demo");
            say("The MLflow server holds " + runs + " runs in 'mlflow-secrets-auth-demo', logged through nginx with credentials");
            say("fetched from Vault by mlflow-secrets-auth. The training code never saw a password or token.");
            System.out.println();
            System.out.println("✅ Demo complete.");
            return 0;
        }
    }

    private boolean runMode(String mode, VaultServer vault, Tracking mlflow, Nginx nginx) throws IOException, InterruptedException {
        step("AUTH_MODE=" + mode + ": seeding Vault and configuring nginx");
        seed(mode, vault, nginx);

        step("Without the plugin: a plain request to nginx");
        URI probe = URI.create(nginx.uri() + "/api/2.0/mlflow/experiments/search?max_results=1");
        HttpResponse<String> plain = http.send(HttpRequest.newBuilder(probe).build(), HttpResponse.BodyHandlers.ofString());
        say("GET " + probe.getPath() + " -> HTTP " + plain.statusCode() + (plain.statusCode() == 401 ? " (rejected, as expected)" : ""));
        if (plain.statusCode() != 401) {
            System.err.println("❌ nginx let an unauthenticated request through (HTTP " + plain.statusCode() + ")");
            return false;
        }

        Map<String, String> env = Children.clientEnvironment(mode, vault.address(), nginx.uri());
        step("mlflow-secrets-auth doctor --dry-run " + nginx.uri());
        int doctor = Children.run(List.of(repo.resolve("bin/mlflow-secrets-auth").toString(), "doctor", "--dry-run",
                nginx.uri().toString()), env, workDir, true);
        if (doctor != 0) {
            System.err.println("❌ doctor failed for AUTH_MODE=" + mode + ": the credential in Vault is not accepted by nginx "
                    + "(see the report above)");
            return false;
        }
        say("doctor: the credential from Vault is accepted (details with: bin/mlflow-secrets-auth doctor --dry-run URL)");

        step(Children.clientTitle(mlflow));
        int client = Children.run(Children.client(repo, mlflow), env, workDir, false);
        if (client != 0) {
            System.err.println("❌ the demo client failed for AUTH_MODE=" + mode);
            return false;
        }
        return true;
    }

    /** Writes the credential of {@code mode} into Vault and makes nginx demand it (DEMO_SECRET_* seed another one). */
    static void seed(String mode, VaultServer vault, Nginx nginx) {
        if (mode.equals("basic")) {
            String pw = Optional.ofNullable(System.getenv("DEMO_SECRET_PASSWORD")).orElse(PASSWORD);
            vault.putSecret("secret/mlflow/auth", Map.of("username", USER, "password", pw));
            nginx.replaceCredentials(AccessRules.none().withBasicUser(USER, PASSWORD));
            say("vault kv put secret/mlflow/auth username=" + USER + " password=********");
            say("nginx: auth_basic with an htpasswd entry for " + USER);
        } else {
            String token = Optional.ofNullable(System.getenv("DEMO_SECRET_TOKEN")).orElse(TOKEN);
            vault.putSecret("secret/mlflow/auth", Map.of("token", token));
            nginx.replaceCredentials(AccessRules.none().withBearerTokens(TOKEN));
            say("vault kv put secret/mlflow/auth token=********");
            say("nginx: only 'Authorization: Bearer <the API key>' gets through");
        }
    }

    /** What serves MLflow: the testkit's server, or Python's when run-local.sh found a Python mlflow. */
    static String trackingKind() {
        String python = System.getenv(Tracking.PYTHON);
        return python == null || python.isBlank() ? "testkit" : "Python mlflow server, " + python;
    }

    private static void deleteQuietly(Path dir) {
        try {
            deleteTree(dir);
        } catch (IOException e) {
            System.err.println("❌ cannot delete " + dir + ": " + e.getMessage());
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static void step(String title) {
        System.out.println();
        System.out.println("==> " + title);
    }

    static void say(String line) {
        System.out.println("    " + line);
    }
}
