package io.github.mlflowsecretsauth;

import io.github.mlflowsecretsauth.config.ConfigKeys;
import io.github.mlflowsecretsauth.config.ConfigValues;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.error.SecretsAuthException;
import io.github.mlflowsecretsauth.mlflow.EmbeddedTracking;
import io.github.mlflowsecretsauth.mlflow.AuthenticatedMlflowClient;
import io.github.mlflowsecretsauth.mlflow.SecretsAuthHostCredsProvider;
import io.github.mlflowsecretsauth.mlflow.ServerProbes;
import io.github.mlflowsecretsauth.mlflow.internal.EmbeddedProxy;
import io.github.mlflowsecretsauth.mlflow.artifacts.ArtifactClient;
import io.github.mlflowsecretsauth.mlflow.artifacts.ArtifactStores;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.creds.MlflowHostCredsProvider;

import java.net.URI;

/**
 * Entry points for Java users of the official MLflow client ({@code org.mlflow:mlflow-client}).
 *
 * <p>{@link #mlflowClient()} returns an {@link MlflowClient} whose traffic goes through an embedded
 * loopback proxy that adds the credential, refreshes it on 401/403 and replays the call, retries 429s
 * and never forwards a credential through a redirect: the official client can do none of that itself.
 * The proxy serves only this client: it holds a fresh random token per client (sent by the official client as its
 * host credentials), and any other local process gets a 401 and no credential. Closing the client stops the proxy.
 *
 * <p>The environment-based factories require {@code MLFLOW_TRACKING_AUTH=mlflow_secrets_auth}, and
 * fail with a clear message without it rather than silently sending no credential.
 */
public final class MlflowSecretsAuth {
    private MlflowSecretsAuth() {
    }

    /**
     * A client for {@code MLFLOW_TRACKING_URI}, configured from the environment. With
     * {@code MLFLOW_SECRETS_AUTH_MOCK=true} it records into an in-memory store and connects to nothing; with
     * {@code MLFLOW_SECRETS_AUTH_OPTIONAL=true} it checks the server once and falls back to that store, with one
     * warning, when the server or its credentials are unavailable (configuration mistakes still fail).
     */
    public static MlflowClient mlflowClient() {
        Settings settings = Settings.fromEnvironment();
        if (ConfigValues.bool(settings, ConfigKeys.MOCK, false)) {
            return EmbeddedTracking.client(ConfigKeys.MOCK + "=true");
        }
        if (ConfigValues.bool(settings, ConfigKeys.OPTIONAL, false)) {
            try {
                SecretsAuth engine = activatedEngine();
                URI uri = trackingUri(engine);
                return start(engine, uri, true, true);
            } catch (ConfigurationException e) {
                throw e;
            } catch (SecretsAuthException e) {
                return EmbeddedTracking.client(ConfigKeys.OPTIONAL + "=true and MLflow is unavailable (" + e.getMessage() + ")");
            }
        }
        SecretsAuth engine = activatedEngine();
        URI uri = trackingUri(engine);
        return start(engine, uri, true, validateFromSettings(engine));
    }

    /** A client for {@code trackingUri}, with credentials configured from the environment. */
    public static MlflowClient mlflowClient(String trackingUri) {
        URI uri = ConfigValues.httpUrl("trackingUri", trackingUri);
        SecretsAuth engine = activatedEngine();
        return start(engine, uri, true, validateFromSettings(engine));
    }

    /** {@code MLFLOW_SECRETS_AUTH_VALIDATE=true} makes the environment factories validate at once. */
    public static final String VALIDATE = "MLFLOW_SECRETS_AUTH_VALIDATE";

    private static boolean validateFromSettings(SecretsAuth engine) {
        return ConfigValues.bool(engine.settings(), VALIDATE, false);
    }

    /**
     * A client for {@code trackingUri} using {@code engine} for credentials; the caller keeps owning
     * the engine (closing the client does not close it). No activation check: this is explicit.
     */
    public static MlflowClient mlflowClient(SecretsAuth engine, String trackingUri) {
        return mlflowClient(engine, trackingUri, false);
    }

    /**
     * Like {@link #mlflowClient(SecretsAuth, String)}; with {@code validate} (the seed's
     * {@code validate=True}), one read-only call is made at once and a rejected credential fails here with
     * {@link io.github.mlflowsecretsauth.error.MlflowAuthenticationException}, an unreachable server with
     * {@link io.github.mlflowsecretsauth.error.BackendUnavailableException}.
     */
    public static MlflowClient mlflowClient(SecretsAuth engine, String trackingUri, boolean validate) {
        URI uri = ConfigValues.httpUrl("trackingUri", trackingUri);
        return start(engine, uri, false, validate);
    }

