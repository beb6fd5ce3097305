package io.github.mlflowsecretsauth.mlflow;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.config.ConfigKeys;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.header.AuthMode;
import io.github.mlflowsecretsauth.header.HeaderSnapshot;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;
import org.mlflow.tracking.creds.MlflowHostCreds;
import org.mlflow.tracking.creds.MlflowHostCredsProvider;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * An {@link MlflowHostCredsProvider} over the engine: every {@link #getHostCreds()} reads the current
 * snapshot (a memory lookup once warm); {@link #refresh()} drops it so the next call refetches. Only
 * {@code Authorization} with Bearer or Basic can be expressed this way. Thread-safe.
 */
public final class SecretsAuthHostCredsProvider implements MlflowHostCredsProvider {
    private final SecretsAuth engine;
    private final URI trackingUri;

    public SecretsAuthHostCredsProvider(SecretsAuth engine, URI trackingUri) {
        if (!ConfigKeys.DEFAULT_HEADER_NAME.equalsIgnoreCase(engine.config().headerName())) {
            throw new ConfigurationException(ConfigKeys.HEADER_NAME + "=" + engine.config().headerName() + " cannot be sent by the "
                    + "official client's own HTTP path (it only sends Authorization): use MlflowSecretsAuth.mlflowClient()");
        }
        if (!engine.config().allowlist().allows(trackingUri)) {
            throw new ConfigurationException("the tracking host " + trackingUri.getRawAuthority() + " is not in "
                    + ConfigKeys.ALLOWED_HOSTS + ": add it, or credentials would not be sent");
        }
        this.engine = engine;
        this.trackingUri = trackingUri;
    }

    @Override
    public MlflowHostCreds getHostCreds() {
        HeaderSnapshot s = engine.snapshotFor(trackingUri).orElseThrow(() -> new ConfigurationException(
                "no credential is available for " + trackingUri.getRawAuthority() + ": run 'mlflow-secrets-auth doctor'"));
        String host = trackingUri.toString();
        if (s.mode() == AuthMode.BASIC) {
            String pair = new String(Base64.getDecoder().decode(s.headerValue().substring("Basic ".length())), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            return new BasicMlflowHostCreds(host, pair.substring(0, colon), pair.substring(colon + 1));
        }
        if (s.mode() == AuthMode.BEARER) {
            return new BasicMlflowHostCreds(host, s.headerValue().substring("Bearer ".length()));
        }
        throw new ConfigurationException("auth mode raw cannot be sent by the official client's own HTTP path: use "
                + "MlflowSecretsAuth.mlflowClient()");
    }

    @Override
    public void refresh() {
        engine.clearCache();
    }

    @Override
    public String toString() {
        return "SecretsAuthHostCredsProvider{" + trackingUri.getRawAuthority() + "}";
    }
}
