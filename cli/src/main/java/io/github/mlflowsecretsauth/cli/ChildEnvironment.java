package io.github.mlflowsecretsauth.cli;

import io.github.mlflowsecretsauth.aws.AwsConfigKeys;
import io.github.mlflowsecretsauth.aws.sigv4.SigV4RequestSignerFactory;
import io.github.mlflowsecretsauth.config.ConfigKeys;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.provider.env.EnvProviderFactory;
import io.github.mlflowsecretsauth.provider.file.FileProviderFactory;
import io.github.mlflowsecretsauth.provider.oauth2.OAuth2ProviderFactory;
import io.github.mlflowsecretsauth.provider.vault.VaultConfig;

import java.net.URI;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The environment {@code exec} gives its child: the caller's, less what the tool consumed to obtain the MLflow
 * credential ({@link #REMOVED}), plus {@code MLFLOW_TRACKING_URI} pointing at the proxy and the proxy's per-run token
 * as {@code MLFLOW_TRACKING_TOKEN}. Global credentials the child may need for its own work ({@code AWS_*}, the Azure
 * identity variables, {@code GOOGLE_APPLICATION_CREDENTIALS}) stay. Immutable.
 */
final class ChildEnvironment {
    /** A variable {@code exec} removes, and when: {@link #ALWAYS}, or while the named provider is enabled. */
    record Removed(String name, String when) {
    }

    static final String ALWAYS = "always";

    /** The one list (docs/PROXY.md's table is checked against it). */
    static final List<Removed> REMOVED = List.of(
            // MLflow's own auth variables: the proxy serves them now; a client sending them would bypass its token.
            new Removed(ConfigKeys.TRACKING_AUTH, ALWAYS),
            new Removed(EnvProviderFactory.USERNAME, ALWAYS),
            new Removed(EnvProviderFactory.PASSWORD, ALWAYS),
            new Removed(EnvProviderFactory.TOKEN, ALWAYS), // replaced by the per-run token
            new Removed(ConfigKeys.TRACKING_AWS_SIGV4, ALWAYS), // the proxy signs; a signing client would drop the token
            new Removed(SigV4RequestSignerFactory.SERVICE, ALWAYS),
            new Removed(ConfigKeys.TRACKING_CLIENT_CERT_PATH, ALWAYS),
            new Removed(ConfigKeys.TRACKING_CLIENT_KEY_PATH, ALWAYS),
            new Removed(ConfigKeys.TRACKING_CLIENT_CERT_PASSWORD, ALWAYS),
            new Removed(ProxySettings.CLIENT_TOKEN, ALWAYS),
            // The tool's project-scoped AWS credentials (the global AWS_* ones stay).
            new Removed(AwsConfigKeys.PROJECT_ACCESS_KEY_ID, ALWAYS),
            new Removed(AwsConfigKeys.PROJECT_SECRET_ACCESS_KEY, ALWAYS),
            new Removed(AwsConfigKeys.PROJECT_SESSION_TOKEN, ALWAYS),
            // A backend's own credentials, consumed while its provider is enabled.
            new Removed(VaultConfig.TOKEN, "vault"),
            new Removed(VaultConfig.ROLE_ID, "vault"),
            new Removed(VaultConfig.SECRET_ID, "vault"),
            new Removed(VaultConfig.WRAPPED_SECRET_ID, "vault"),
            new Removed(VaultConfig.JWT, "vault"),
            new Removed(VaultConfig.PASSWORD, "vault"),
            new Removed(VaultConfig.CLIENT_CERT, "vault"), // with them a Vault client in the child logs in as this process
            new Removed(VaultConfig.CLIENT_KEY, "vault"),
            new Removed(FileProviderFactory.PATH, "file"),
            new Removed(OAuth2ProviderFactory.CLIENT_SECRET, "oauth2"),
            new Removed(OAuth2ProviderFactory.CLIENT_KEY_PATH, "oauth2"));

    /** Names {@code --keep-env} cannot keep, since exec sets them itself. */
    private static final String NAME = "[A-Za-z_][A-Za-z0-9_]{0,127}";
    private static final Set<String> OWNED = Set.of(ConfigKeys.TRACKING_URI, EnvProviderFactory.TOKEN);

    private ChildEnvironment() {
    }

    /**
     * The child's environment from the caller's {@code env}. {@code token} (empty for the in-memory store) becomes
     * {@code MLFLOW_TRACKING_TOKEN}; each name in {@code keep} stays even if listed, unknown names are no-ops.
     */
    static Map<String, String> of(Map<String, String> env, Set<String> enabledProviders, Collection<String> keep,
                                  URI trackingUri, Optional<String> token) {
        validateKeep(keep);
        Map<String, String> child = new LinkedHashMap<>(env);
        for (Removed r : REMOVED) {
            if ((r.when().equals(ALWAYS) || enabledProviders.contains(r.when())) && !keep.contains(r.name())) {
                child.remove(r.name());
            }
        }
        child.put(ConfigKeys.TRACKING_URI, trackingUri.toString());
        token.ifPresent(t -> child.put(EnvProviderFactory.TOKEN, t));
        return child;
    }

    /** {@link #REMOVED} as docs/PROXY.md's Markdown table, one row per variable. */
    static String markdownTable() {
        StringBuilder t = new StringBuilder("| Variable | Removed from exec's command |\n|---|---|\n");
        for (Removed r : REMOVED) {
            t.append("| `").append(r.name()).append("` | ")
                    .append(r.when().equals(ALWAYS) ? "always" : "when `" + r.when() + "` is enabled")
                    .append(r.name().equals(EnvProviderFactory.TOKEN) ? " (set to the proxy's per-run token instead)" : "")
                    .append(" |\n");
        }
        return t.toString();
    }

    /** Each {@code --keep-env} name must be a portable environment variable name that exec does not set itself. */
    static void validateKeep(Collection<String> keep) {
        for (String name : keep) {
            if (name.contains("=")) { // NAME=VALUE: the value may be a secret, so only the name is shown
                String before = name.substring(0, name.indexOf('='));
                throw new ConfigurationException("--keep-env takes a name, not NAME=VALUE: pass --keep-env "
                        + (before.matches(NAME) ? before : "NAME"));
            }
            if (!name.matches(NAME)) {
                throw new ConfigurationException("--keep-env: '" + (name.matches("\\p{Graph}{1,64}") ? name : "(not shown)")
                        + "' is not an environment variable name (letters, digits and _, not starting with a digit)");
            }
            if (OWNED.contains(name)) {
                throw new ConfigurationException("--keep-env " + name + ": exec sets it for the child itself"
                        + " (the proxy's address and its per-run token); it cannot be kept");
            }
        }
    }
}
