package io.github.mlflowsecretsauth.azure.keyvault;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.SecretClientBuilder;
import com.azure.security.keyvault.secrets.models.KeyVaultSecret;
import io.github.mlflowsecretsauth.azure.http.AzureHttpClients;
import io.github.mlflowsecretsauth.azure.identity.AzureCredentials;
import io.github.mlflowsecretsauth.azure.identity.IdentitySource;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.MalformedSecretException;
import io.github.mlflowsecretsauth.secret.SecretValue;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the MLflow credential from Azure Key Vault with one {@code GET /secrets/{name}/{version}} through
 * the Azure SDK's {@link SecretClient}, authenticated by {@code DefaultAzureCredential} after Key Vault's
 * Bearer challenge. The value is text, parsed by the core like every other secret (JSON with
 * {@code token} or {@code username}/{@code password}, or a bare token). The SDK's own retries are off:
 * the engine retries transient failures with jittered backoff, so one attempt is one request. The SDK's
 * HTTP logging is off whatever {@code AZURE_HTTP_LOG_DETAIL_LEVEL} says, since it would log the secret.
 * Challenge resource verification is off only for a loopback vault host. Failures are mapped by
 * {@link KeyVaultErrors}. Thread-safe: the SDK client is.
 */
final class KeyVaultSecretProvider implements SecretProvider {
    private static final Logger LOG = LoggerFactory.getLogger(KeyVaultSecretProvider.class);

    private final KeyVaultConfig config;
    private final IdentitySource identity;
    private final Map<String, String> extraFacts;
    private final SecretClient client;

    KeyVaultSecretProvider(KeyVaultConfig config, IdentitySource identity, Settings settings, HttpClient http) {
        TokenCredential credential = AzureCredentials.defaultCredential(settings, http);
        this.config = config;
        this.identity = identity;
        SecretClientBuilder b = new SecretClientBuilder().vaultUrl(config.vaultUrl().toString()).credential(credential).httpClient(http)
                .retryOptions(new RetryOptions(new FixedDelayOptions(0, Duration.ofMillis(1))))
                .httpLogOptions(AzureHttpClients.noHttpLogging());
        if (config.loopbackVault()) {
            // The SDK checks that the challenge's resource belongs to the vault's domain; a local vault has none.
            b.disableChallengeResourceVerification();
        }
        this.client = b.buildClient();
        Map<String, String> facts = new LinkedHashMap<>();
        AzureCredentials.authorityHost(settings).ifPresent(h -> facts.put("authority host", h));
        config.caBundle().ifPresent(p -> facts.put("CA bundle", p.toString()));
        if (config.loopbackVault()) {
            facts.put("challenge resource verification", "off (loopback vault host)");
        }
        this.extraFacts = Map.copyOf(facts);
    }

    @Override
    public String name() {
        return KeyVaultProviderFactory.NAME;
    }

    @Override
    public SecretValue fetch() {
        KeyVaultSecret s;
        try {
            s = client.getSecret(config.secretName(), config.version().orElse(""));
        } catch (RuntimeException e) {
            throw KeyVaultErrors.map(e, config, identity);
        }
        String version = s.getProperties() == null ? null : s.getProperties().getVersion();
        LOG.debug("read {} ({}; got version {}) from {} with the identity from {}", config.secretName(), config.versionForDisplay(),
                version, config.vaultUrl(), identity);
        if (s.getValue() == null) {
            throw new MalformedSecretException("the secret at " + config.location() + " has no value: store the credential as the "
                    + "secret's value");
        }
        return SecretValue.ofText(s.getValue(), config.location(), version);
    }

    @Override
    public Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("vault URL", config.vaultUrl().toString());
        d.put("secret name", config.secretName());
        d.put("version", config.versionForDisplay());
        d.put("identity source", identity.label());
        if (!identity.variables().isEmpty()) {
            d.put("identity variables", String.join(", ", identity.variables()));
        }
        d.putAll(extraFacts);
        return d;
    }

    @Override
    public String toString() {
        return "KeyVaultSecretProvider{" + config.secretName() + " in " + config.vaultUrl() + ", " + config.versionForDisplay() + ", "
                + identity + "}";
    }
}
