package io.github.mlflowsecretsauth.gcp.idtoken;

import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.gcp.GcpConfigKeys;
import io.github.mlflowsecretsauth.gcp.credentials.GoogleIdentity;
import io.github.mlflowsecretsauth.spi.ProviderContext;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import io.github.mlflowsecretsauth.spi.SecretProviderFactory;
import java.util.List;
import java.util.Optional;

/**
 * The {@code gcp-id-token} provider (priority 41, settings prefix {@code GCP_ID_TOKEN}:
 * {@code MLFLOW_GCP_ID_TOKEN_AUTH_MODE}, {@code MLFLOW_GCP_ID_TOKEN_TTL_SEC}): a Google-signed ID token for
 * {@code MLFLOW_GCP_ID_TOKEN_AUDIENCE} (IAP's OAuth client id, or a Cloud Run service URL), minted from the same
 * Application Default Credentials as {@code gcp-secret-manager} ({@link GoogleIdentity}). Configured when the
 * audience is set; credentials that cannot mint ID tokens (gcloud user credentials) are refused here, before any
 * network call. Registered in {@code META-INF/services}. Stateless.
 */
public final class GcpIdTokenProviderFactory implements SecretProviderFactory {
    /** The name in {@code MLFLOW_SECRETS_AUTH_ENABLE}. */
    public static final String NAME = "gcp-id-token";
    private static final int MAX_AUDIENCE = 2048;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 41;
    }

    @Override
    public String settingsPrefix() {
        return "GCP_ID_TOKEN";
    }

    @Override
    public List<String> missingSettings(Settings settings) {
        return audience(settings).isPresent() ? List.of() : List.of(GcpConfigKeys.ID_TOKEN_AUDIENCE);
    }

    @Override
    public SecretProvider create(ProviderContext context) {
        String audience = audience(context.settings()).orElseThrow(() -> new ConfigurationException(GcpConfigKeys.ID_TOKEN_AUDIENCE
                + " is not set: set it to the IAP OAuth client id (…apps.googleusercontent.com) or the Cloud Run service URL"));
        if (audience.length() > MAX_AUDIENCE || !audience.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new ConfigurationException(GcpConfigKeys.ID_TOKEN_AUDIENCE + " has spaces, control or non-ASCII characters, or is "
                    + "too long: set it to the IAP OAuth client id or the Cloud Run service URL, nothing else");
        }
        GoogleIdentity identity = GoogleIdentity.resolve(context.settings());
        identity.idTokenProblem().ifPresent(p -> {
            throw new ConfigurationException(GcpConfigKeys.ID_TOKEN_AUDIENCE + " is set, but " + p);
        });
        return new GcpIdTokenProvider(audience, identity);
    }

    private static Optional<String> audience(Settings s) {
        return s.get(GcpConfigKeys.ID_TOKEN_AUDIENCE).map(String::strip).filter(a -> !a.isEmpty());
    }
}
