package io.github.mlflowsecretsauth.cli;

import io.github.mlflowsecretsauth.internal.ProviderCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --help} of every command: whole sentences in the command lists, no internal words, no line wider than an
 * 80-column terminal, and a top-level description that names every provider.
 */
class HelpTextTest {
    private static final Pattern INTERNAL_WORDS = Pattern.compile("(?i)\\b(seeds?|issues?)\\b");

    @TempDir
    Path workDir;

    /** Every command path below the root, e.g. [info], [artifacts, upload]. */
    private List<List<String>> commands() {
        CliContext ctx = new CliContext(Map.of(), new Properties(), workDir, new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()));
        List<List<String>> out = new ArrayList<>();
        collect(new CommandLine(new RootCommand(ctx)), new ArrayList<>(), out);
        return out;
    }

    private static void collect(CommandLine cl, List<String> path, List<List<String>> out) {
        for (Map.Entry<String, CommandLine> sub : cl.getSubcommands().entrySet()) {
            List<String> p = new ArrayList<>(path);
            p.add(sub.getKey());
            out.add(p);
            collect(sub.getValue(), p, out);
        }
    }

    private String help(List<String> command) {
        List<String> args = new ArrayList<>(command);
        args.add("--help");
        CliRunner.Result r = CliRunner.run(Map.of(), workDir, args.toArray(String[]::new));
        assertThat(r.exit()).as(String.join(" ", args)).isZero();
        return r.out();
    }

    /** The entries of the help's command list, each with its continuation lines joined. */
    static List<String> commandListEntries(String help) {
        List<String> entries = new ArrayList<>();
        boolean inList = false;
        for (String line : help.lines().toList()) {
            if (line.equals("Commands:")) {
                inList = true;
            } else if (inList && line.startsWith("  ") && !line.startsWith("   ")) {
                entries.add(line.strip());
            } else if (inList && line.startsWith("   ") && !entries.isEmpty()) {
                entries.set(entries.size() - 1, entries.get(entries.size() - 1) + " " + line.strip());
            } else if (inList) {
                inList = false;
            }
        }
        return entries;
    }

    @Test
    void everyCommandListEntryIsOneWholeSentence() {
        List<List<String>> parents = new ArrayList<>();
        parents.add(List.of());
        commands().stream().filter(c -> !commandListEntries(help(c)).isEmpty()).forEach(parents::add);
        assertThat(parents).as("the root, cache and artifacts list commands").hasSizeGreaterThanOrEqualTo(3);
        int entries = 0;
        for (List<String> parent : parents) {
            for (String entry : commandListEntries(help(parent))) {
                entries++;
                String description = entry.substring(entry.indexOf(' ')).strip();
                assertThat(description).as("'%s' in the command list of '%s'", entry, String.join(" ", parent))
                        .matches("[A-Z].*").endsWith(".")
                        .as("one sentence: the first line of the description is shown alone").doesNotContain(". ");
            }
        }
        assertThat(entries).isEqualTo(commands().size());
    }

    @Test
    void everyHelpAvoidsInternalWords_andFitsAnEightyColumnTerminal() {
        List<List<String>> all = new ArrayList<>(commands());
        all.add(List.of());
        for (List<String> command : all) {
            String help = help(command);
            assertThat(INTERNAL_WORDS.matcher(help).results().map(m -> m.group()).toList())
                    .as("internal words in '%s --help'", String.join(" ", command)).isEmpty();
            assertThat(help.lines()).as("'%s --help'", String.join(" ", command))
                    .allSatisfy(l -> assertThat(l).hasSizeLessThanOrEqualTo(80));
        }
    }

    /**
     * A line break inside a word reads as a broken sentence ("a ." then "env file", "e." then "g."): every word of a
     * description that holds a dot, slash or colon (".env", "e.g.", "docs/PROXY.md", a URL) appears whole in the help.
     */
    @Test
    void noWordIsSplitAcrossLines() {
        List<CommandLine> all = new ArrayList<>();
        CliContext ctx = new CliContext(Map.of(), new Properties(), workDir, new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()));
        CommandLine root = new CommandLine(new RootCommand(ctx));
        root.getCommandSpec().usageMessage().description(RootCommand.description(ProviderCatalog.discover().knownNames()));
        collectLines(root, all);
        int words = 0;
        List<String> split = new ArrayList<>();
        for (CommandLine cl : all) {
            List<String> texts = new ArrayList<>(List.of(cl.getCommandSpec().usageMessage().description()));
            cl.getCommandSpec().options().forEach(o -> texts.addAll(List.of(o.description())));
            cl.getCommandSpec().positionalParameters().forEach(p -> texts.addAll(List.of(p.description())));
            String help = cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
            for (String text : texts) {
                for (String word : text.split("\\s+")) {
                    if (word.matches(".*\\w[./:]\\w.*|\\.\\w.*")) {
                        words++;
                        if (!help.contains(word)) {
                            split.add("'" + word + "' in the help of '" + cl.getCommandName() + "'");
                        }
                    }
                }
            }
        }
        assertThat(words).as("words with a dot, slash or colon inside").isGreaterThan(10);
        assertThat(split).as("words split across lines: reword so the line breaks elsewhere").isEmpty();
    }

    private static void collectLines(CommandLine cl, List<CommandLine> out) {
        out.add(cl);
        cl.getSubcommands().values().forEach(sub -> collectLines(sub, out));
    }

    @Test
    void topLevelDescriptionNamesEveryProvider() {
        String help = help(List.of()).replaceAll("\\s+", " ");
        List<String> providers = ProviderCatalog.discover().knownNames();
        assertThat(providers).contains("vault", "aws-secrets-manager", "azure-key-vault", "gcp-secret-manager", "file", "env");
        for (String p : providers) {
            assertThat(help).contains(" " + p + " (");
        }
        assertThat(help).contains("HashiCorp Vault").contains("AWS Secrets Manager").contains("Azure Key Vault")
                .contains("Google Secret Manager");
        // Without a command, the same description is printed (it is set on the command line that runs).
        CliRunner.Result bare = CliRunner.run(Map.of(), workDir);
        assertThat(bare.out().replaceAll("\\s+", " ")).contains("Google Secret Manager");
    }

    @Test
    void commandListParsing_joinsContinuationLines() {
        String help = "Commands:\n  info   Show the\n           version.\n  doctor Check it.\n\nExit status: 0\n";
        assertThat(commandListEntries(help)).containsExactly("info   Show the version.", "doctor Check it.");
    }
}
