package io.github.mlflowsecretsauth.testkit.nginx;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes htpasswd lines with hashes made by {@code openssl passwd -apr1} (run as a process; the
 * password goes through its stdin, never its command line). nginx's {@code auth_basic} checks
 * {@code $apr1$} hashes itself.
 */
final class Htpasswd {

    private static final Pattern APR1 = Pattern.compile("\\$apr1\\$[./0-9A-Za-z]{1,8}\\$[./0-9A-Za-z]{22}");
    private static final long OPENSSL_TIMEOUT_SECONDS = 30;

    private Htpasswd() {
    }

    /** The file's content: one {@code user:hash} line per user. */
    static String render(Map<String, String> users) {
        Path openssl = Executables.find("openssl").orElseThrow(() -> new IllegalStateException(
                "openssl is not installed (needed for Basic auth hashes): apt-get install openssl"));
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> user : users.entrySet()) {
            Executables.Result result = Executables.run(
                    List.of(openssl.toString(), "passwd", "-apr1", "-stdin"),
                    user.getValue() + "\n", OPENSSL_TIMEOUT_SECONDS);
            String hash = result.output().strip();
            if (result.exitCode() != 0 || !APR1.matcher(hash).matches()) {
                throw new IllegalStateException("openssl passwd -apr1 failed (exit " + result.exitCode()
                        + ") for Basic user " + user.getKey());
            }
            out.append(user.getKey()).append(':').append(hash).append('\n');
        }
        return out.toString();
    }
}
