package io.github.mlflowsecretsauth.proxy;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The proxy runs on one small pool, shared by its listener and its client towards MLflow. */
class AuthProxyThreadsTest {
    private static final String TOKEN = "threads-test-token";
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private TestUpstream upstream;
    private AuthProxy proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    private static SecretsAuth engine(Map<String, String> extra) {
        Map<String, String> s = new HashMap<>(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "env",
                "MLFLOW_TRACKING_TOKEN", TOKEN, "MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1"));
        s.putAll(extra);
        return SecretsAuth.builder().settings(Settings.builder().setAll(s).build()).build();
    }

    private static Set<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).collect(Collectors.toSet());
    }

    @Test
    void fortyEightSlowRequestsAtOnce_areServedByEightSharedThreads_andHealthStillAnswers() throws Exception {
        upstream = new TestUpstream("Bearer " + TOKEN);
        upstream.delay(300); // the upstream holds each request; the proxy must not hold a thread meanwhile
        Set<String> before = threadNames();
        proxy = AuthProxy.builder(engine(Map.of("MLFLOW_SECRETS_PROXY_THREADS", "8")), upstream.uri()).start();

        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 48; i++) {
            calls.add(client.sendAsync(HttpRequest.newBuilder(proxy.uri().resolve("/api/2.0/mlflow/experiments/search?n=" + i))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        long started = System.nanoTime();
        HttpResponse<String> health = client.send(HttpRequest.newBuilder(proxy.uri().resolve("/__mlflow-secrets-auth/health"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        long healthMillis = (System.nanoTime() - started) / 1_000_000;
        List<Integer> statuses = calls.stream().map(CompletableFuture::join).map(HttpResponse::statusCode).toList();

        assertThat(statuses).hasSize(48).containsOnly(200);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(healthMillis).as("health answered while 48 requests waited upstream (slack for a busy machine)")
                .isLessThan(3_000);
        Set<String> started2 = threadNames();
        started2.removeAll(before);
        assertThat(started2.stream().filter(n -> n.startsWith("mlflow-secrets-auth-proxy")).count())
                .as("the pool's threads").isBetween(1L, 8L);
        assertThat(started2).as("no second pool: Jetty's client would name its pool's threads HttpClient@<hash>-<n>")
                .noneMatch(n -> n.matches("HttpClient@[0-9a-f]+-\\d+"));
    }

    @Test
    void theBuilderOverridesTheSetting() throws Exception {
        upstream = new TestUpstream("Bearer " + TOKEN);
        proxy = AuthProxy.builder(engine(Map.of("MLFLOW_SECRETS_PROXY_THREADS", "nonsense")), upstream.uri()).threads(8).start();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(proxy.uri().resolve("/api/2.0/mlflow/experiments/search"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
    }

    @Test
    void badThreadCounts_areOneLineNamingTheVariable() {
        URI nowhere = URI.create("http://127.0.0.1:1");
        assertThatThrownBy(() -> AuthProxy.builder(engine(Map.of("MLFLOW_SECRETS_PROXY_THREADS", "4")), nowhere).start())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("MLFLOW_SECRETS_PROXY_THREADS must be a whole number of threads from 8 to 1024 (got 4)");
        assertThatThrownBy(() -> AuthProxy.builder(engine(Map.of("MLFLOW_SECRETS_PROXY_THREADS", "lots")), nowhere).start())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("MLFLOW_SECRETS_PROXY_THREADS")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> AuthProxy.builder(engine(Map.of()), nowhere).threads(2).start())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
