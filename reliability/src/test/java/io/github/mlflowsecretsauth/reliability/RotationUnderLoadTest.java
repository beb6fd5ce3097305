package io.github.mlflowsecretsauth.reliability;

import io.github.mlflowsecretsauth.MlflowSecretsAuth;
import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.proxy.AuthProxy;
import io.github.mlflowsecretsauth.testing.FakeClock;
import io.github.mlflowsecretsauth.tracking.memory.MlflowServer;
import io.github.mlflowsecretsauth.tracking.memory.RunSnapshot;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mlflow.tracking.MlflowClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 1, rotation under load: 32 clients send MLflow calls, each a log-metric with a unique step,
 * through the proxy or through {@link MlflowSecretsAuth#mlflowClient()}, while the secret rotates in the
 * testkit Vault. The upstream accepts only the current credential, with an overlap of 0 s or 5 s on an
 * injected clock. Counted: client-visible failures (must be 0), every step recorded exactly once at the
 * server, and Vault KV reads (at most rotations + 3).
 */
class RotationUnderLoadTest {
    private static final Duration SAFETY_NET = Duration.ofMinutes(15);

    @ParameterizedTest(name = "{0}, overlap {1} s")
    @CsvSource({"proxy, 0", "proxy, 5", "mlflowClient, 0", "mlflowClient, 5"})
    void everyCallSucceedsOnceWhileTheSecretRotates(String path, int overlapSec) throws Exception {
        Scale scale = Scale.current();
        int calls = scale.rotationCalls();
        int rotations = scale.rotations();
        FakeClock upstreamClock = new FakeClock();
        RotatingGate gate = new RotatingGate(Canary.token(0), upstreamClock, Duration.ofSeconds(overlapSec));
        try (VaultServer vault = VaultServer.builder().start();
             MlflowServer mlflow = MlflowServer.builder().gate(gate).start()) {
            vault.putSecret(Stack.SECRET_PATH, Map.of("token", Canary.token(0)));
            Map<String, String> settings = Stack.vaultSettings(vault.address(), vault.rootToken());
            settings.put("MLFLOW_VAULT_TTL_SEC", "3600"); // no refresh-ahead during the run: every fetch is caused by a rotation
            try (Caller caller = path.equals("proxy") ? new ProxyCaller(settings, mlflow.uri()) : new ClientCaller(settings, mlflow.uri())) {
                String runId = caller.createRun();
                int readsBefore = vault.requestCount(Stack.KV_READ);
                Progress progress = new Progress();
                AtomicInteger nextId = new AtomicInteger();
                LongAdder failures = new LongAdder();
                ConcurrentLinkedQueue<String> failureMessages = new ConcurrentLinkedQueue<>();
                ExecutorService clients = Executors.newFixedThreadPool(scale.clients());
                List<Future<?>> running = new ArrayList<>();
                for (int c = 0; c < scale.clients(); c++) {
                    running.add(clients.submit(() -> {
                        for (int id = nextId.getAndIncrement(); id < calls; id = nextId.getAndIncrement()) {
                            try {
                                if (!caller.logMetric(runId, id)) {
                                    failures.increment();
                                }
                            } catch (RuntimeException e) {
                                failures.increment();
                                if (failureMessages.size() < 5) {
                                    failureMessages.add(String.valueOf(e.getMessage()));
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
                    vault.putSecret(Stack.SECRET_PATH, Map.of("token", Canary.token(r)));
                    gate.rotate(Canary.token(r));
                    if (overlapSec > 0) {
                        progress.awaitAtLeast(r * slice + slice / 2, SAFETY_NET);
                        upstreamClock.advance(Duration.ofSeconds(overlapSec)); // the old credential retires now
                    }
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
                Results.of("rotation-under-load/" + path + "/overlap-" + overlapSec + "s")
                        .put("clients", scale.clients()).put("calls", calls).put("rotations", rotations)
                        .put("clientFailures", failures.sum()).put("recorded", perStep.size()).put("lost", lost)
                        .put("duplicated", duplicated).put("upstream401sAbsorbed", gate.rejected.sum())
                        .put("acceptedWithPreviousCredential", gate.acceptedPrevious.sum())
                        .put("vaultKvReads", reads).put("vaultKvReadBound", rotations + 3).record();

                assertThat(failures.sum()).as("client-visible failures %s", failureMessages).isZero();
                assertThat(lost).as("calls lost").isZero();
                assertThat(duplicated).as("calls recorded twice").isZero();
                assertThat(perStep.keySet()).allMatch(step -> step >= 0 && step < calls);
                assertThat(reads).as("Vault KV reads").isLessThanOrEqualTo(rotations + 3);
                if (overlapSec == 0) {
                    assertThat(gate.rejected.sum()).as("rotations the upstream enforced").isPositive();
                }
            }
        }
    }

    /** One way of making MLflow calls. */
    private interface Caller extends AutoCloseable {
        String createRun() throws Exception;

        /** One log-metric call with step {@code id}; false (or an exception) is a client-visible failure. */
        boolean logMetric(String runId, int id) throws RuntimeException;

        @Override
        void close();
    }

    /** Plain HTTP clients against the in-process {@link AuthProxy}. */
    private static final class ProxyCaller implements Caller {
        private final SecretsAuth auth;
        private final AuthProxy proxy;
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        ProxyCaller(Map<String, String> settings, URI upstream) {
            auth = SecretsAuth.builder().settings(Settings.builder().setAll(settings).build()).build();
            proxy = AuthProxy.builder(auth, upstream).start();
        }

        private HttpResponse<String> post(String endpoint, String json) {
            try {
                return http.send(HttpRequest.newBuilder(proxy.uri().resolve("/api/2.0/mlflow/" + endpoint))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String createRun() {
            HttpResponse<String> exp = post("experiments/create", "{\"name\":\"rotation-" + System.nanoTime() + "\"}");
            assertThat(exp.statusCode()).isEqualTo(200);
            String experimentId = exp.body().replaceAll(".*\"experiment_id\"\\s*:\\s*\"?([0-9]+)\"?.*", "$1");
            HttpResponse<String> run = post("runs/create", "{\"experiment_id\":\"" + experimentId + "\"}");
            assertThat(run.statusCode()).isEqualTo(200);
            return run.body().replaceAll("(?s).*\"run_id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
        }

        @Override
        public boolean logMetric(String runId, int id) {
            HttpResponse<String> r = post("runs/log-metric", "{\"run_id\":\"" + runId + "\",\"key\":\"rot\",\"value\":" + id
                    + ",\"timestamp\":" + id + ",\"step\":" + id + "}");
            if (r.statusCode() != 200) { // the failure's reason goes into the assertion message (never a credential)
                throw new IllegalStateException("HTTP " + r.statusCode() + ": "
                        + r.body().substring(0, Math.min(300, r.body().length())));
            }
            return true;
        }

        @Override
        public void close() {
            proxy.close();
            auth.close();
        }
    }

    /** The official MLflow client from {@link MlflowSecretsAuth#mlflowClient()}, configured by system properties. */
    private static final class ClientCaller implements Caller {
        private final MlflowClient client;

        ClientCaller(Map<String, String> settings, URI upstream) {
            Map<String, String> props = new HashMap<>(settings);
            props.put("MLFLOW_TRACKING_AUTH", "mlflow_secrets_auth");
            props.put("MLFLOW_TRACKING_URI", upstream.toString());
            Properties saved = (Properties) System.getProperties().clone();
            try {
                props.forEach(System::setProperty);
                client = MlflowSecretsAuth.mlflowClient();
            } finally {
                System.setProperties(saved);
            }
        }

        @Override
        public String createRun() {
            String experimentId = client.createExperiment("rotation-" + System.nanoTime());
            return client.createRun(experimentId).getRunId();
        }

        @Override
        public boolean logMetric(String runId, int id) {
            client.logMetric(runId, "rot", id, id, id);
            return true;
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
