package io.github.mlflowsecretsauth.demo;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `make -C demo up`, `check` and `down` without Docker, through the script they run (demo/run-local.sh): the stack
 * runs in the background with its URLs printed, answers the curl checks, and after `down` no process and no port of
 * it is left.
 */
class LocalStackIT {
    private static final Path RUN_LOCAL = Path.of("..", "run-local.sh").toAbsolutePath().normalize();

    @TempDir
    Path runDir;

    record Run(int exit, String output) {
    }

    private Run script(String command, Map<String, String> env) throws Exception {
        Path out = Files.createTempFile(runDir.getParent(), "run-local-", ".out");
        ProcessBuilder pb = new ProcessBuilder(List.of("bash", RUN_LOCAL.toString(), command)).redirectErrorStream(true)
                .redirectOutput(out.toFile()); // a file, not a pipe: the stack `up` leaves behind must not hold our stdout
        pb.environment().keySet().removeIf(k -> k.startsWith("MLFLOW_") || k.startsWith("VAULT_") || k.startsWith("DEMO_")
                || k.equals("AUTH_MODE"));
        pb.environment().put("DEMO_RUN_DIR", runDir.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        assertThat(p.waitFor(240, TimeUnit.SECONDS)).as(command + " finishes").isTrue();
        String text = Files.readString(out, StandardCharsets.UTF_8);
        Files.delete(out);
        return new Run(p.exitValue(), text);
    }

    private Map<String, String> file(String name, String separator) throws IOException {
        return Files.readAllLines(runDir.resolve(name)).stream().filter(l -> l.contains(separator))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf(separator)), l -> l.substring(l.indexOf(separator) + 1)));
    }

    private static boolean listening(URI uri) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean alive(String pid) {
        return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void upCheckDown_leavesNoProcessAndNoPort() throws Exception {
        // No Python mlflow, even on a machine that has one: the testkit's server and the Java client.
        Map<String, String> env = Map.of("AUTH_MODE", "bearer", "DEMO_NGINX_PORT", "0", "DEMO_VAULT_PORT", "0",
                "DEMO_PYTHON", "/nonexistent/python3");
        Map<String, String> pids = Map.of();
        try {
            Run up = script("up", env);
            assertThat(up.exit()).as(up.output()).isZero();
            Map<String, String> stack = file("stack.env", "=");
            pids = file("stack.pids", " ");
            URI nginx = URI.create(stack.get("NGINX_URL"));
            URI vault = URI.create(stack.get("VAULT_URL"));
            assertThat(up.output()).contains("No Python mlflow (/nonexistent/python3 -c 'import mlflow' fails): using the testkit's")
                    .contains("The stack is up (AUTH_MODE=bearer)")
                    .contains("MLflow UI and API, through nginx: " + nginx).contains("Vault: " + vault)
                    .contains("export MLFLOW_TRACKING_URI=" + nginx).contains("export MLFLOW_SECRETS_AUTH_ENABLE=vault")
                    .contains("Validated: the server holds 3 runs with auth_mode=bearer")
                    .doesNotContain(LocalDemo.PASSWORD).doesNotContain(LocalDemo.TOKEN);
            assertThat(pids).containsKeys("demo", "nginx");
            assertThat(pids.values()).allMatch(LocalStackIT::alive);
            assertThat(listening(nginx)).isTrue();
            assertThat(listening(vault)).isTrue();

            Run again = script("up", env);
            assertThat(again.exit()).isZero();
            assertThat(again.output()).contains("already running");

            Run check = script("check", Map.of());
            assertThat(check.exit()).as(check.output()).isZero();
            assertThat(check.output()).contains("no credential").contains("HTTP 401")
                    .contains("Bearer API key (the credential in Vault)").contains("test_setup: all checks passed");

            Run down = script("down", Map.of());
            assertThat(down.exit()).as(down.output()).isZero();
            assertThat(down.output()).contains("Stopped the local demo stack");
            assertThat(pids.values()).noneMatch(LocalStackIT::alive);
            assertThat(listening(nginx)).as("nginx's port after down").isFalse();
            assertThat(listening(vault)).as("Vault's port after down").isFalse();
            assertThat(runDir.resolve("demo.pid")).doesNotExist();
            assertThat(runDir.resolve("stack.env")).doesNotExist();

            Run downAgain = script("down", Map.of());
            assertThat(downAgain.exit()).isZero();
            assertThat(downAgain.output()).contains("not running");
            Run checkDown = script("check", Map.of());
            assertThat(checkDown.exit()).isEqualTo(1);
            assertThat(checkDown.output()).contains("the local demo stack is not running: make -C demo up");
        } finally {
            pids.values().forEach(pid -> ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    @Test
    void up_withAPythonMlflow_runsPythonsServer_andOneThatCannotStart_leavesNothingBehind(@TempDir Path site) throws Exception {
        Assumptions.assumeTrue(new ProcessBuilder("python3", "--version").start().waitFor() == 0, "python3 is not installed");
        // A package that imports as mlflow and has a version but no server: the branch is taken, the server fails.
        Files.createDirectories(site.resolve("mlflow"));
        Files.writeString(site.resolve("mlflow/__init__.py"), "__version__ = '0.0-stub'\n");
        Run up = script("up", Map.of("PYTHONPATH", site.toString(), "DEMO_NGINX_PORT", "0", "DEMO_VAULT_PORT", "0"));
        assertThat(up.exit()).as(up.output()).isEqualTo(1);
        assertThat(up.output()).contains("A Python mlflow is installed (python3): MLflow is Python's own 'mlflow server'")
                .contains("MLflow tracking server (Python mlflow server, ")
                .contains("❌ the Python mlflow server exited with code 1: ").contains("No module named mlflow.__main__")
                .contains("the local demo stack did not start").contains(runDir.resolve("mlflow/mlflow-server.log").toString());
        assertThat(runDir.resolve("mlflow/mlflow-server.log")).content().contains("No module named mlflow.__main__");
        assertThat(runDir.resolve("demo.pid")).doesNotExist();
        assertThat(runDir.resolve("stack.env")).doesNotExist();
        assertThat(script("down", Map.of()).output()).contains("not running");
        assertThat(runDir.resolve("mlflow")).doesNotExist();
    }

    @Test
    void up_refusesATakenPort_withOneLineThatNamesTheVariable() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Run up = script("up", Map.of("DEMO_NGINX_PORT", String.valueOf(taken.getLocalPort()), "DEMO_VAULT_PORT", "0"));
            assertThat(up.exit()).isEqualTo(1);
            assertThat(up.output()).contains("port " + taken.getLocalPort() + " on 127.0.0.1 is in use: set DEMO_NGINX_PORT")
                    .contains("the local demo stack did not start");
            assertThat(runDir.resolve("demo.pid")).doesNotExist();
            assertThat(Optional.ofNullable(runDir.toFile().list()).map(List::of).orElse(List.of())).doesNotContain("stack.env");
        }
    }
}
