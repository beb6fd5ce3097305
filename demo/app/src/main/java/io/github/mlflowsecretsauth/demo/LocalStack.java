package io.github.mlflowsecretsauth.demo;

import io.github.mlflowsecretsauth.testkit.nginx.AccessRules;
import io.github.mlflowsecretsauth.testkit.nginx.Nginx;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;

/**
 * {@code make -C demo up} without Docker ({@code run-local.sh up} runs {@code LocalDemo --up REPO RUN_DIR} in the
 * background): the local demo's stack (Vault, the MLflow server, nginx) in one auth mode, seeded, with the training
 * client run once, then kept running until the JVM is told to stop (SIGTERM, from {@code run-local.sh down}), which
 * stops nginx and Python's mlflow server too.
 *
 * <p>Once everything answers it writes, each by an atomic rename, {@code RUN_DIR/stack.pids} (one {@code NAME PID}
 * line per process: this JVM, nginx, Python's server and its workers) and then {@code RUN_DIR/stack.env} (the URLs and
 * the client's variables, {@code NAME=value} lines that a shell can source), which tells {@code run-local.sh} the stack
 * is up. Environment: {@code AUTH_MODE} basic (default) or bearer; {@code DEMO_NGINX_PORT} (default 8080) and
 * {@code DEMO_VAULT_PORT} (default 8200), 0 for a free one. Python's mlflow server keeps its database, artifacts and log
 * in {@code RUN_DIR/mlflow}, which {@code run-local.sh} clears at {@code up} and {@code down}.
 */
final class LocalStack {
    private LocalStack() {
    }

