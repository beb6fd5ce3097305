package io.github.mlflowsecretsauth.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.Set;

/**
 * Where every setting comes from. A name is looked up, in order, in the programmatic overrides, the
 * Java system properties, the real environment and the {@code .env} file of the working directory,
 * so the real environment wins over {@code .env}. Blank values count as unset. Immutable and
 * thread-safe; {@link #toString()} lists names and sources only, never values.
 */
public final class Settings {
    /** Where a value came from, for reports such as {@code info}. */
    public enum Source {
        BUILDER("builder"), SYSTEM_PROPERTY("system property"), ENVIRONMENT("environment"), DOTENV(".env file");

        private final String label;

        Source(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private final Map<String, String> overrides;
    private final Map<String, String> systemProperties;
    private final Map<String, String> environment;
    private final Map<String, String> dotEnv;

    private Settings(Map<String, String> overrides, Map<String, String> systemProperties,
                     Map<String, String> environment, Map<String, String> dotEnv) {
        this.overrides = Map.copyOf(overrides);
        this.systemProperties = Map.copyOf(systemProperties);
        this.environment = Map.copyOf(environment);
        this.dotEnv = Map.copyOf(dotEnv);
    }

    /** Settings of this process: system properties, environment and {@code ./.env}. */
    public static Settings fromEnvironment() {
        return builder().systemProperties(System.getProperties()).environment(System.getenv())
                .dotEnvFile(Path.of("").toAbsolutePath().resolve(".env")).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The value of {@code name}, trimmed; empty if unset or blank. */
    public Optional<String> get(String name) {
        for (Map<String, String> layer : layers()) {
            String v = layer.get(name);
            if (v != null && !v.isBlank()) {
                return Optional.of(v.strip());
            }
        }
        return Optional.empty();
    }

    public boolean isSet(String name) {
        return get(name).isPresent();
    }

    /** Which layer supplies {@code name}, if any. */
    public Optional<Source> sourceOf(String name) {
        Source[] sources = Source.values();
        Map<String, String>[] layers = layers();
        for (int i = 0; i < layers.length; i++) {
            String v = layers[i].get(name);
            if (v != null && !v.isBlank()) {
                return Optional.of(sources[i]);
            }
        }
        return Optional.empty();
    }

    /** Every set name that starts with one of the prefixes, sorted. */
    public Set<String> namesStartingWith(String... prefixes) {
        Set<String> out = new TreeSet<>();
        for (Map<String, String> layer : layers()) {
            for (String k : layer.keySet()) {
                for (String p : prefixes) {
                    if (k.startsWith(p) && isSet(k)) {
                        out.add(k);
                    }
                }
            }
        }
        return out;
    }

    /** A copy with {@code name} set in the override layer. */
    public Settings with(String name, String value) {
        Map<String, String> o = new HashMap<>(overrides);
        o.put(name, value);
        return new Settings(o, systemProperties, environment, dotEnv);
    }

    @SuppressWarnings("unchecked")
    private Map<String, String>[] layers() {
        return new Map[] {overrides, systemProperties, environment, dotEnv};
    }

    @Override
    public String toString() {
        return "Settings{overrides=" + overrides.keySet() + ", dotEnv=" + dotEnv.keySet() + "}";
    }

    /** Builds {@link Settings}; every layer starts empty. Not thread-safe. */
    public static final class Builder {
        private final Map<String, String> overrides = new HashMap<>();
        private final Map<String, String> systemProperties = new HashMap<>();
        private final Map<String, String> environment = new HashMap<>();
        private final Map<String, String> dotEnv = new HashMap<>();

        public Builder set(String name, String value) {
            if (value == null) {
                overrides.remove(name);
            } else {
                overrides.put(name, value);
            }
            return this;
        }

        public Builder setAll(Map<String, String> values) {
            values.forEach(this::set);
            return this;
        }

        public Builder environment(Map<String, String> env) {
            environment.putAll(env);
            return this;
        }

        public Builder systemProperties(Properties props) {
            for (String name : props.stringPropertyNames()) {
                systemProperties.put(name, props.getProperty(name));
            }
            return this;
        }

        public Builder dotEnv(Map<String, String> values) {
            dotEnv.putAll(values);
            return this;
        }

        public Builder dotEnvFile(Path file) {
            return dotEnv(DotEnv.load(file));
        }

        public Settings build() {
            return new Settings(overrides, systemProperties, environment, dotEnv);
        }
    }
}
