package io.github.mlflowsecretsauth.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Every setting of the modules on the class path, from their {@link SettingsCatalog}s: ordered by section, then by
 * module (core, proxy, mlflow, aws, azure, gcp, cli, others by name), then as each catalog lists them. docs/CONFIGURATION.md's
 * tables are written from it.
 */
public final class SettingsRegistry {
    private static final List<String> MODULES = List.of("core", "proxy", "mlflow", "aws", "azure", "gcp", "cli");

    private SettingsRegistry() {
    }

    /** The settings of every catalog that {@code loader} sees. */
    public static List<Setting> all(ClassLoader loader) {
        List<SettingsCatalog> catalogs = new ArrayList<>();
        ServiceLoader.load(SettingsCatalog.class, loader).forEach(catalogs::add);
        catalogs.sort(Comparator.comparing(c -> c.getClass().getName()));
        List<Setting> out = new ArrayList<>();
        catalogs.forEach(c -> out.addAll(c.settings()));
        out.sort(Comparator.comparing(Setting::section).thenComparing(s -> moduleRank(s.module())));
        return List.copyOf(out);
    }

    /** The settings of every catalog on this class's class path. */
    public static List<Setting> all() {
        return all(SettingsRegistry.class.getClassLoader());
    }

    /** The setting {@code variable} names (exactly, or through a placeholder), if any. */
    public static Optional<Setting> find(List<Setting> settings, String variable) {
        return settings.stream().filter(s -> s.matches(variable)).findFirst();
    }

    private static String moduleRank(String module) {
        int i = MODULES.indexOf(module);
        return i >= 0 ? String.format("%02d", i) : "99" + module;
    }
}
