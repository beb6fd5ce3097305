package io.github.mlflowsecretsauth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.nimbusds.jwt.JWTClaimsSet;
import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.proxy.AuthProxy;
import io.github.mlflowsecretsauth.testkit.azure.AzureKeyVaultServer;
import io.github.mlflowsecretsauth.testkit.gcp.GcpSecretManagerServer;
import io.github.mlflowsecretsauth.testkit.gcp.ServiceAccount;
import io.github.mlflowsecretsauth.testkit.jwt.JwtFrontCheck;
import io.github.mlflowsecretsauth.testkit.jwt.TokenKey;
import io.github.mlflowsecretsauth.testkit.nginx.Nginx;
import io.github.mlflowsecretsauth.tracking.memory.MlflowServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code entra} and {@code gcp-id-token} through the proxy to MLflow behind a real nginx whose {@code auth_request}
 * checks each token with nimbus-jose-jwt ({@link JwtFrontCheck}: the issuer's JWKS, exact {@code iss}, the MLflow
 * audience, {@code exp} with no leeway), as oauth2-proxy would: a token for another audience, a forged one, an expired
 * one and none are refused by nginx, and under load, with 8 s tokens over 20 s, no call fails and the IdP is asked
 * about once per lifetime. Real time (the SDKs date tokens by the wall clock); the load is paced by the calls
 * themselves.
 */
class MintedTokensThroughNginxTest {
    private static final String SEARCH = "/api/2.0/mlflow/experiments/search?max_results=1";
    private static final Duration LIFETIME = Duration.ofSeconds(8);
    private static final Duration RUN = Duration.ofSeconds(20);
    private static final int CLIENTS = 8;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void nginxPresent() {
        Nginx.requireAvailable();
        assumeTrue(Nginx.isAvailable(), Nginx.NOT_INSTALLED);
    }

    @Test
    void entra_throughAFrontThatChecksTheToken(@TempDir Path dir) throws Exception {
        String app = "api://mlflow-front-app";
        String clientId = "8c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
        String secret = "CANARYentraFrontSecret~4242";
        try (AzureKeyVaultServer entra = AzureKeyVaultServer.builder().tokenLifetime(LIFETIME).start();
             MlflowServer mlflow = MlflowServer.builder().start();
             JwtFrontCheck check = JwtFrontCheck.start(entra.apiTokenJwks(), entra.apiTokenIssuer(), app, Clock.systemUTC());
             Nginx nginx = check.protect(Nginx.builder(), "/api/", mlflow.uri()).start()) {
            entra.addServicePrincipal(clientId, secret);
            entra.addApiResource(app);
            entra.addApiResource("api://another-app");
            Map<String, String> s = new HashMap<>();
            s.put("MLFLOW_SECRETS_AUTH_ENABLE", "entra");
            s.put("MLFLOW_ENTRA_ID_SCOPE", app + "/.default");
            s.put("MLFLOW_AZURE_CA_BUNDLE_PATH", entra.caCertificatePem().toString());
            s.put("AZURE_AUTHORITY_HOST", entra.authorityHost().toString());
            s.put("AZURE_TENANT_ID", entra.tenantId());
            s.put("AZURE_CLIENT_ID", clientId);
            s.put("AZURE_CLIENT_SECRET", secret);
            s.put("MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1");
            Map<String, String> other = new HashMap<>(s);
            other.put("MLFLOW_ENTRA_ID_SCOPE", "api://another-app/.default");
            try (SecretsAuth otherAuth = engine(other)) {
                assertRefusedByNginx(nginx, mlflow, otherAuth.headersFor(nginx.uri()).get("Authorization"), "another audience");
            }
            assertRefusedByNginx(nginx, mlflow, "Bearer " + forged(entra.apiTokenIssuer(), app, clientId), "a forged token");
            assertRefusedByNginx(nginx, mlflow, null, "no token");
            loadThroughProxy("entra", engine(s), nginx, mlflow, check, entra::tokenRequests);
        }
    }

