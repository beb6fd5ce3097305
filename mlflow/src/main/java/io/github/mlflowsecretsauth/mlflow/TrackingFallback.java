package io.github.mlflowsecretsauth.mlflow;

import io.github.mlflowsecretsauth.config.ConfigKeys;
import io.github.mlflowsecretsauth.config.TrackingMode;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.error.SecretsAuthException;

import java.util.function.Function;

/**
 * The one rule of the optional and mock modes, for the library's {@code mlflowClient()} and for {@code exec}: in
 * {@code mock} mode the in-memory tracking store at once; in {@code optional} mode the real server, unless opening it
 * fails because the server or a credential is unavailable (a configuration mistake still fails); in {@code normal}
 * mode the real server, whatever happens.
 */
public final class TrackingFallback {
    private TrackingFallback() {
    }

    /** Opens the real target: starts what it needs and, in optional mode, probes the server; throws on failure. */
    @FunctionalInterface
    public interface Opener<T> {
        T open();
    }

    /**
     * @param real  opens the real server; it cleans up after itself when it throws
     * @param store opens the in-memory store, given the one-line reason to warn with
     */
    public static <T> T open(TrackingMode mode, Opener<T> real, Function<String, T> store) {
        if (mode == TrackingMode.MOCK) {
            return store.apply(ConfigKeys.MOCK + "=true");
        }
        if (mode == TrackingMode.NORMAL) {
            return real.open();
        }
        try {
            return real.open();
        } catch (ConfigurationException e) {
            throw e;
        } catch (SecretsAuthException e) {
            return store.apply(ConfigKeys.OPTIONAL + "=true and MLflow is unavailable (" + e.getMessage() + ")");
        }
    }
}
