package io.github.mlflowsecretsauth.testing;

import io.github.mlflowsecretsauth.SecretsAuth;

import java.net.URI;
import java.util.Map;

/**
 * The program {@link IsolatedJvm} runs in a forked JVM whose class path is only the core, one provider module
 * and their runtime dependencies: it configures the engine from its environment, fetches the headers for the
 * MLflow URI in {@code args[0]} and prints whether {@code Authorization} equals {@code PROBE_EXPECTED}
 * (never the header itself). Uses nothing but the core, so it runs on that class path.
 */
public final class IsolationProbe {
    private IsolationProbe() {
    }

    public static void main(String[] args) {
        try (SecretsAuth auth = SecretsAuth.fromEnvironment()) {
            Map<String, String> headers = auth.headersFor(URI.create(args[0]));
            String expected = System.getenv("PROBE_EXPECTED");
            System.out.println(expected != null && expected.equals(headers.get("Authorization")) ? "PROBE MATCH"
                    : "PROBE MISMATCH " + headers.keySet());
        }
    }
}
