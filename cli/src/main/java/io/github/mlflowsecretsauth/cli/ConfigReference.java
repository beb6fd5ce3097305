package io.github.mlflowsecretsauth.cli;

import io.github.mlflowsecretsauth.config.Setting;
import io.github.mlflowsecretsauth.config.SettingsRegistry;
import io.github.mlflowsecretsauth.config.SettingsSection;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes docs/CONFIGURATION.md's tables of settings from the {@link SettingsRegistry}: one table per
 * {@link SettingsSection}, between {@code <!-- settings:<id> -->} and {@code <!-- /settings:<id> -->}; the prose outside
 * the markers is kept as it is. Other pages (docs/identity/*.md) may mark sections too. {@code make config-docs} runs it;
 * ConfigReferenceTest fails when a file is out of date.
 */
public final class ConfigReference {
    private static final Pattern OPEN = Pattern.compile("<!-- settings:([a-z0-9-]+) -->");

    private ConfigReference() {
    }

    /** {@code doc} (the reference) with every section's table rewritten from {@code settings}; each section must be there. */
    public static String render(String doc, List<Setting> settings) {
        return render(doc, settings, true);
    }

    /** {@code doc} (another page, such as docs/identity/oauth2.md) with the tables of the sections it marks rewritten. */
    public static String renderMarked(String doc, List<Setting> settings) {
        return render(doc, settings, false);
    }

    private static String render(String doc, List<Setting> settings, boolean everySection) {
        Set<SettingsSection> seen = EnumSet.noneOf(SettingsSection.class);
        StringBuilder out = new StringBuilder();
        Matcher m = OPEN.matcher(doc);
        int from = 0;
        while (m.find(from)) {
            SettingsSection section = section(m.group(1));
            if (!seen.add(section)) {
                throw new IllegalStateException("the markers of section " + section.id() + " appear twice");
            }
            String close = "<!-- /settings:" + section.id() + " -->";
            int end = doc.indexOf(close, m.end());
            if (end < 0) {
                throw new IllegalStateException("section " + section.id() + " has no closing marker " + close);
            }
            out.append(doc, from, m.end()).append('\n').append(table(settings, section));
            out.append(close);
            from = end + close.length();
        }
        out.append(doc.substring(from));
        for (Setting s : everySection ? settings : List.<Setting>of()) {
            if (!seen.contains(s.section())) {
                throw new IllegalStateException("the document has no markers for section " + s.section().id()
                        + " (where " + s.name() + " belongs): add <!-- settings:" + s.section().id() + " --> and <!-- /settings:"
                        + s.section().id() + " -->");
            }
        }
        return out.toString();
    }

    /** One section's Markdown table, ending with a newline. */
    static String table(List<Setting> settings, SettingsSection section) {
        StringBuilder t = new StringBuilder("| variable | default | meaning | module |\n|---|---|---|---|\n");
        for (Setting s : settings) {
            if (s.section() == section) {
                t.append("| `").append(s.name()).append("` | ").append(s.defaultValue()).append(" | ").append(s.meaning())
                        .append(" | ").append(s.module()).append(" |\n");
            }
        }
        return t.toString();
    }

    private static SettingsSection section(String id) {
        for (SettingsSection s : SettingsSection.values()) {
            if (s.id().equals(id)) {
                return s;
            }
        }
        throw new IllegalStateException("unknown settings section in a marker: " + id);
    }

    /**
     * Rewrites in place the reference named by the first argument (default {@code docs/CONFIGURATION.md}), which must
     * mark every section, and the marked tables of the further files named.
     */
    public static void main(String[] args) throws IOException {
        List<String> files = args.length > 0 ? List.of(args) : List.of("docs/CONFIGURATION.md");
        List<Setting> settings = SettingsRegistry.all();
        for (int i = 0; i < files.size(); i++) {
            Path file = Path.of(files.get(i));
            String before = Files.readString(file, StandardCharsets.UTF_8);
            String after = render(before, settings, i == 0);
            if (!after.equals(before)) {
                Files.writeString(file, after, StandardCharsets.UTF_8);
            }
            System.out.println(file + ": " + (after.equals(before) ? "already up to date" : "rewritten"));
        }
    }
}
