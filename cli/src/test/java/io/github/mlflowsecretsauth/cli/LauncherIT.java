package io.github.mlflowsecretsauth.cli;

import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs bin/mlflow-secrets-auth as a separate process from a user's directory, against the packaged jar. */
class LauncherIT {
    private static final String PASSWORD = "CANARYlauncherPw-0987";
    private static VaultServer vault;

    @BeforeAll
    static void start() {
        vault = VaultServer.builder().rootToken("CANARYlauncher-root-tok").start();
        vault.putSecret("secret/mlflow/auth", Map.of("username", "mlflow-user", "password", PASSWORD));
    }

    @AfterAll
    static void stop() {
        vault.close();
    }

    record Run(int exit, String out, String err) {
    }

    private static Run launch(Path workDir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path launcher = Path.of("..", "bin", "mlflow-secrets-auth").toAbsolutePath().normalize();
        List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("MLFLOW_") || k.startsWith("VAULT_"));
        pb.environment().put("MLFLOW_SECRETS_AUTH_CDS", "0"); // no background archive training unless a test asks
        pb.environment().putAll(env);
        Path out = workDir.resolve("stdout.txt");
        Path err = workDir.resolve("stderr.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void classDataSharing_firstRunWritesAnArchiveThatLaterRunsUse_withTheSameOutput_andOldArchivesGo(@TempDir Path dir)
            throws Exception {
        Path cache = dir.resolve("cache");
        Path archives = Files.createDirectories(cache.resolve("mlflow-secrets-auth"));
        Files.setPosixFilePermissions(archives, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        List<Path> older = new ArrayList<>(); // archives of earlier jars or JVMs, oldest first
        for (int i = 1; i <= 4; i++) {
            Path old = Files.write(archives.resolve("cli-" + i + ".jsa"), new byte[] {1});
            Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - (10 - i) * 60_000L));
            older.add(old);
        }
        Map<String, String> env = Map.of("MLFLOW_SECRETS_AUTH_CDS", "1", "XDG_CACHE_HOME", cache.toString());
        Run first = launch(dir, env, "info", "--json");
        assertThat(first.exit()).isZero();
        // The archive is written by a background JVM after the first run: wait for that process, not for a timer.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        List<Path> written = listArchives(archives);
        while ((written.size() != 3 || written.stream().allMatch(older::contains)) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            written = listArchives(archives);
        }
        assertThat(written).as("the new archive and the two newest older ones").hasSize(3)
                .contains(older.get(2), older.get(3)).doesNotContain(older.get(0), older.get(1));
        assertThat(written.stream().filter(p -> !older.contains(p)).findFirst().orElseThrow().getFileName().toString())
                .matches("cli-[0-9]+\\.jsa");

        Run second = launch(dir, env, "info", "--json");
        assertThat(second.exit()).isZero();
        assertThat(second.out()).startsWith("{").isEqualTo(first.out());
        assertThat(second.err()).isEmpty();
    }