    static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("❌ usage: LocalDemo --up REPO RUN_DIR");
            System.exit(2);
        }
        Path repo = Path.of(args[0]).toAbsolutePath().normalize();
        Path runDir = Path.of(args[1]).toAbsolutePath().normalize();
        String mode = Optional.ofNullable(System.getenv("AUTH_MODE")).filter(m -> !m.isBlank()).orElse("basic")
                .toLowerCase(Locale.ROOT);
        if (!List.of("basic", "bearer").contains(mode)) {
            System.err.println("❌ AUTH_MODE must be basic or bearer for `make up` (the stack runs one mode), not '" + mode + "'");
            System.exit(2);
        }
        try {
            int nginxPort = port("DEMO_NGINX_PORT", 8080);
            int vaultPort = port("DEMO_VAULT_PORT", 8200);
            Files.createDirectories(runDir);
            Path workDir = Files.createTempDirectory("mlflow-secrets-auth-demo-up-");
            System.exit(up(repo, runDir, workDir, mode, nginxPort, vaultPort));
        } catch (IllegalStateException | IOException e) {
            System.err.println("❌ " + String.valueOf(e.getMessage()).lines().findFirst().orElse("the stack did not start"));
            System.exit(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.exit(130);
        }
    }

    private static int up(Path repo, Path runDir, Path workDir, String mode, int nginxPort, int vaultPort)
            throws IOException, InterruptedException {
        LocalDemo.step("Starting the stack in the background: Vault (testkit, dev mode), MLflow tracking server ("
                + LocalDemo.trackingKind() + ") and nginx (Debian), AUTH_MODE=" + mode);
        if (!Nginx.isAvailable()) {
            throw new IllegalStateException(Nginx.NOT_INSTALLED + " (the demo puts a real nginx in front of MLflow)");
        }
        List<AutoCloseable> running = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(running, workDir), "demo-stack-stop"));
        VaultServer vault = VaultServer.builder().rootToken(LocalDemo.ROOT_TOKEN).port(vaultPort).start();
        running.add(vault);
        // Python's server keeps its database and log in RUN_DIR/mlflow, so a failed start leaves its log to read there.
        Tracking mlflow = Tracking.start(runDir.resolve("mlflow"));
        running.add(mlflow);
        Nginx nginx = Nginx.builder().upstream(mlflow.uri()).port(nginxPort)
                .accessRules(mode.equals("basic") ? AccessRules.none().withBasicUser(LocalDemo.USER, LocalDemo.PASSWORD)
                        : AccessRules.none().withBearerTokens(LocalDemo.TOKEN)).start();
        running.add(nginx);
        LocalDemo.say("Vault   " + vault.address() + "  (root token " + LocalDemo.ROOT_TOKEN + ")");
        LocalDemo.say(mlflow.describe());
        LocalDemo.say("nginx   " + nginx.uri() + "  (the only way in; it demands a credential)");
        LocalDemo.seed(mode, vault, nginx);

        Map<String, String> env = Children.clientEnvironment(mode, vault.address(), nginx.uri());
        LocalDemo.step(Children.clientTitle(mlflow) + ", once");
        if (Children.run(Children.client(repo, mlflow), env, workDir, false) != 0) {
            System.err.println("❌ the demo client failed for AUTH_MODE=" + mode + "; stopping the stack");
            return 1;
        }

        Map<String, String> pids = new TreeMap<>();
        pids.put("demo", String.valueOf(ProcessHandle.current().pid()));
        pids.put("nginx", String.valueOf(nginx.pid()));
        List<Long> served = mlflow.pids();
        for (int i = 0; i < served.size(); i++) {
            pids.put("mlflow-" + i, String.valueOf(served.get(i)));
        }
        writeAtomically(runDir.resolve("stack.pids"), lines(pids, " "));
        Map<String, String> shown = new TreeMap<>(env);
        shown.put("NGINX_URL", nginx.uri().toString());
        shown.put("VAULT_URL", vault.address().toString());
        shown.put("AUTH_MODE", mode);
        mlflow.python().ifPresent(python -> shown.put(Tracking.PYTHON, python));
        writeAtomically(runDir.resolve("stack.env"), lines(shown, "="));

        LocalDemo.step("The stack is up (AUTH_MODE=" + mode + ")");
        LocalDemo.say("MLflow UI and API, through nginx: " + nginx.uri() + (mode.equals("basic")
                ? "  (the browser asks for " + LocalDemo.USER + " and the password in Vault)" : "  (needs the API key: see README)"));
        LocalDemo.say("Vault: " + vault.address() + "  (token " + LocalDemo.ROOT_TOKEN + ")");
        LocalDemo.say("A training job's environment (also in " + runDir.resolve("stack.env") + "):");
        env.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> LocalDemo.say("  export " + e.getKey() + "=" + e.getValue()));
        LocalDemo.say("Stop it with: make -C demo down");
        System.out.flush();
        new CountDownLatch(1).await(); // until SIGTERM: the shutdown hook stops everything
        return 0;
    }

    private static void stop(List<AutoCloseable> running, Path workDir) {
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                System.err.println("❌ stopping " + running.get(i).getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        try {
            LocalDemo.deleteTree(workDir);
        } catch (IOException e) {
            System.err.println("❌ cannot delete " + workDir + ": " + e.getMessage());
        }
    }

    /** The port in {@code variable} (else {@code fallback}); 0 picks a free one. Refuses a port something holds. */
    private static int port(String variable, int fallback) throws IOException {
        String value = Optional.ofNullable(System.getenv(variable)).filter(v -> !v.isBlank()).orElse(String.valueOf(fallback));
        int port;
        try {
            port = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalStateException(variable + " must be a port number (0 picks a free one), not '" + value + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalStateException(variable + " must be a port number between 0 and 65535, not " + port);
        }
        if (port == 0) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            }
        }
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return port;
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " on 127.0.0.1 is in use: set " + variable
                    + " to a free port (0 picks one), or stop what holds it");
        }
    }

    private static String lines(Map<String, String> values, String separator) {
        StringBuilder out = new StringBuilder();
        values.forEach((k, v) -> out.append(k).append(separator).append(v).append('\n'));
        return out.toString();
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
