package io.github.mlflowsecretsauth.azure.identity;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.util.Configuration;
import com.azure.core.util.ConfigurationBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import io.github.mlflowsecretsauth.azure.AzureConfigKeys;
import io.github.mlflowsecretsauth.azure.http.AzureHttpClients;
import io.github.mlflowsecretsauth.azure.http.LoopbackHosts;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.internal.ConfigValues;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the {@code DefaultAzureCredential} the provider authenticates with. It reads the Azure identity
 * variables from the project's settings (not straight from the process environment) and sends its token
 * requests through the provider's own HTTP client, so a CA bundle set for Key Vault also covers the token
 * endpoint; its HTTP logging is off (token responses carry access tokens). Instance discovery (an extra call to login.microsoftonline.com) is switched off only when
 * {@code AZURE_AUTHORITY_HOST} is a loopback address, i.e. a local emulator or the testkit. Each token request is
 * bounded by {@code MLFLOW_SECRETS_FETCH_TIMEOUT_SEC} ({@link DeadlineTokenCredential}), an {@code az} that hangs
 * included. Stateless.
 */
public final class AzureCredentials {
    private AzureCredentials() {
    }

    public static TokenCredential defaultCredential(Settings settings, HttpClient httpClient) {
        Configuration configuration = new ConfigurationBuilder(EMPTY, EMPTY,
                new SettingsConfigurationSource(settings)).build();
        DefaultAzureCredentialBuilder b = new DefaultAzureCredentialBuilder().configuration(configuration).httpClient(httpClient)
                .httpLogOptions(AzureHttpClients.noHttpLogging())
                // one attempt per token request: the engine retries with its own backoff, and each attempt has the fetch deadline
                .retryOptions(new RetryOptions(new FixedDelayOptions(0, Duration.ofMillis(1))));
        Duration deadline = ConfigValues.fetchTimeout(settings);
        b.credentialProcessTimeout(deadline); // az, azd, PowerShell; applies only once the process closed its output
        settings.get(AzureConfigKeys.AUTHORITY_HOST).ifPresent(host -> {
            b.authorityHost(host);
            if (loopback(host)) {
                b.disableInstanceDiscovery();
            }
        });
        return new DeadlineTokenCredential(b.build(), deadline);
    }

    /** The authority host for reports, if not the public cloud's default. */
    public static Optional<String> authorityHost(Settings settings) {
        return settings.get(AzureConfigKeys.AUTHORITY_HOST);
    }

    private static boolean loopback(String host) {
        try {
            return LoopbackHosts.isLoopback(URI.create(host).getHost());
        } catch (IllegalArgumentException e) {
            return false; // azure-identity reports the malformed value itself
        }
    }

    private static final com.azure.core.util.ConfigurationSource EMPTY = source -> Map.of();
}
