package io.github.mlflowsecretsauth.reliability;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.proxy.AuthProxy;
import io.github.mlflowsecretsauth.tracking.memory.MlflowServer;
import io.github.mlflowsecretsauth.tracking.memory.RunSnapshot;
import io.github.mlflowsecretsauth.testkit.nginx.Nginx;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 1 with a real nginx as the upstream's gatekeeper, three ways. (1, 2) nginx accepts only the current
 * Bearer token (with an overlap, also the previous one until the test retires it) and is reloaded on every
 * rotation, which also closes its idle keep-alive connections under the proxy's feet: no call is duplicated or
 * silently lost, but a POST caught by a reload's connection close fails visibly (a known limit, counted and
 * documented). (3) nginx checks Basic auth against its {@code auth_basic_user_file}, which it reads on every
 * request, and rotation rewrites that file without a reload: 0 client-visible failures, every call once.
 */
class NginxRotationUnderLoadTest {
    private static final Duration SAFETY_NET = Duration.ofMinutes(15);

    @BeforeAll
    static void nginxPresent() {
        Assumptions.assumeTrue(Nginx.isAvailable(), Nginx.NOT_INSTALLED);
    }

    /** How nginx learns the new credential. */
    enum Rotation {
        /** Bearer token map, one reload per rotation (0 s overlap). */
        BEARER_RELOAD("overlap-0s"),
        /** Bearer token map: a reload adds the new token, a second reload retires the old one. */
        BEARER_OVERLAP_RELOADS("overlap-until-retired"),
        /** Basic auth: the htpasswd file is rewritten in place, no reload (0 s overlap). */
        BASIC_FILE_REWRITE("basic-htpasswd-rewrite-no-reload");

        final String label;

        Rotation(String label) {
            this.label = label;
        }
    }

    private static final String USER = "mlflow";

