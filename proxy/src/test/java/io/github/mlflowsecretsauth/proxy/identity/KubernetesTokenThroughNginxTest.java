package io.github.mlflowsecretsauth.proxy.identity;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.proxy.AuthProxy;
import io.github.mlflowsecretsauth.testkit.jwt.TokenKey;
import io.github.mlflowsecretsauth.testkit.kubernetes.ProjectedVolume;
import io.github.mlflowsecretsauth.tracking.memory.MlflowServer;
import io.github.mlflowsecretsauth.tracking.memory.RecordedCall;
import io.github.mlflowsecretsauth.testkit.nginx.Nginx;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The {@code kubernetes} provider end to end: a projected service-account volume that the test rotates the way the
 * kubelet does (an atomic {@code ..data} symlink swap), the proxy, and a real nginx in front of MLflow that refuses a
 * request without an accepted Bearer token and MLflow's {@code X-MLFLOW-WORKSPACE} header. nginx accepts every
 * token the "cluster" issued (as the API server accepts any unexpired token), so it is never reloaded, and the
 * MLflow server's call log shows when each rotated token came into use.
 */
class KubernetesTokenThroughNginxTest {
    private static final String SEARCH = "/api/2.0/mlflow/experiments/search?max_results=1";
    private static final int ROTATIONS = 3;
    private static final int CLIENTS = 8;

    @BeforeAll
    static void nginxPresent() {
        Nginx.requireAvailable(); // CI=true: never skipped silently
        assumeTrue(Nginx.isAvailable(), Nginx.NOT_INSTALLED);
    }

    @Test
    void rotatingTheTokenFileUnderLoad_failsNoCall_andReadsTheFileAboutOncePerRotation(@TempDir Path dir)
            throws Exception {
        TokenKey key = TokenKey.generate("cluster-sa-key");
        Instant now = Instant.now();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i <= ROTATIONS; i++) {
            tokens.add(ProjectedVolume.serviceAccountToken(key, "team-a", "trainer", "mlflow", now,
                    now.plus(Duration.ofHours(1).plusMinutes(i))));
        }
        ProjectedVolume volume = ProjectedVolume.create(dir, "team-a", tokens.get(0));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (MlflowServer mlflow = MlflowServer.builder().start();
             Nginx nginx = Nginx.builder().upstream(mlflow.uri()).bearerTokens(tokens.toArray(String[]::new))
                     .customHeader("X-MLFLOW-WORKSPACE", "team-a").start()) {
            assertThat(get(http, nginx.uri(), Map.of("Authorization", "Bearer " + tokens.get(0))).statusCode())
                    .as("nginx refuses a request without the workspace header").isEqualTo(401);
            assertThat(get(http, nginx.uri(), Map.of("Authorization", "Bearer not-a-cluster-token",
                    "X-MLFLOW-WORKSPACE", "team-a")).statusCode()).as("nginx refuses a token it does not know").isEqualTo(401);
            Settings settings = Settings.builder().setAll(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "kubernetes",
                    "MLFLOW_KUBERNETES_TOKEN_PATH", volume.tokenPath().toString(), "MLFLOW_KUBERNETES_POLL_SEC", "1",
                    "MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1")).build();
            try (SecretsAuth auth = SecretsAuth.builder().settings(settings).build();
                 AuthProxy proxy = AuthProxy.builder(auth, nginx.uri()).start()) {
                AtomicBoolean stop = new AtomicBoolean();
                LongAdder calls = new LongAdder();
                LongAdder failures = new LongAdder();
                ConcurrentLinkedQueue<String> why = new ConcurrentLinkedQueue<>();
                ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
                List<Future<?>> running = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    running.add(clients.submit(() -> {
                        while (!stop.get()) {
                            try {
                                HttpResponse<String> r = get(http, proxy.uri(), Map.of());
                                if (r.statusCode() != 200) {
                                    failures.increment();
                                    why.add(r.statusCode() + " " + r.body());
                                }
                            } catch (Exception e) {
                                failures.increment();
                                why.add(e.toString());
                            }
                            calls.increment();
                        }
                        return null;
                    }));
                }
                awaitCalls(calls, 100);
                List<Duration> pickups = new ArrayList<>();
                for (int r = 1; r <= ROTATIONS; r++) {
                    long before = calls.sum();
                    Instant rotated = Instant.now();
                    volume.rotate(tokens.get(r));
                    awaitInUse(mlflow, tokens.get(r), Duration.ofSeconds(15));
                    pickups.add(Duration.between(rotated, Instant.now()));
                    awaitCalls(calls, before + 100);
                }
                stop.set(true);
                for (Future<?> f : running) {
                    f.get(1, TimeUnit.MINUTES);
                }
                clients.shutdown();
                assertThat(failures.sum()).as("failed calls; first reasons: %s", why.stream().limit(5).toList()).isZero();
                assertThat(calls.sum()).isGreaterThanOrEqualTo(100L * (ROTATIONS + 1));
                assertThat(pickups).allSatisfy(d -> assertThat(d).isLessThan(Duration.ofSeconds(10)));
                assertThat(auth.cacheStats().completedFetches()).as("token file reads")
                        .isBetween((long) ROTATIONS + 1, (long) ROTATIONS + 2);
                List<RecordedCall> seen = mlflow.calls();
                assertThat(seen).allSatisfy(c -> assertThat(c.header("X-MLFLOW-WORKSPACE")).contains("team-a"));
                System.out.printf("kubernetes rotation through nginx: %d calls, %d rotations, %d token file reads,"
                        + " pick-up %s%n", calls.sum(), ROTATIONS, auth.cacheStats().completedFetches(), pickups);
            }
        }
    }

    private static void awaitCalls(LongAdder calls, long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (calls.sum() < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(5); // waits for the clients' progress, not for a TTL
        }
    }

    private static void awaitInUse(MlflowServer mlflow, String token, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        String header = "Bearer " + token;
        while (System.nanoTime() < deadline) {
            List<RecordedCall> calls = mlflow.calls();
            for (int i = calls.size() - 1; i >= Math.max(0, calls.size() - 50); i--) {
                if (calls.get(i).header("Authorization").filter(header::equals).isPresent()) {
                    return;
                }
            }
            Thread.sleep(20); // the kubelet-style rotation is noticed by a real 1 s poll
        }
        throw new AssertionError("the rotated token was not in use within " + within);
    }

    private static HttpResponse<String> get(HttpClient http, URI base, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(SEARCH)).timeout(Duration.ofSeconds(30));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
