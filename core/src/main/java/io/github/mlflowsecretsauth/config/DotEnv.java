package io.github.mlflowsecretsauth.config;

import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.internal.BoundedFiles;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a {@code .env} file: {@code KEY=VALUE} lines, an optional {@code export } prefix, {@code #}
 * comments, single-quoted (literal) and double-quoted (with {@code \n}, {@code \"}, {@code \\}
 * escapes) values. Errors name the file and line, never the value. Stateless.
 */
public final class DotEnv {
    /** A .env of settings is a few KiB; 1 MiB leaves room for PEMs pasted into values. */
    static final int MAX_BYTES = 1024 * 1024;
    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");

    private DotEnv() {
    }

    /** The file's entries, or an empty map if there is no such file. */
    public static Map<String, String> load(Path file) {
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        String text;
        byte[] bytes = BoundedFiles.read(file, MAX_BYTES, file.toString());
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigurationException(file + " is not valid UTF-8: save it as UTF-8 text");
        }
        return parse(text, file.toString());
    }

    /** Parses {@code .env} text; {@code origin} names it in error messages. */
    public static Map<String, String> parse(String text, String origin) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1); // a byte-order mark some editors write
        }
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).strip();
            }
            int eq = line.indexOf('=');
            String where = origin + " line " + (i + 1);
            if (eq <= 0) {
                throw new ConfigurationException(where + ": expected KEY=VALUE");
            }
            String key = line.substring(0, eq).strip();
            if (!KEY.matcher(key).matches()) {
                // Not echoed: a line with a typo may hold a secret before its first '='.
                throw new ConfigurationException(where + ": the text before '=' is not a valid variable name (letters, digits, _)");
            }
            out.put(key, value(line.substring(eq + 1).strip(), where, key));
        }
        return Collections.unmodifiableMap(out);
    }

    private static String value(String raw, String where, String key) {
        if (raw.isEmpty()) {
            return "";
        }
        char q = raw.charAt(0);
        if (q == '\'' || q == '"') {
            int end = closingQuote(raw, q);
            if (end < 0) {
                throw new ConfigurationException(where + ": the value of " + key + " has no closing " + q);
            }
            String rest = raw.substring(end + 1).strip();
            if (!rest.isEmpty() && !rest.startsWith("#")) {
                throw new ConfigurationException(where + ": unexpected text after the quoted value of " + key);
            }
            String inner = raw.substring(1, end);
            return q == '"' ? unescape(inner) : inner;
        }
        int hash = raw.indexOf(" #");
        return (hash >= 0 ? raw.substring(0, hash) : raw).strip();
    }

    private static int closingQuote(String raw, char q) {
        for (int i = 1; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (q == '"' && c == '\\') {
                i++;
            } else if (c == q) {
                return i;
            }
        }
        return -1;
    }

    private static String unescape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                switch (n) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    default -> sb.append(n);
                }
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
