package io.github.mlflowsecretsauth.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.proxy.AuthProxy;
import io.github.mlflowsecretsauth.testkit.azure.AzureKeyVaultServer;
import io.github.mlflowsecretsauth.tracking.memory.MlflowServer;
import io.github.mlflowsecretsauth.tracking.memory.RequestGate;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.Test;

/**
 * Row 25 in the reliability suite: the {@code entra} provider under load through the proxy while Entra ID's tokens
 * expire (an 8 s lifetime; 20 s of real time, 120 s in the full form; the client secret carries the canary): the
 * MLflow server accepts only a token the testkit's Entra ID issued for its API and that has not expired (signature,
 * audience and expiry checked by the issuer), so a token used past its expiry would fail a call. 0 failed calls,
 * and about one token request per lifetime, not one per call.
 */
class EntraTokenExpiryTest {
    private static final String APP = "api://mlflow-expiry-app";
    private static final String CLIENT_ID = "3f6a9c1e-2b7d-4e8f-9a10-5c4d3e2f1a0b";
    private static final String CLIENT_SECRET = Canary.VALUE + "~entra-expiry-secret";
    private static final Duration LIFETIME = Duration.ofSeconds(8);
    private static final String SEARCH = "/api/2.0/mlflow/experiments/search?max_results=1";

    @Test
    void tokensExpiringUnderLoad_failNoCall_andCostAboutOneTokenRequestPerLifetime() throws Exception {
        Duration run = Duration.ofSeconds(Scale.current().name().equals("full") ? 120 : 20);
        try (AzureKeyVaultServer entra = AzureKeyVaultServer.builder().tokenLifetime(LIFETIME).start()) {
            entra.addServicePrincipal(CLIENT_ID, CLIENT_SECRET);
            entra.addApiResource(APP);
            LongAdder refused = new LongAdder();
            RequestGate onlyValidTokens = (request, body) -> {
                String h = request.getHeaders().get(HttpHeader.AUTHORIZATION);
                boolean ok = h != null && h.startsWith("Bearer ") && entra.verifyApiToken(h.substring(7))
                        .filter(c -> c.getAudience().contains(APP)).isPresent();
                if (!ok) {
                    refused.increment();
                }
                return ok ? Optional.empty() : Optional.of(new RequestGate.Rejection(401,
                        "{\"error_code\":\"UNAUTHENTICATED\",\"message\":\"invalid or expired token\"}"));
            };
            Map<String, String> s = new HashMap<>();
            s.put("MLFLOW_SECRETS_AUTH_ENABLE", "entra");
            s.put("MLFLOW_ENTRA_ID_SCOPE", APP + "/.default");
            s.put("MLFLOW_AZURE_CA_BUNDLE_PATH", entra.caCertificatePem().toString());
            s.put("AZURE_AUTHORITY_HOST", entra.authorityHost().toString());
            s.put("AZURE_TENANT_ID", entra.tenantId());
            s.put("AZURE_CLIENT_ID", CLIENT_ID);
            s.put("AZURE_CLIENT_SECRET", CLIENT_SECRET);
            s.put("MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1");
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            try (MlflowServer mlflow = MlflowServer.builder().gate(onlyValidTokens).start();
                 SecretsAuth auth = SecretsAuth.builder().settings(Settings.builder().setAll(s).build()).build();
                 AuthProxy proxy = AuthProxy.builder(auth, mlflow.uri()).start()) {
                LongAdder calls = new LongAdder();
                LongAdder failures = new LongAdder();
                ConcurrentLinkedQueue<String> why = new ConcurrentLinkedQueue<>();
                long end = System.nanoTime() + run.toNanos();
                ExecutorService clients = Executors.newFixedThreadPool(8);
                List<Future<?>> running = new ArrayList<>();
                for (int c = 0; c < 8; c++) {
                    running.add(clients.submit(() -> {
                        while (System.nanoTime() < end) {
                            try {
                                HttpResponse<String> r = http.send(HttpRequest.newBuilder(proxy.uri().resolve(SEARCH))
                                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                                if (r.statusCode() != 200 || Canary.in(r.body())) {
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
                for (Future<?> f : running) {
                    f.get(2, TimeUnit.MINUTES);
                }
                clients.shutdown();
                long lifetimes = run.toSeconds() / LIFETIME.toSeconds() + 1;
                Results.of("token-expiry/entra-through-proxy").put("realSeconds", run.toSeconds())
                        .put("tokenLifetimeSec", LIFETIME.toSeconds()).put("clients", 8).put("calls", calls.sum())
                        .put("failed", failures.sum()).put("tokenRequests", entra.tokenRequests())
                        .put("refusedByTheServer", refused.sum()).put("authReplays", proxy.metrics().authReplays()).record();
                assertThat(failures.sum()).as("failed calls; first reasons: %s", why.stream().limit(5).toList()).isZero();
                assertThat(calls.sum()).isGreaterThan(300);
                assertThat(entra.tokenRequests()).as("token requests").isBetween(lifetimes - 1, 2 * lifetimes + 1);
            }
        }
    }
}
