package io.github.mlflowsecretsauth.cli;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.config.ConfigKeys;
import io.github.mlflowsecretsauth.config.ConfigValues;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.proxy.AuthProxy;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Shared by {@code proxy} and {@code exec}: resolving the upstream and starting a proxy for it. */
final class ProxySettings {
    static final String CLIENT_TOKEN = "MLFLOW_SECRETS_PROXY_CLIENT_TOKEN";

    private ProxySettings() {
    }

    /** {@code --upstream}, else {@code MLFLOW_TRACKING_URI}; must be http(s). */
    static URI upstream(String option, SecretsAuth engine) {
        if (option != null) {
            return ConfigValues.httpUrl("--upstream", option);
        }
        URI tracking = engine.config().trackingUri().orElseThrow(() -> new ConfigurationException(
                "no upstream: pass --upstream URL or set " + ConfigKeys.TRACKING_URI + " to your MLflow server"));
        if (!engine.config().isRemote()) {
            throw new ConfigurationException(ConfigKeys.TRACKING_URI + " is not an http(s) URL: pass --upstream URL");
        }
        return tracking;
    }

    static void requireProvider(SecretsAuth engine) {
        if (!engine.hasCredentialSource()) {
            throw new ConfigurationException("no secret provider is enabled and configured: set " + ConfigKeys.ENABLE
                    + " and its settings (run 'mlflow-secrets-auth info')");
        }
    }

    static String clientToken(Path file, CliContext ctx) {
        if (file != null) {
            try {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new ConfigurationException("--client-token-file: cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
            }
        }
        return ctx.settings().get(CLIENT_TOKEN).orElse(null);
    }

    static AuthProxy.Builder builder(SecretsAuth engine, URI upstream) {
        return AuthProxy.builder(engine, upstream);
    }
}
