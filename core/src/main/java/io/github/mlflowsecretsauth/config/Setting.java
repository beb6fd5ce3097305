package io.github.mlflowsecretsauth.config;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One setting the project reads: its name (an environment variable, also a system property and a {@code .env} line),
 * its default as text (empty when it has none), what it means (Markdown, one sentence), the module that reads it, the
 * section of docs/CONFIGURATION.md that lists it, and whether its value is a credential. A name may hold one
 * placeholder in angle brackets, {@code MLFLOW_SECRETS_AUTH_ENABLE_<NAME>}, which stands for a family of names.
 * Contributed by each module's {@link SettingsCatalog}; all of them: {@link SettingsRegistry}.
 */
public record Setting(String name, String defaultValue, String meaning, String module, SettingsSection section,
                      boolean secret) {
    private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]*(<[A-Z]+>[A-Z0-9_]*)?");

    public Setting {
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(section, "section");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a setting's name is an upper-case variable name: " + name);
        }
        if (meaning == null || meaning.isBlank() || meaning.contains("\n") || meaning.contains("|")) {
            throw new IllegalArgumentException(name + ": the meaning is one line of text without '|'");
        }
        if (module == null || !module.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException(name + ": the module is a short lower-case name such as core");
        }
    }

    /** A setting that is not a credential. */
    public static Setting of(String module, SettingsSection section, String name, String defaultValue, String meaning) {
        return new Setting(name, defaultValue, meaning, module, section, false);
    }

    /** The same setting, marked as a credential (a token, password, key or client secret). */
    public Setting asSecret() {
        return new Setting(name, defaultValue, meaning, module, section, true);
    }

    /** Whether {@code variable} is this setting's name, or one of the family its placeholder stands for. */
    public boolean matches(String variable) {
        int open = name.indexOf('<');
        if (open < 0) {
            return name.equals(variable);
        }
        String prefix = name.substring(0, open);
        String suffix = name.substring(name.indexOf('>') + 1);
        return variable.length() > prefix.length() + suffix.length() && variable.startsWith(prefix)
                && variable.endsWith(suffix)
                && variable.substring(prefix.length(), variable.length() - suffix.length()).matches("[A-Z0-9_]+");
    }
}
