package io.github.mlflowsecretsauth.provider.vault;

import io.github.mlflowsecretsauth.error.AccessDeniedException;
import io.github.mlflowsecretsauth.internal.CredentialText;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a credential a login takes from a file (a service-account token, a JWT, a password, a secret id), capped
 * in size, with one trailing newline (or surrounding whitespace, for tokens) ignored. Re-read at each login, since
 * kubelets and CI systems rotate these files. Errors name the variable, the path and the login, never the content.
 * Stateless.
 */
final class LoginFiles {
    private static final int MAX_BYTES = 64 * 1024;

    private LoginFiles() {
    }

    /** A token-like value: surrounding whitespace stripped. */
    static String token(Path file, String variable, String label) {
        String text = read(file, variable, label).strip();
        if (text.isEmpty()) {
            throw new AccessDeniedException(variable + "=" + file + " is empty, for the " + label
                    + ": point it at the file that holds the credential");
        }
        return CredentialText.requireSetting(text, variable + " (" + file + ")");
    }

    /** A password: exactly one trailing newline ({@code \n} or {@code \r\n}) is dropped, nothing else. */
    static String password(Path file, String variable, String label) {
        String text = read(file, variable, label);
        if (text.endsWith("\r\n")) {
            text = text.substring(0, text.length() - 2);
        } else if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        return CredentialText.requireEncodedSetting(text, variable + " (" + file + ")");
    }

    private static String read(Path file, String variable, String label) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new AccessDeniedException(variable + "=" + file + " is larger than 64 KiB, for the " + label
                        + ": check the path");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new AccessDeniedException(variable + "=" + file + " does not exist, for the " + label
                    + ": mount the file there or point " + variable + " at it");
        } catch (IOException e) {
            throw new AccessDeniedException("cannot read " + variable + "=" + file + " (" + e.getClass().getSimpleName()
                    + "), for the " + label + ": check the file's permissions");
        }
    }
}
