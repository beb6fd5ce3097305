package io.github.mlflowsecretsauth.azure.identity;

import io.github.mlflowsecretsauth.azure.entra.EntraProviderFactory;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.spi.ProviderContext;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import io.github.mlflowsecretsauth.testing.FakeClock;
import io.github.mlflowsecretsauth.testing.ManualScheduler;
import java.time.Duration;
import java.util.Map;

/**
 * The child JVM of {@link AzureCliDeadlineTest}: one Entra token fetch through {@code DefaultAzureCredential} restricted
 * to the Azure CLI credential (the {@code az} on this process's {@code PATH}), with the fetch deadline in args[0].
 * Prints {@code RESULT ok <ms> <token length>} or {@code RESULT failed <ms> <exception> <message>}, never the token.
 */
public final class AzureCliChild {
    private AzureCliChild() {
    }

    public static void main(String[] args) {
        Settings settings = Settings.builder().setAll(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "entra",
                "MLFLOW_ENTRA_ID_SCOPE", "api://mlflow-testkit/.default", "AZURE_TOKEN_CREDENTIALS", "AzureCliCredential",
                "MLFLOW_SECRETS_FETCH_TIMEOUT_SEC", args[0])).build();
        FakeClock clock = new FakeClock();
        long start = System.nanoTime();
        try (SecretProvider p = new EntraProviderFactory().create(new ProviderContext(settings, clock, new ManualScheduler(clock),
                () -> 0.5, Duration.ofMinutes(5), () -> { }))) {
            start = System.nanoTime();
            int length = p.fetch().text().orElseThrow().length();
            System.out.println("RESULT ok " + (System.nanoTime() - start) / 1_000_000 + " " + length);
        } catch (RuntimeException e) {
            System.out.println("RESULT failed " + (System.nanoTime() - start) / 1_000_000 + " " + e.getClass().getSimpleName()
                    + " " + e.getMessage());
        }
        System.out.flush();
        Runtime.getRuntime().halt(0); // the hung az is the SDK's; do not wait for it
    }
}
