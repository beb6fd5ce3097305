package io.github.mlflowsecretsauth.internal;

import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.redact.Redactor;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import javax.net.ssl.SSLException;

/**
 * The one-line message for a failed {@link DeadlineHttp} exchange, naming the backend and the setting to
 * check; the JDK's own text only where it cannot hold a credential (TLS alerts, the body cap). Stateless.
 */
final class HttpFailures {
    private HttpFailures() {
    }

    static BackendUnavailableException map(String backend, Exception e, String addressSetting, String caSetting) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new BackendUnavailableException("interrupted while talking to " + backend, e, false, null);
        }
        if (e instanceof HttpConnectTimeoutException) {
            return transientFailure("connecting to " + backend + " timed out: check " + addressSetting + " and the network", e);
        }
        if (unresolved(e)) {
            return transientFailure("cannot resolve the host of " + backend + ": check " + addressSetting + " and DNS", e);
        }
        if (e instanceof ConnectException) {
            return transientFailure("cannot connect to " + backend + " (connection refused): check " + addressSetting
                    + " and that the server is running", e);
        }
        if (e instanceof HttpTimeoutException) {
            return transientFailure(e.getMessage(), e); // DeadlineHttp's own line: the backend, the deadline, the setting
        }
        if (e instanceof SSLException) {
            return new BackendUnavailableException("TLS with " + backend + " failed (" + Redactor.oneLine(String.valueOf(e.getMessage()), 120)
                    + "): set " + caSetting + " to the CA that signed its certificate", e, false, null);
        }
        String own = e.getMessage() != null && e.getMessage().startsWith(backend) ? e.getMessage() : null;
        return transientFailure(own != null ? own : "talking to " + backend + " failed (" + e.getClass().getSimpleName() + ")", e);
    }

    private static boolean unresolved(Throwable e) {
        return Causes.any(e, UnresolvedAddressException.class, UnknownHostException.class);
    }

    private static BackendUnavailableException transientFailure(String message, Exception cause) {
        return new BackendUnavailableException(message, cause, true, null);
    }
}
