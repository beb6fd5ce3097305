package io.github.mlflowsecretsauth.reliability;

import io.github.mlflowsecretsauth.tracking.memory.MlflowServer;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 3 (exec): a signal sent to {@code exec} reaches its child as itself, exec exits with the child's code
 * (128 + the signal's number when the child died of it), and a SIGKILLed exec does not leave its child running.
 * exec runs as a separate JVM, its child a real shell.
 */
class ExecSignalsTest {
    private static VaultServer vault;
    private static MlflowServer mlflow;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        vault = VaultServer.builder().start();
        vault.putSecret(Stack.SECRET_PATH, Map.of("token", Canary.token(0)));
        mlflow = MlflowServer.builder().start();
    }

    @AfterAll
    static void stop() {
        mlflow.close();
        vault.close();
    }

    private static ExecProcess exec(String name, Path dir, String script) throws IOException {
        Map<String, String> s = Stack.vaultSettings(vault.address(), vault.rootToken());
        s.put("MLFLOW_TRACKING_URI", mlflow.uri().toString());
        return ExecProcess.start(name, dir, s, List.of(), script);
    }

    /** A shell that traps the signal (exit {@code code}) or not ({@code code} 0), says ready, then idles. */
    private static String child(String signal, int code) {
        String trap = code == 0 ? "" : "trap 'echo \"CHILD got " + signal + "\"; exit " + code + "' " + signal + "; ";
        return trap + "echo 'CHILD ready'; while :; do sleep 0.05; done";
    }

    @Test
    void sigintSigtermAndSighup_reachTheChildAsThemselves_andExecExitsWithItsCode() throws Exception {
        StringBuilder codes = new StringBuilder();
        long worstMs = 0;
        for (String[] c : new String[][] {{"INT", "42"}, {"HUP", "43"}, {"TERM", "44"}, {"INT", "0"}, {"TERM", "0"}}) {
            int trapped = Integer.parseInt(c[1]);
            try (ExecProcess exec = exec("signal-" + c[0] + "-" + c[1], dir, child(c[0], trapped))) {
                exec.await("ready");
                long sent = System.nanoTime();
                exec.signal(c[0]);
                if (trapped != 0) {
                    exec.await("got " + c[0]);
                }
                int exit = exec.exitCode();
                worstMs = Math.max(worstMs, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent));
                int expected = trapped != 0 ? trapped : 128 + (c[0].equals("INT") ? 2 : 15);
                assertThat(exit).as("SIG%s, trapped=%s: %s", c[0], trapped != 0, exec.output()).isEqualTo(expected);
                codes.append(codes.length() == 0 ? "" : " ").append(c[0]).append(trapped != 0 ? "-trapped" : "").append('=').append(exit);
            }
        }
        Results.of("exec/signals").put("exitCodes", codes.toString()).put("worstSignalToExitMs", worstMs).record();
    }

    @Test
    void aPythonChild_getsKeyboardInterrupt() throws Exception {
        Assumptions.assumeTrue(new ProcessBuilder("sh", "-c", "command -v python3").start().waitFor() == 0, "needs python3");
        String py = "import time\ntry:\n    print('CHILD ready', flush=True)\n    time.sleep(300)\n"
                + "except KeyboardInterrupt:\n    print('CHILD got KeyboardInterrupt', flush=True)\n    raise SystemExit(5)\n";
        Files.writeString(dir.resolve("child.py"), py);
        try (ExecProcess exec = exec("python-int", dir, "exec python3 child.py")) {
            exec.await("ready");
            exec.signal("INT");
            exec.await("got KeyboardInterrupt");
            assertThat(exec.exitCode()).isEqualTo(5);
            Results.of("exec/python-sigint").put("keyboardInterrupt", true).put("exitCode", 5).record();
        }
    }

    @Test
    void aSigkilledExec_takesItsChildAlong_withinFiveSeconds() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "the parent-death signal needs setpriv (Linux)");
        long childPid;
        long goneMs;
        try (ExecProcess exec = exec("parent-death", dir, "echo \"CHILD pid $$\"; exec sleep 300")) {
            childPid = Long.parseLong(exec.await("pid"));
            assertThat(running(childPid)).isTrue();
            long killed = System.nanoTime();
            exec.signal("KILL");
            assertThat(exec.exitCode()).isEqualTo(128 + 9);
            long deadline = killed + TimeUnit.SECONDS.toNanos(5);
            while (running(childPid) && System.nanoTime() < deadline) {
                Thread.onSpinWait(); // a bounded poll of /proc for a real process event, not a timer
                Thread.yield();
            }
            goneMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
        }
        boolean stillRunning = running(childPid);
        if (stillRunning) {
            new ProcessBuilder("kill", "-9", Long.toString(childPid)).start().waitFor(10, TimeUnit.SECONDS);
        }
        Results.of("exec/parent-death").put("childStoppedAfterMs", goneMs).put("childStillRunning", stillRunning).record();
        assertThat(stillRunning).as("the child of a SIGKILLed exec is still running after 5 s").isFalse();
    }

    /** Whether {@code pid} exists and is not a zombie (a zombie has ended and waits only to be reaped). */
    private static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
            return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return false;
        }
    }
}
