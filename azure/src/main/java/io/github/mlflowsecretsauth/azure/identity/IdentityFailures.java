package io.github.mlflowsecretsauth.azure.identity;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells a failed token acquisition (azure-identity or MSAL) apart from other failures, and finds Entra ID's
 * {@code AADSTS} error code in it, for the one-line errors of every provider that asks Entra ID for a token.
 * Stateless.
 */
public final class IdentityFailures {
    private static final Pattern AADSTS = Pattern.compile("AADSTS\\d{4,7}");

    private IdentityFailures() {
    }

    /** Whether the exception comes from azure-identity or MSAL (by package), i.e. the token acquisition. */
    public static boolean isIdentityFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String n = t.getClass().getName();
            if (n.startsWith("com.azure.identity.") || n.startsWith("com.microsoft.aad.msal4j.")) {
                return true;
            }
            StackTraceElement[] st = t.getStackTrace();
            if (st.length > 0 && st[0].getClassName().startsWith("com.azure.identity.")) {
                return true;
            }
        }
        return false;
    }

    public static Optional<String> aadsts(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                Matcher m = AADSTS.matcher(t.getMessage());
                if (m.find()) {
                    return Optional.of(m.group());
                }
            }
        }
        return Optional.empty();
    }
}