    /**
     * Host credentials for {@code new MlflowClient(provider)}, for {@code MLFLOW_TRACKING_URI}. They are redirect-safe:
     * they name an embedded loopback proxy and its per-run client token, never the real credential (the official
     * client follows redirects to any host with its {@code Authorization} header). The proxy adds the credential,
     * for the allowlisted server only, exactly as for {@link #mlflowClient()}. {@code refresh()} drops the cached
     * credential. The returned object is a {@link SecretsAuthHostCredsProvider}: close it to stop the proxy.
     */
    public static MlflowHostCredsProvider hostCredsProvider() {
        SecretsAuth engine = activatedEngine();
        URI uri = engine.config().trackingUri().filter(u -> engine.config().isRemote()).orElseThrow(() -> {
            engine.close();
            return new ConfigurationException(ConfigKeys.TRACKING_URI + " is not set to an http(s) URL: set it to your MLflow server");
        });
        try {
            return SecretsAuthHostCredsProvider.start(engine, uri, true);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    /** Like {@link #hostCredsProvider()} with an engine the caller owns (closing the provider leaves it open). */
    public static MlflowHostCredsProvider hostCredsProvider(SecretsAuth engine, String trackingUri) {
        return SecretsAuthHostCredsProvider.start(engine, ConfigValues.httpUrl("trackingUri", trackingUri), false);
    }

    /**
     * Native artifact logging (no Python) for {@code runId}, with the same authentication as {@code client}:
     * {@code client} must come from this class ({@link #mlflowClient()} and friends, including the mock and optional
     * modes). The artifact client borrows the client's proxy: close it before the client.
     *
     * @throws IllegalArgumentException for an {@link MlflowClient} not made here
     * @throws io.github.mlflowsecretsauth.mlflow.artifacts.ArtifactException if the run does not exist
     */
    public static ArtifactClient artifacts(MlflowClient client, String runId) {
        if (client instanceof AuthenticatedMlflowClient authenticated) {
            return authenticated.artifacts(runId);
        }
        if (client instanceof EmbeddedTracking.EmbeddedMlflowClient embedded) {
            URI store = embedded.store().uri();
            return ArtifactClient.forRun(runId, ArtifactStores.create(store, store, Settings.fromEnvironment()), null);
        }
        throw new IllegalArgumentException("artifacts(client, runId) needs a client made by MlflowSecretsAuth (it carries "
                + "the authentication); use MlflowSecretsAuth.mlflowClient(...) or artifacts(engine, trackingUri, runId)");
    }

    /**
     * Native artifact logging for {@code runId} on {@code trackingUri}, with credentials from {@code engine} (which the
     * caller keeps owning): starts an embedded proxy, stopped when the returned client is closed.
     */
    public static ArtifactClient artifacts(SecretsAuth engine, String trackingUri, String runId) {
        URI uri = ConfigValues.httpUrl("trackingUri", trackingUri);
        EmbeddedProxy proxy = EmbeddedProxy.start(engine, uri);
        try {
            return ArtifactClient.forRun(runId, ArtifactStores.create(uri, proxy.uri(), proxy.authorization(), engine.settings()),
                    proxy);
        } catch (RuntimeException e) {
            proxy.close();
            throw e;
        }
    }

    private static URI trackingUri(SecretsAuth engine) {
        return engine.config().trackingUri().filter(u -> engine.config().isRemote()).orElseThrow(() -> {
            engine.close();
            return new ConfigurationException(ConfigKeys.TRACKING_URI + " is not set to an http(s) URL: set it to your "
                    + "MLflow server, or call mlflowClient(trackingUri)");
        });
    }

    private static SecretsAuth activatedEngine() {
        SecretsAuth engine = SecretsAuth.fromEnvironment();
        if (!engine.config().activated()) {
            engine.close();
            throw new ConfigurationException(ConfigKeys.TRACKING_AUTH + " is not set to " + ConfigKeys.TRACKING_AUTH_VALUE
                    + ": no credential would be sent; export " + ConfigKeys.TRACKING_AUTH + "=" + ConfigKeys.TRACKING_AUTH_VALUE
                    + " (or use new MlflowClient(uri) for an unauthenticated server)");
        }
        if (!engine.hasCredentialSource()) {
            engine.close();
            throw new ConfigurationException("no secret provider is enabled and configured: set " + ConfigKeys.ENABLE
                    + " and the provider's settings (run 'mlflow-secrets-auth doctor')");
        }
        return engine;
    }

    /** Starts the embedded proxy and the client on it; with {@code validate}, probes the server once (closing all on failure). */
    private static AuthenticatedMlflowClient start(SecretsAuth engine, URI trackingUri, boolean ownsEngine, boolean validate) {
        EmbeddedProxy proxy;
        try {
            proxy = EmbeddedProxy.start(engine, trackingUri);
        } catch (RuntimeException e) {
            if (ownsEngine) {
                engine.close();
            }
            throw e;
        }
        AuthenticatedMlflowClient client = new AuthenticatedMlflowClient(proxy, engine, ownsEngine);
        if (validate) {
            try {
                ServerProbes.check(proxy, trackingUri);
            } catch (RuntimeException e) {
                client.close();
                throw e;
            }
        }
        return client;
    }
}
