package io.github.mlflowsecretsauth.gcp;

import io.github.mlflowsecretsauth.SecretsAuth;
import java.net.URI;
import java.util.Map;

/**
 * The program {@link ClassLoadingIsolationTest} runs in a forked JVM whose class path is only core,
 * the gcp module and their runtime dependencies: it configures itself from the environment, fetches
 * a header for the MLflow URI in {@code args[0]} and prints whether it equals {@code PROBE_EXPECTED}
 * (never the header itself).
 */
public final class IsolationProbe {
    private IsolationProbe() {
    }

    public static void main(String[] args) {
        try (SecretsAuth auth = SecretsAuth.fromEnvironment()) {
            Map<String, String> headers = auth.headersFor(URI.create(args[0]));
            String expected = System.getenv("PROBE_EXPECTED");
            System.out.println(expected != null && expected.equals(headers.get("Authorization")) ? "PROBE MATCH" : "PROBE MISMATCH "
                    + headers.keySet());
        }
    }
}
