package io.github.mlflowsecretsauth.proxy;

import io.github.mlflowsecretsauth.config.ConfigKeys;
import io.github.mlflowsecretsauth.config.Setting;
import io.github.mlflowsecretsauth.config.SettingsCatalog;
import io.github.mlflowsecretsauth.config.SettingsSection;

import java.util.List;

/** The proxy's limits ({@link ProxyLimits}); its client token is the CLI's. */
public final class ProxySettingsCatalog implements SettingsCatalog {
    @Override
    public List<Setting> settings() {
        return List.of(
                s(ConfigKeys.PROXY_UPSTREAM_TIMEOUT_SEC, ProxyLimits.DEFAULT_UPSTREAM_TIMEOUT_SEC, "total wait of one proxied "
                        + "request for the MLflow server's response headers, retries included (1.." + ProxyLimits.MAX_UPSTREAM_TIMEOUT_SEC + ")"),
                Setting.of("proxy", SettingsSection.PROXY, ConfigKeys.PROXY_REPLAY_BUDGET_MB, "`"
                        + ProxyLimits.DEFAULT_REPLAY_BUDGET_MB + "`, or an eighth of the heap if less", "memory all request "
                        + "bodies buffered for a replay may hold together; `0` turns replays off (0.." + ProxyLimits.MAX_REPLAY_BUDGET_MB + ")"),
                s(ConfigKeys.PROXY_THREADS, ProxyLimits.DEFAULT_THREADS, "the proxy's one thread pool, shared by its listener "
                        + "and its client towards MLflow (" + ProxyLimits.MIN_THREADS + ".." + ProxyLimits.MAX_THREADS + "); the "
                        + "proxy is asynchronous, so a thread is held only while a request is read, signed or waits on a cold credential"),
                Setting.of("proxy", SettingsSection.PROXY, ConfigKeys.PROXY_HOST_NAMES, "", "comma list of further host names "
                        + "clients reach the proxy by (the `Host` they send), e.g. a Kubernetes Service's DNS names; bare names, "
                        + "no port; requests for other hosts get 421"));
    }

    private static Setting s(String name, int defaultValue, String meaning) {
        return Setting.of("proxy", SettingsSection.PROXY, name, "`" + defaultValue + "`", meaning);
    }
}