    @Test
    void classDataSharing_isNotUsedFromACacheDirectoryAnotherUserOwns(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "giving a directory to another user needs root");
        Path cache = dir.resolve("cache");
        Path archives = Files.createDirectories(cache.resolve("mlflow-secrets-auth"));
        new ProcessBuilder("chown", "65534:65534", archives.toString()).start().waitFor(10, TimeUnit.SECONDS);
        // A java that records its arguments: an archive used (-XX:SharedArchiveFile) or trained
        // (-XX:ArchiveClassesAtExit) shows there. The training JVM is started before the CLI's own.
        Path log = dir.resolve("java-args.log");
        Path java = dir.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"$*\" >> '" + log + "'\nexec '"
                + ProcessHandle.current().info().command().orElseThrow() + "' \"$@\"\n");
        java.toFile().setExecutable(true);
        Run run = launch(dir, Map.of("MLFLOW_SECRETS_AUTH_CDS", "1", "XDG_CACHE_HOME", cache.toString(),
                "JAVA", java.toString()), "--version");
        assertThat(run.exit()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(Files.readString(log)).contains("-jar").doesNotContain("-XX:SharedArchiveFile")
                .doesNotContain("-XX:ArchiveClassesAtExit");
        assertThat(Files.getOwner(archives).getName()).isNotEqualTo("root");
    }

    @Test
    void classDataSharing_off_writesNothing(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("cache");
        Run run = launch(dir, Map.of("MLFLOW_SECRETS_AUTH_CDS", "0", "XDG_CACHE_HOME", cache.toString()), "info");
        assertThat(run.exit()).isZero();
        assertThat(cache).doesNotExist();
    }

    private static List<Path> listArchives(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jsa") && !f.getFileName().toString().startsWith("."))
                    .toList();
        }
    }

    @Test
    void doctor_readsDotEnvFromTheCallersDirectory(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(".env"), String.join("\n",
                "MLFLOW_SECRETS_AUTH_ENABLE=vault",
                "VAULT_ADDR=" + vault.address(),
                "VAULT_TOKEN=" + vault.rootToken(),
                "MLFLOW_VAULT_SECRET_PATH=secret/mlflow/auth",
                "MLFLOW_VAULT_AUTH_MODE=basic", ""));
        Run r = launch(dir, Map.of("MLFLOW_SECRETS_LOG_LEVEL", "DEBUG"), "doctor");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("All checks passed!").contains("Basic ");
        assertThat(r.err()).contains("DEBUG").contains("fetched credential from vault");
        assertThat(r.out() + r.err()).doesNotContain(PASSWORD).doesNotContain(vault.rootToken());
    }

    @Test
    void badConfiguration_isOneLineOnStderr_andExitOne(@TempDir Path dir) throws Exception {
        Run r = launch(dir, Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "vault,consul"), "doctor");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip().lines().count()).isEqualTo(1);
        assertThat(r.err()).contains("MLFLOW_SECRETS_AUTH_ENABLE").contains("consul").doesNotContain("Exception");
    }

    @Test
    void proxy_forwardsWithTheCredential_cacheClearReachesIt_andSigtermStopsIt(@TempDir Path dir) throws Exception {
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString(("mlflow-user:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        try (StubMlflowServer mlflow = new StubMlflowServer("Authorization", basic, null)) {
            int port;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path launcher = Path.of("..", "bin", "mlflow-secrets-auth").toAbsolutePath().normalize();
            ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "proxy", "--listen", "127.0.0.1:" + port)
                    .directory(dir.toFile()).redirectErrorStream(true);
            pb.environment().keySet().removeIf(k -> k.startsWith("MLFLOW_") || k.startsWith("VAULT_"));
            pb.environment().putAll(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "vault", "VAULT_ADDR", vault.address().toString(),
                    "VAULT_TOKEN", vault.rootToken(), "MLFLOW_VAULT_SECRET_PATH", "secret/mlflow/auth",
                    "MLFLOW_VAULT_AUTH_MODE", "basic", "MLFLOW_TRACKING_URI", mlflow.uri().toString(),
                    "MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1"));
            Process p = pb.start();
            try {
                java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                String first = out.readLine();
                assertThat(first).contains("listening on http://127.0.0.1:" + port);
                java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
                var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                        + "/api/2.0/mlflow/experiments/search?max_results=1")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(mlflow.lastAuthorization()).isEqualTo(basic);
                Run clear = launch(dir, Map.of(), "cache", "clear", "--proxy", "http://127.0.0.1:" + port);
                assertThat(clear.exit()).as(clear.err()).isZero();
                assertThat(clear.out()).contains("Cleared");
                p.destroy();
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            } finally {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void proxy_withACollectorInTheJavaOptions_usesItInsteadOfTheSerialOne(@TempDir Path dir) throws Exception {
        // The launcher's own -XX:+UseSerialGC beside the user's collector made the JVM refuse to start.
        Run r = launch(dir, Map.of("MLFLOW_SECRETS_AUTH_JAVA_OPTS", "-XX:+UseParallelGC -Xlog:gc:stdout"), "proxy", "--help");
        assertThat(r.err()).doesNotContain("Multiple garbage collectors");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Using Parallel").contains("Usage:");
    }

    @Test
    void version_printsTheVersion(@TempDir Path dir) throws Exception {
        Run r = launch(dir, Map.of(), "--version");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("mlflow-secrets-auth 0.1.0");
    }
}
