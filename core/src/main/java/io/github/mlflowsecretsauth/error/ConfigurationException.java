package io.github.mlflowsecretsauth.error;

/** A setting is missing or invalid. The message names the variable and says what is expected. */
public class ConfigurationException extends SecretsAuthException {
    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
