package io.github.mlflowsecretsauth.error;

import java.util.List;

/** Every enabled and configured provider failed; the message lists each provider's reason. */
public class ProviderChainException extends SecretsAuthException {
    private static final long serialVersionUID = 1L;

    private final transient List<SecretsAuthException> failures;

    public ProviderChainException(List<SecretsAuthException> failures, List<String> providerNames) {
        super(message(failures, providerNames), failures.isEmpty() ? null : failures.get(0));
        this.failures = List.copyOf(failures);
    }

    private static String message(List<SecretsAuthException> failures, List<String> names) {
        StringBuilder sb = new StringBuilder("no provider could supply a credential: ");
        for (int i = 0; i < failures.size(); i++) {
            if (i > 0) {
                sb.append("; ");
            }
            sb.append(names.get(i)).append(": ").append(failures.get(i).getMessage());
        }
        return sb.toString();
    }

    @Override
    public boolean isTransient() {
        return failures.stream().anyMatch(SecretsAuthException::isTransient);
    }

    public List<SecretsAuthException> failures() {
        return failures;
    }
}