    @ParameterizedTest(name = "nginx, {0}")
    @EnumSource(Rotation.class)
    void everyCallSucceedsOnceWhileNginxRotatesTheAcceptedCredential(Rotation mode) throws Exception {
        boolean overlap = mode == Rotation.BEARER_OVERLAP_RELOADS;
        boolean basic = mode == Rotation.BASIC_FILE_REWRITE;
        Scale scale = Scale.current();
        int calls = scale.rotationCalls();
        int rotations = scale.rotations();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (VaultServer vault = VaultServer.builder().start();
             MlflowServer mlflow = MlflowServer.builder().start();
             Nginx nginx = basic ? Nginx.builder().upstream(mlflow.uri()).basicAuth(USER, Canary.token(0)).start()
                     : Nginx.builder().upstream(mlflow.uri()).bearerTokens(Canary.token(0)).start()) {
            vault.putSecret(Stack.SECRET_PATH, secret(basic, 0));
            Map<String, String> settings = Stack.vaultSettings(vault.address(), vault.rootToken());
            if (basic) {
                settings.put("MLFLOW_VAULT_AUTH_MODE", "basic");
            }
            settings.put("MLFLOW_VAULT_TTL_SEC", "3600");
            try (SecretsAuth auth = SecretsAuth.builder().settings(Settings.builder().setAll(settings).build()).build();
                 AuthProxy proxy = AuthProxy.builder(auth, nginx.uri()).start()) {
                String exp = post(http, proxy, "experiments/create", "{\"name\":\"nginx-rotation-" + overlap + "\"}").body()
                        .replaceAll(".*\"experiment_id\"\\s*:\\s*\"?([0-9]+)\"?.*", "$1");
                String runId = post(http, proxy, "runs/create", "{\"experiment_id\":\"" + exp + "\"}").body()
                        .replaceAll("(?s).*\"run_id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
                int readsBefore = vault.requestCount(Stack.KV_READ);
                Progress progress = new Progress();
                AtomicInteger nextId = new AtomicInteger();
                LongAdder failures = new LongAdder();
                ConcurrentLinkedQueue<String> why = new ConcurrentLinkedQueue<>();
                ExecutorService clients = Executors.newFixedThreadPool(scale.clients());
                List<Future<?>> running = new ArrayList<>();
                for (int c = 0; c < scale.clients(); c++) {
                    running.add(clients.submit(() -> {
                        for (int id = nextId.getAndIncrement(); id < calls; id = nextId.getAndIncrement()) {
                            try {
                                HttpResponse<String> r = post(http, proxy, "runs/log-metric", "{\"run_id\":\"" + runId
                                        + "\",\"key\":\"rot\",\"value\":" + id + ",\"timestamp\":" + id + ",\"step\":" + id + "}");
                                if (r.statusCode() != 200) {
                                    failures.increment();
                                    if (why.size() < 5) {
                                        why.add(r.statusCode() + " " + r.body());
                                    }
                                }
                            } catch (Exception e) {
                                failures.increment();
                                if (why.size() < 5) {
                                    why.add(e.toString());
                                }
                            }
                            progress.completed();
                        }
                        return null;
                    }));
                }
                long slice = calls / (rotations + 1);
                for (int r = 1; r <= rotations; r++) {
                    progress.awaitAtLeast(r * slice, SAFETY_NET);
                    vault.putSecret(Stack.SECRET_PATH, secret(basic, r));
                    if (basic) {
                        nginx.rewriteBasicUsers(Map.of(USER, Canary.token(r))); // no reload: connections stay open
                        continue;
                    }
                    if (overlap) {
                        nginx.setBearerTokens(Canary.token(r - 1), Canary.token(r));
                        progress.awaitAtLeast(r * slice + slice / 2, SAFETY_NET);
                    }
                    nginx.setBearerTokens(Canary.token(r)); // the old token is retired: nginx reloads
                }
                for (Future<?> f : running) {
                    f.get(SAFETY_NET.toMinutes(), TimeUnit.MINUTES);
                }
                clients.shutdown();
                int reads = vault.requestCount(Stack.KV_READ) - readsBefore;
                RunSnapshot run = mlflow.run(runId).orElseThrow();
                Map<Long, Long> perStep = run.metricHistory("rot").stream()
                        .collect(Collectors.groupingBy(RunSnapshot.Metric::step, Collectors.counting()));
                long lost = calls - perStep.size();
                long duplicated = perStep.values().stream().mapToLong(n -> n - 1).sum();
                Results.of("rotation-under-load/proxy-nginx/" + mode.label)
                        .put("clients", scale.clients()).put("calls", calls).put("rotations", rotations)
                        .put("nginxReloads", basic ? 0 : rotations * (overlap ? 2 : 1)).put("clientFailures", failures.sum())
                        .put("recorded", perStep.size()).put("lost", lost).put("duplicated", duplicated)
                        .put("authReplays", proxy.metrics().authReplays()).put("vaultKvReads", reads)
                        .put("vaultKvReadBound", rotations + 3).record();
                // Known limit (docs/RELIABILITY.md): a reload closes nginx's idle keep-alive connections, and a POST that
                // meets such a close gets no answer. The proxy cannot know whether nginx acted on it, so it does not
                // resend it: such calls fail, visibly and with the reason, and are never duplicated nor silently lost.
                assertThat(duplicated).isZero();
                if (basic) {
                    // Without a reload no connection is closed under the proxy: the stale credential's 401s are
                    // absorbed by one replay each, and the requirement holds in full.
                    assertThat(failures.sum()).as("client-visible failures; first reasons: %s", why).isZero();
                    assertThat(lost).isZero();
                }
                assertThat(lost).as("every lost call was reported to its client").isEqualTo(failures.sum());
                assertThat(why).allSatisfy(w -> assertThat(w).contains("closed the connection without answering",
                        "the POST was not retried"));
                assertThat(reads).isLessThanOrEqualTo(rotations + 3);
            }
        }
    }

    private static Map<String, String> secret(boolean basic, int generation) {
        return basic ? Map.of("username", USER, "password", Canary.token(generation)) : Map.of("token", Canary.token(generation));
    }

    private static HttpResponse<String> post(HttpClient http, AuthProxy proxy, String endpoint, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(proxy.uri().resolve("/api/2.0/mlflow/" + endpoint))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
