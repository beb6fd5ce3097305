package io.github.mlflowsecretsauth.cli;

import io.github.mlflowsecretsauth.ProviderStatus;
import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.SecretsAuthConfig;
import io.github.mlflowsecretsauth.cli.report.Check;
import io.github.mlflowsecretsauth.cli.report.Status;
import io.github.mlflowsecretsauth.config.ConfigKeys;
import io.github.mlflowsecretsauth.config.Settings;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Report sections shared by {@code info} and {@code doctor}: providers, configuration, security. */
final class EngineReport {
    private static final String[] PREFIXES = {"MLFLOW_SECRETS_", "MLFLOW_TRACKING_", "MLFLOW_AUTH_", "MLFLOW_VAULT_", "MLFLOW_AWS_",
        "MLFLOW_AZURE_", "MLFLOW_GCP_", "MLFLOW_OAUTH2_", "MLFLOW_FILE_", "MLFLOW_ENV_", "VAULT_", "AWS_", "AZURE_", "GOOGLE_",
        "CLOUDSDK_CONFIG", "GCE_METADATA_HOST"};

    private EngineReport() {
    }

    /** One line per known provider: enabled, configured, selected, or why not. */
    static Check providers(SecretsAuth engine) {
        List<ProviderStatus> all = engine.providers();
        String selected = engine.chain().isEmpty() ? null : engine.chain().get(0).name();
        Check c = new Check("Providers", selected != null ? Status.OK : Status.FAIL);
        for (ProviderStatus p : all) {
            c.detail(p.name(), describe(p, selected));
        }
        if (selected == null) {
            boolean anyEnabled = all.stream().anyMatch(ProviderStatus::enabled);
            c.error(anyEnabled ? "no enabled provider is fully configured" : "no provider is enabled");
            c.solution(anyEnabled ? "set the missing variables listed above"
                    : "set " + ConfigKeys.ENABLE + " to a provider, for example: export " + ConfigKeys.ENABLE + "=vault");
        } else {
            c.detail("Active provider", selected);
            if (engine.chain().size() > 1) {
                c.detail("Fallbacks", String.join(", ", engine.chain().subList(1, engine.chain().size()).stream()
                        .map(b -> b.name()).toList()));
            }
        }
        return c;
    }

    private static String describe(ProviderStatus p, String selected) {
        if (!p.enabled()) {
            return "disabled" + (p.installed() ? "" : " (module " + p.module() + " not installed)");
        }
        if (!p.installed()) {
            return "enabled, but its module " + p.module() + " is not on the class path";
        }
        if (!p.missing().isEmpty()) {
            return "enabled, not configured: set " + String.join(", ", p.missing());
        }
        return "enabled and configured" + (p.name().equals(selected) ? " (selected)" : " (fallback)");
    }

    /** The shared configuration and where each relevant variable came from (names only, never values). */
    static Check configuration(SecretsAuth engine, Settings settings) {
        SecretsAuthConfig cfg = engine.config();
        Check c = Check.ok("Configuration");
        c.detail("Activation", ConfigKeys.TRACKING_AUTH + (cfg.activated() ? "=mlflow_secrets_auth (zero-code paths on)" : " not set to mlflow_secrets_auth"));
        c.detail("Auth header", cfg.headerName());
        if (!engine.chain().isEmpty()) {
            c.detail("Auth mode", engine.chain().get(0).mode().id());
            c.detail("Cache TTL", engine.chain().get(0).ttl().toSeconds() + " seconds");
            engine.chain().get(0).describe().forEach((k, v) -> c.detail(capitalize(k), v));
        }
        c.detail("Tracking URI", cfg.trackingUriForDisplay().orElse("(not set)"));
        c.detail("Stale-if-error grace", cfg.staleIfError().toSeconds() + " seconds");
        c.detail("Fetch deadline", cfg.fetchTimeout().toSeconds() + " seconds");
        Set<String> names = new TreeSet<>(settings.namesStartingWith(PREFIXES));
        if (!names.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            for (String n : names) {
                if (sb.length() > 0) {
                    sb.append(", ");
                }
                sb.append(n).append(" (").append(settings.sourceOf(n).map(Object::toString).orElse("?")).append(')');
            }
            c.detail("Variables set", sb.toString());
        }
        return c;
    }

    static Check security(SecretsAuth engine) {
        SecretsAuthConfig cfg = engine.config();
        Check c = Check.ok("Security");
        if (cfg.allowlist().isRestricted()) {
            c.detail("Host allowlisting", "enabled (" + String.join(", ", cfg.allowlist().patterns()) + ")");
            cfg.trackingUri().filter(u -> cfg.isRemote()).ifPresent(u -> {
                boolean allowed = cfg.allowlist().allows(u);
                c.detail("Tracking host", u.getRawAuthority() + (allowed ? " is allowed" : " is NOT allowed"));
                if (!allowed) {
                    c.status(Status.WARN);
                    c.solution("add " + u.getHost() + " to " + ConfigKeys.ALLOWED_HOSTS + ", or credentials will not be sent to it");
                }
            });
        } else {
            c.status(Status.WARN);
            c.detail("Host allowlisting", "disabled: credentials may be sent to any host");
            c.solution("set " + ConfigKeys.ALLOWED_HOSTS + " to your MLflow host, e.g. mlflow.company.com");
        }
        c.detail("Credential redaction", "always on");
        return c;
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
