package io.github.mlflowsecretsauth.azure.entra;

import io.github.mlflowsecretsauth.azure.AzureConfigKeys;
import io.github.mlflowsecretsauth.azure.http.AzureHttpClients;
import io.github.mlflowsecretsauth.azure.identity.IdentitySource;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.spi.ProviderContext;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import io.github.mlflowsecretsauth.spi.SecretProviderFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code entra} provider, as MLflow's own {@code MLFLOW_TRACKING_AUTH=entra}: a Microsoft Entra ID access token
 * for the MLflow server's app registration, scope {@code MLFLOW_ENTRA_ID_SCOPE} (e.g. {@code api://<app-id>/.default}),
 * from {@code DefaultAzureCredential} over the project's settings (every identity source the azure module supports),
 * sent as a Bearer token and kept until shortly before its own expiry. Settings prefix {@code ENTRA}
 * ({@code MLFLOW_ENTRA_AUTH_MODE}); {@code MLFLOW_AZURE_CA_BUNDLE_PATH} covers the token endpoint. Stateless.
 */
public final class EntraProviderFactory implements SecretProviderFactory {
    public static final String NAME = "entra";
    public static final String SCOPE = "MLFLOW_ENTRA_ID_SCOPE";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 35;
    }

    @Override
    public String settingsPrefix() {
        return "ENTRA";
    }

    @Override
    public List<String> missingSettings(Settings settings) {
        return settings.isSet(SCOPE) ? List.of() : List.of(SCOPE);
    }

    @Override
    public SecretProvider create(ProviderContext context) {
        Settings s = context.settings();
        List<String> scopes = scopes(s.get(SCOPE).orElseThrow());
        IdentitySource identity = IdentitySource.resolve(s);
        return new EntraTokenProvider(scopes, identity, s, AzureHttpClients.create(
                s.get(AzureConfigKeys.CA_BUNDLE_PATH).map(Path::of), context.fetchTimeout()));
    }

    /** One or more space-separated scopes; each a URI or a GUID, with no control characters. */
    static List<String> scopes(String raw) {
        List<String> scopes = Arrays.stream(raw.trim().split("\\s+")).filter(x -> !x.isEmpty()).toList();
        if (scopes.isEmpty()) {
            throw new ConfigurationException(SCOPE + " is empty: set it to the scope of the MLflow server's app registration,"
                    + " e.g. api://<application-id>/.default");
        }
        for (String scope : scopes) {
            if (!scope.matches("[\\x21-\\x7e]{1,512}")) {
                throw new ConfigurationException(SCOPE + " holds a scope with characters a scope cannot have: set it to the"
                        + " scope of the MLflow server's app registration, e.g. api://<application-id>/.default");
            }
        }
        return scopes;
    }
}