    @Test
    void gcpIdToken_throughAFrontThatChecksTheToken(@TempDir Path dir) throws Exception {
        String audience = "https://mlflow-front-uc.a.run.app";
        try (GcpSecretManagerServer gcp = GcpSecretManagerServer.builder().tokenLifetime(LIFETIME).start();
             MlflowServer mlflow = MlflowServer.builder().start();
             JwtFrontCheck check = JwtFrontCheck.start(gcp.idTokenKey().jwksJson(), "https://accounts.google.com", audience,
                     Clock.systemUTC());
             Nginx nginx = check.protect(Nginx.builder(), "/api/", mlflow.uri()).start()) {
            ServiceAccount caller = gcp.createServiceAccount("mlflow-front-caller");
            Path key = gcp.writeKeyFile(caller, dir.resolve("key.json"));
            Files.createDirectories(dir.resolve("gcloud"));
            Map<String, String> s = new HashMap<>();
            s.put("MLFLOW_SECRETS_AUTH_ENABLE", "gcp-id-token");
            s.put("MLFLOW_GCP_ID_TOKEN_AUDIENCE", audience);
            s.put("GOOGLE_APPLICATION_CREDENTIALS", key.toString());
            s.put("CLOUDSDK_CONFIG", dir.resolve("gcloud").toString());
            s.put("MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1");
            Map<String, String> other = new HashMap<>(s);
            other.put("MLFLOW_GCP_ID_TOKEN_AUDIENCE", "https://another-service-uc.a.run.app");
            try (SecretsAuth otherAuth = engine(other)) {
                assertRefusedByNginx(nginx, mlflow, otherAuth.headersFor(nginx.uri()).get("Authorization"), "another audience");
            }
            assertRefusedByNginx(nginx, mlflow, "Bearer " + forged("https://accounts.google.com", audience, caller.email()),
                    "a forged token");
            assertRefusedByNginx(nginx, mlflow, null, "no token");
            loadThroughProxy("gcp-id-token", engine(s), nginx, mlflow, check, gcp::idTokensIssued);
        }
    }

    private static SecretsAuth engine(Map<String, String> settings) {
        return SecretsAuth.builder().settings(Settings.builder().setAll(settings).build()).build();
    }

    /** Right issuer, audience and expiry, but signed by a key of the same id that is not the issuer's. */
    private static String forged(String issuer, String audience, String subject) {
        Instant now = Instant.now();
        return TokenKey.generate("forger").sign(new JWTClaimsSet.Builder().issuer(issuer).audience(audience).subject(subject)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300))).build());
    }

    private void assertRefusedByNginx(Nginx nginx, MlflowServer mlflow, String authorization, String what) throws Exception {
        int before = mlflow.calls().size();
        assertThat(get(nginx.uri(), authorization).statusCode()).as(what).isEqualTo(401);
        assertThat(mlflow.calls()).as(what + ": MLflow saw nothing").hasSize(before);
    }

    private void loadThroughProxy(String source, SecretsAuth auth, Nginx nginx, MlflowServer mlflow, JwtFrontCheck check,
                                  LongSupplier tokenRequests) throws Exception {
        try (auth; AuthProxy proxy = AuthProxy.builder(auth, nginx.uri()).start()) {
            assertThat(get(proxy.uri(), null).statusCode()).isEqualTo(200);
            String first = mlflow.calls().get(mlflow.calls().size() - 1).header("Authorization").orElseThrow();
            long requestsBefore = tokenRequests.getAsLong();
            LongAdder calls = new LongAdder();
            LongAdder failures = new LongAdder();
            ConcurrentLinkedQueue<String> why = new ConcurrentLinkedQueue<>();
            long end = System.nanoTime() + RUN.toNanos();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                running.add(clients.submit(() -> {
                    while (System.nanoTime() < end) {
                        try {
                            HttpResponse<String> r = get(proxy.uri(), null);
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
            for (Future<?> f : running) {
                f.get(2, TimeUnit.MINUTES);
            }
            clients.shutdown();
            long requests = tokenRequests.getAsLong() - requestsBefore + 1;
            long lifetimes = RUN.toSeconds() / LIFETIME.toSeconds() + 1;
            System.out.printf("%s through the proxy and an nginx JWT front: %d calls, %d failed, %d token requests in"
                    + " %d s of %d s tokens, %d accepted and %d refused by the front, %d auth replays%n", source, calls.sum(),
                    failures.sum(), requests, RUN.toSeconds(), LIFETIME.toSeconds(), check.accepted(), check.refused(),
                    proxy.metrics().authReplays());
            assertThat(failures.sum()).as("failed calls; first reasons: %s", why.stream().limit(5).toList()).isZero();
            assertThat(calls.sum()).isGreaterThan(200);
            assertThat(requests).as("token requests").isBetween(lifetimes - 1, 2 * lifetimes + 1);
            assertRefusedByNginx(nginx, mlflow, first, "the first token, past its exp");
        }
    }

    private HttpResponse<String> get(URI base, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(SEARCH)).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
