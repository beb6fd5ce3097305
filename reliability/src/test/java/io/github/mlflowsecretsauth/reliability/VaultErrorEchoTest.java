package io.github.mlflowsecretsauth.reliability;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.SecretsAuthException;
import io.github.mlflowsecretsauth.proxy.AuthProxy;
import io.github.mlflowsecretsauth.testing.FakeClock;
import io.github.mlflowsecretsauth.testing.LogCapture;
import io.github.mlflowsecretsauth.testkit.vault.TokenSpec;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import io.github.mlflowsecretsauth.tracking.memory.MlflowServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Vault (or a plugin or gateway in front of it) answers errors whose text echoes what the client sent: the
 * {@code X-Vault-Token} of a KV read, or the AppRole login's body with its secret id. Both carry the canary. Through
 * the proxy, over many fetches (the failure backoff passed on the engine's fake clock), no HTTP answer, exception
 * message or log line carries it; the echoed text does reach them, scrubbed (the check can fail).
 */
class VaultErrorEchoTest {
    private static final String ROOT = Canary.VALUE + "-vault-root-token";
    private static final String SECRET_ID = Canary.VALUE + "-approle-secret-id";
    private static final URI MLFLOW_PATH = URI.create("/api/2.0/mlflow/experiments/search?max_results=1");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final FakeClock clock = new FakeClock();
    private final HybridScheduler scheduler = new HybridScheduler(clock);
    private VaultServer vault;
    private MlflowServer mlflow;

    @BeforeEach
    void start() {
        vault = VaultServer.builder().rootToken(ROOT).start();
        vault.putSecret(Stack.SECRET_PATH, Map.of("token", Canary.token(0)));
        vault.addAppRole("mlflow", "role-echo-1", SECRET_ID, TokenSpec.builder().ttl(Duration.ofMinutes(20)).build());
        mlflow = MlflowServer.builder().start();
    }

    @AfterEach
    void stop() {
        scheduler.close();
        mlflow.close();
        vault.close();
    }

    private SecretsAuth engine(String login) {
        Map<String, String> s = Stack.vaultSettings(vault.address(), ROOT);
        if (login.equals("approle")) {
            s.remove("VAULT_TOKEN");
            s.put("VAULT_ROLE_ID", "role-echo-1");
            s.put("VAULT_SECRET_ID", SECRET_ID);
        }
        s.put("MLFLOW_SECRETS_MAX_RETRIES", "1");
        return SecretsAuth.builder().settings(Settings.builder().setAll(s).build()).clock(clock).scheduler(scheduler)
                .sleeper(d -> { }).random(() -> 0.5).build();
    }

    @ParameterizedTest(name = "{0} answered {1}")
    @CsvSource({"token, 403", "token, 500", "token, 400", "approle, 400", "approle, 500", "approle, 403"})
    void echoedCredentials_reachNoAnswerMessageOrLogLine(String login, int status) throws Exception {
        boolean full = Scale.current().name().equals("full");
        int rounds = full ? 100 : 10;
        int callsPerRound = full ? 20 : 5;
        List<String> answers = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        List<String> logLines;
        int vaultBefore = vault.requestCount();
        vault.failNextEchoing(Integer.MAX_VALUE, status);
        try (LogCapture logs = new LogCapture(); SecretsAuth auth = engine(login);
             AuthProxy proxy = AuthProxy.builder(auth, mlflow.uri()).start()) {
            for (int r = 0; r < rounds; r++) {
                for (int c = 0; c < callsPerRound; c++) {
                    HttpResponse<String> a = http.send(HttpRequest.newBuilder(proxy.uri().resolve(MLFLOW_PATH)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    answers.add(a.statusCode() + " " + a.headers().map() + " " + a.body());
                }
                try {
                    auth.headersFor(mlflow.uri());
                    messages.add("no failure");
                } catch (SecretsAuthException e) {
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        messages.add(t.getClass().getName() + ": " + t.getMessage() + " " + List.of(t.getSuppressed()));
                    }
                }
                for (String admin : List.of("/__mlflow-secrets-auth/health", "/__mlflow-secrets-auth/metrics")) {
                    HttpResponse<String> a = http.send(HttpRequest.newBuilder(proxy.uri().resolve(admin)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    answers.add(a.statusCode() + " " + a.body());
                }
                scheduler.timed.advance(Duration.ofSeconds(130)); // past the longest failure backoff: the next call fetches
            }
            logLines = logs.lines();
        }
        int echoed = vault.requestCount() - vaultBefore;
        long refused = answers.stream().filter(a -> a.startsWith("502 ")).count();
        long scrubbedSeen = answers.stream().filter(a -> a.contains("permission denied for token")).count()
                + messages.stream().filter(m -> m.contains("permission denied for token")).count();
        Results.of("vault-error-echo/" + login + "/" + status).put("vaultAnswersEchoingTheCredential", echoed)
                .put("proxyAnswers", answers.size()).put("refused502", refused).put("exceptionMessages", messages.size())
                .put("logLines", logLines.size()).put("scrubbedEchoesSeen", scrubbedSeen)
                .put("canaryInAnswers", answers.stream().filter(Canary::in).count())
                .put("canaryInMessages", messages.stream().filter(Canary::in).count())
                .put("canaryInLogLines", logLines.stream().filter(Canary::in).count()).record();
        assertThat(echoed).as("Vault was asked, and echoed, once per round at least").isGreaterThanOrEqualTo(rounds);
        assertThat(refused).isEqualTo((long) rounds * callsPerRound);
        assertThat(scrubbedSeen).as("the echoed text reached the answers and messages, scrubbed").isPositive();
        assertThat(answers).noneMatch(Canary::in);
        assertThat(messages).noneMatch(Canary::in);
        assertThat(logLines).isNotEmpty().noneMatch(Canary::in);
    }
}
