package io.github.mlflowsecretsauth.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestkitMainTest {

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);

    private static String get(URI address, String path, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(address.resolve(path)).header("X-Vault-Token", token).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void vaultStartsSeededPrintsItsAddressAndWritesTheReadyFile(@TempDir Path directory) throws Exception {
        Path ready = directory.resolve("vault.env");
        String[] args = {"vault", "--root-token", "dev-root", "--kv2", "secret/mlflow/auth={\"token\":\"t0k3n\"}",
            "--kv1-mount", "legacy", "--kv1", "legacy/mlflow={\"username\":\"u\"}", "--ready-file", ready.toString()};

        try (TestkitMain.Running running = TestkitMain.run(args, out)) {
            URI address = running.vault().address();

            assertThat(running.readyLines()).containsExactly("VAULT_ADDR=" + address);
            assertThat(Files.readAllLines(ready)).containsExactly("VAULT_ADDR=" + address);
            assertThat(outBytes.toString(StandardCharsets.UTF_8)).isEqualTo("VAULT_ADDR=" + address
                    + System.lineSeparator());
            assertThat(get(address, "/v1/secret/data/mlflow/auth", "dev-root")).contains("\"token\":\"t0k3n\"");
            assertThat(get(address, "/v1/legacy/mlflow", "dev-root")).contains("\"username\":\"u\"");
        }
        assertThat(ready).doesNotExist();
    }

    @Test
    void withTlsItAlsoPrintsTheCaCertificatePath() throws Exception {
        try (TestkitMain.Running running = TestkitMain.run(new String[] {"vault", "--tls"}, out)) {
            List<String> lines = running.readyLines();

            assertThat(lines.get(0)).startsWith("VAULT_ADDR=https://127.0.0.1:");
            assertThat(lines.get(1)).startsWith("VAULT_CACERT=");
            assertThat(Path.of(lines.get(1).substring("VAULT_CACERT=".length()))).exists();
        }
    }

    @Test
    void anAppRoleGivenOnTheCommandLineCanLogIn() throws Exception {
        try (TestkitMain.Running running = TestkitMain.run(new String[] {"vault", "--approle", "rid:sid"}, out)) {
            HttpRequest login = HttpRequest.newBuilder(running.vault().address().resolve("/v1/auth/approle/login"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"role_id\":\"rid\",\"secret_id\":\"sid\"}")).build();

            HttpResponse<String> response = HttpClient.newHttpClient().send(login, HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"client_token\":\"hvs.");
        }
    }

    @Test
    void theBlockingCommandServesUntilItsServerIsClosedThenExitsWith0(@TempDir Path directory) throws Exception {
        Path ready = directory.resolve("ready");
        CompletableFuture<TestkitMain.Running> started = new CompletableFuture<>();
        CompletableFuture<Integer> status = CompletableFuture.supplyAsync(() -> TestkitMain.execute(
                new String[] {"vault", "--ready-file", ready.toString()}, out, out, started::complete));
        TestkitMain.Running running = started.get(20, TimeUnit.SECONDS);

        URI address = URI.create(Files.readAllLines(ready).get(0).substring("VAULT_ADDR=".length()));
        assertThat(get(address, "/v1/sys/health", "")).contains("\"initialized\":true");
        assertThat(status).isNotDone();

        running.close();

        assertThat(status.get(20, TimeUnit.SECONDS)).isZero();
        assertThat(ready).doesNotExist();
    }

    @Test
    void badArgumentsAreAUsageError() {
        assertThatThrownBy(() -> TestkitMain.run(new String[] {"vault", "--port", "http"}, out))
                .isInstanceOf(TestkitMain.UsageException.class).hasMessageContaining("--port");
        assertThatThrownBy(() -> TestkitMain.run(new String[] {"vault", "--kv2", "secret/x=[1]"}, out))
                .isInstanceOf(TestkitMain.UsageException.class).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> TestkitMain.run(new String[] {"vault", "--approle", "no-colon"}, out))
                .isInstanceOf(TestkitMain.UsageException.class).hasMessageContaining("ROLE_ID:SECRET_ID");
        assertThatThrownBy(() -> TestkitMain.run(new String[] {"nginx"}, out))
                .isInstanceOf(TestkitMain.UsageException.class).hasMessageContaining("unknown command");
    }

    @Test
    void theCommandLineExitsWith2AndOneLineForBadArguments() {
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

        int status = TestkitMain.execute(new String[] {"vault", "--bogus"}, out, err);

        assertThat(status).isEqualTo(2);
        assertThat(errBytes.toString(StandardCharsets.UTF_8).lines()).singleElement().asString()
                .startsWith("error: unknown option '--bogus'");
    }

    @Test
    void helpExplainsTheOptions() {
        int status = TestkitMain.execute(new String[] {"vault", "--help"}, out, out);

        assertThat(status).isZero();
        assertThat(outBytes.toString(StandardCharsets.UTF_8)).contains("--kv2 PATH=JSON", "--ready-file FILE",
                "--tls", "--approle");
    }
}
