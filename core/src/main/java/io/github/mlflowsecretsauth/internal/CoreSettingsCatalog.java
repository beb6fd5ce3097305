package io.github.mlflowsecretsauth.internal;

import io.github.mlflowsecretsauth.config.ConfigKeys;
import io.github.mlflowsecretsauth.config.Setting;
import io.github.mlflowsecretsauth.config.SettingsCatalog;
import io.github.mlflowsecretsauth.config.SettingsSection;

import java.util.List;

import static io.github.mlflowsecretsauth.config.SettingsSection.SHARED;
import static io.github.mlflowsecretsauth.config.SettingsSection.TLS;

/** The core's shared settings and its TLS settings towards MLflow ({@link ConfigKeys}). */
public final class CoreSettingsCatalog implements SettingsCatalog {
    @Override
    public List<Setting> settings() {
        return List.of(
                s(SHARED, ConfigKeys.TRACKING_AUTH, "", "`" + ConfigKeys.TRACKING_AUTH_VALUE + "` switches the Java client factories on"),
                s(SHARED, ConfigKeys.ENABLE, "", "comma list of providers: " + ProviderCatalog.of(List.of()).knownNames().stream()
                        .map(p -> "`" + p + "`").reduce((a, b) -> a + ", " + b).orElse("") + " (trimmed, case-insensitive)"),
                s(SHARED, ConfigKeys.ENABLE_PREFIX + "<NAME>", "", "per-provider toggle, e.g. `"
                        + ConfigKeys.toggle("vault") + "=true`; `false` disables a listed provider"),
                s(SHARED, ConfigKeys.TRACKING_URI, "", "the MLflow server"),
                s(SHARED, ConfigKeys.ALLOWED_HOSTS, "all hosts (with a warning)", "comma list of shell-style globs, host or "
                        + "`host:port`, case-insensitive: `mlflow.company.com,*.staging.company.com,nginx:80`"),
                s(SHARED, ConfigKeys.HEADER_NAME, "`" + ConfigKeys.DEFAULT_HEADER_NAME + "`", "header that carries the credential, "
                        + "scheme included: `X-MLflow-Auth: Bearer <token>`. Framing and hop-by-hop names (`Host`, `Content-Length`, "
                        + "`Transfer-Encoding`, `Connection`, `Upgrade`, `TE`, `Trailer`, `Proxy-Connection`, `Keep-Alive`) are "
                        + "refused; `Proxy-Authorization` is allowed"),
                s(SHARED, ConfigKeys.LOG_LEVEL, "`WARNING` (CLI)", "`DEBUG`, `INFO`, `WARNING`, `ERROR`"),
                s(SHARED, ConfigKeys.MAX_RETRIES, "`" + ConfigKeys.DEFAULT_MAX_RETRIES + "`", "retries of a transient backend "
                        + "failure (network, 5xx, 429), with exponential backoff and jitter"),
                s(SHARED, ConfigKeys.STALE_IF_ERROR_SEC, "`" + ConfigKeys.DEFAULT_STALE_IF_ERROR_SEC + "`", "how long past its "
                        + "expiry a credential is still used while the backend fails"),
                s(SHARED, ConfigKeys.FETCH_TIMEOUT_SEC, "`" + ConfigKeys.DEFAULT_FETCH_TIMEOUT_SEC + "`", "one total deadline "
                        + "(connect, headers and body) for each call to a secret backend or token endpoint; a fetch past it is "
                        + "abandoned and counted as a failure (1.." + ConfigKeys.MAX_FETCH_TIMEOUT_SEC + ")"),
                s(SHARED, ConfigKeys.OPTIONAL, "`false`", "when MLflow or its credentials are unavailable at start-up, "
                        + "`mlflowClient()` and `exec` warn once and record runs in an in-memory tracking store, so the job runs on "
                        + "(configuration mistakes still fail)"),
                s(SHARED, ConfigKeys.MOCK, "`false`", "use that in-memory store from the start; no connection is attempted"),
                s(TLS, ConfigKeys.TRACKING_CLIENT_CERT_PATH, "", "client certificate for mutual TLS: PEM (leaf first, chain may "
                        + "follow; the key may be in the same file), or a PKCS#12 bundle (`.p12`/`.pfx`, detected by content)"),
                s(TLS, ConfigKeys.TRACKING_CLIENT_KEY_PATH, "", "its private key, PEM: PKCS#8 (`BEGIN PRIVATE KEY`), PKCS#1 "
                        + "(`BEGIN RSA PRIVATE KEY`) or SEC1 (`BEGIN EC PRIVATE KEY`); RSA or EC; unencrypted"),
                s(TLS, ConfigKeys.TRACKING_CLIENT_CERT_PASSWORD, "", "the PKCS#12 bundle's password (none if unset)").asSecret(),
                s(TLS, ConfigKeys.TRACKING_CA_BUNDLE_PATH, "the JDK's CAs", "PEM CA certificates the server must chain to "
                        + "(replaces the JDK's default CAs)"),
                s(TLS, ConfigKeys.TRACKING_SERVER_CERT_PATH, "", "MLflow's name for `" + ConfigKeys.TRACKING_CA_BUNDLE_PATH
                        + "`, an alias"),
                s(TLS, ConfigKeys.TRACKING_INSECURE_TLS, "`false`", "`true` skips certificate and host-name checks; a loud "
                        + "warning on every start; development only"));
    }

    private static Setting s(SettingsSection section, String name, String defaultValue, String meaning) {
        return Setting.of("core", section, name, defaultValue, meaning);
    }
}
