package io.github.mlflowsecretsauth.internal;

import io.github.mlflowsecretsauth.spi.SecretProviderFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The providers this project knows by name, with their priority and the module that holds each, and
 * the factories actually found on the class path. Lets the engine tell "unknown provider" apart from
 * "known, but its module is not installed". Immutable.
 */
public final class ProviderCatalog {
    /** A provider name the project defines. */
    public record Known(String name, int priority, String module) {
    }

    private static final List<Known> KNOWN = List.of(
            new Known("vault", 10, "mlflow-secrets-auth-core"),
            new Known("aws-secrets-manager", 20, "mlflow-secrets-auth-aws"),
            new Known("azure-key-vault", 30, "mlflow-secrets-auth-azure"),
            new Known("entra", 35, "mlflow-secrets-auth-azure"),
            new Known("gcp-secret-manager", 40, "mlflow-secrets-auth-gcp"),
            new Known("gcp-id-token", 41, "mlflow-secrets-auth-gcp"),
            new Known("oauth2", 42, "mlflow-secrets-auth-core"),
            new Known("kubernetes", 45, "mlflow-secrets-auth-core"),
            new Known("file", 50, "mlflow-secrets-auth-core"),
            new Known("env", 60, "mlflow-secrets-auth-core"));

    private final Map<String, SecretProviderFactory> installed;
    private final List<Known> known;

    private ProviderCatalog(List<SecretProviderFactory> factories) {
        Map<String, SecretProviderFactory> byName = new LinkedHashMap<>();
        for (SecretProviderFactory f : factories) {
            byName.putIfAbsent(f.name(), f);
        }
        this.installed = Map.copyOf(byName);
        List<Known> all = new ArrayList<>(KNOWN);
        for (SecretProviderFactory f : factories) {
            if (all.stream().noneMatch(k -> k.name().equals(f.name()))) {
                all.add(new Known(f.name(), f.priority(), "(third party)"));
            }
        }
        all.sort(Comparator.comparingInt(Known::priority).thenComparing(Known::name));
        this.known = List.copyOf(all);
    }

    /** Factories found with {@link ServiceLoader} on this class's loader. */
    public static ProviderCatalog discover() {
        List<SecretProviderFactory> found = new ArrayList<>();
        ServiceLoader.load(SecretProviderFactory.class, ProviderCatalog.class.getClassLoader()).forEach(found::add);
        return new ProviderCatalog(found);
    }

    public static ProviderCatalog of(List<SecretProviderFactory> factories) {
        return new ProviderCatalog(factories);
    }

    /** Every known name in priority order. */
    public List<Known> known() {
        return known;
    }

    public List<String> knownNames() {
        return known.stream().map(Known::name).toList();
    }

    public SecretProviderFactory factory(String name) {
        return installed.get(name);
    }
}
