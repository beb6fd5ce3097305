package io.github.mlflowsecretsauth.bench.tuning;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.proxy.AuthProxy;

import java.net.URI;

/**
 * A tuning experiment, not a product: the shipped {@link AuthProxy}, built through its public builder with
 * another size for its one thread pool. Runs until killed.
 *
 * <p>Usage: {@code ProxyTuningExperiment UPSTREAM_URL LISTEN_PORT TOKEN THREADS}.
 */
public final class ProxyTuningExperiment {
    private ProxyTuningExperiment() {
    }

    public static void main(String[] args) throws Exception {
        URI upstream = URI.create(args[0]);
        int port = Integer.parseInt(args[1]);
        SecretsAuth auth = SecretsAuth.builder().settings(Settings.builder()
                .set("MLFLOW_SECRETS_AUTH_ENABLE", "env").set("MLFLOW_TRACKING_TOKEN", args[2])
                .set("MLFLOW_SECRETS_ALLOWED_HOSTS", upstream.getRawAuthority()).build()).build();
        try (AuthProxy proxy = AuthProxy.builder(auth, upstream).listen("127.0.0.1", port)
                .threads(Integer.parseInt(args[3])).start()) {
            System.out.println("listening on " + port);
            proxy.join();
        }
    }
}
