package io.github.mlflowsecretsauth.proxy.tls;

import io.github.mlflowsecretsauth.internal.ClientIdentity;
import io.github.mlflowsecretsauth.internal.Causes;
import io.github.mlflowsecretsauth.config.ConfigKeys;
import io.github.mlflowsecretsauth.redact.Redactor;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * Turns a failed connection to the MLflow server into one line a user can act on: which host and
 * port, whether DNS, the connection or the TLS handshake failed, and which setting to check. Also
 * reads nginx's two mutual-TLS rejections (HTTP 400 pages). Messages carry no secret. Thread-safe.
 */
public final class UpstreamFailures {
    /** nginx's page text when a client certificate is required and none came. */
    public static final String NGINX_NO_CERTIFICATE = "No required SSL certificate was sent";
    /** nginx's page text when the client certificate did not verify (another CA, expired, revoked). */
    public static final String NGINX_BAD_CERTIFICATE = "The SSL certificate error";

    private final String authority;
    private final UpstreamTls tls;
    private final Clock clock;

    public UpstreamFailures(String authority, UpstreamTls tls, Clock clock) {
        this.authority = authority;
        this.tls = tls;
        this.clock = clock;
    }

    /** The reason a request to the upstream failed before any response, as one line. */
    /**
     * Whether the TLS handshake failed (untrusted certificate, no TLS on that port, client certificate refused):
     * sending the request again meets the same answer, and a retry could only blur the reason.
     */
    public static boolean isTlsHandshake(Throwable failure) {
        return Causes.any(failure, SSLException.class);
    }

    public String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return "DNS lookup of " + host() + " failed: check the host name in " + ConfigKeys.TRACKING_URI;
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return "cannot connect to " + authority + " (" + detail(t, "connection refused")
                        + "): is the MLflow server running, and is the port right?";
            }
            if (t instanceof SSLHandshakeException || t instanceof SSLException) {
                return handshake(t);
            }
            if (t instanceof TimeoutException || t instanceof SocketTimeoutException) {
                return "the MLflow server at " + authority + " did not answer in time (" + t.getClass().getSimpleName() + ")";
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            // Jetty's messages for these dump connection internals: say what happened instead.
            if (t instanceof java.io.EOFException || t instanceof java.nio.channels.ClosedChannelException) {
                return "the MLflow server at " + authority + " closed the connection without answering";
            }
            if (t instanceof java.net.SocketException && String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("reset")) {
                return "the MLflow server at " + authority + " reset the connection without answering";
            }
        }
        return "the request to " + authority + " failed (" + failure.getClass().getSimpleName() + ": " + detail(failure, "no detail") + ")";
    }

    private String handshake(Throwable t) {
        String all = chainText(t).toLowerCase(Locale.ROOT);
        String prefix = "TLS handshake with " + authority + " failed: ";
        String ca = tls.settings().caBundle().isPresent() ? tls.settings().caVariable() : ConfigKeys.TRACKING_CA_BUNDLE_PATH;
        if (all.contains("unrecognized ssl message") || all.contains("plaintext connection")) {
            return prefix + "the server does not speak TLS there: use http:// in the tracking URI, or the server's TLS port";
        }
        if (all.contains("pkix path") || all.contains("certification path") || all.contains("certpathvalidator")) {
            return prefix + "the server's certificate is not trusted (" + detail(rootCause(t), "untrusted") + "): set " + ca
                    + " to the CA that issued it" + (tls.settings().caBundle().isPresent() ? " (the bundle set does not include it)" : "");
        }
        if (all.contains("no subject alternative") || all.contains("no name matching")) {
            return prefix + "the server's certificate is not issued for " + host() + " (" + detail(rootCause(t), "name mismatch")
                    + "): use the host name the certificate names in " + ConfigKeys.TRACKING_URI;
        }
        if (all.contains("certificate_required") || (all.contains("bad_certificate") && tls.identity().isEmpty())
                || (all.contains("handshake_failure") && tls.identity().isEmpty())) {
            return prefix + "the server requires a client certificate (mutual TLS) and none is configured: " + setClientCert();
        }
        if (all.contains("bad_certificate") || all.contains("unknown_ca") || all.contains("certificate_expired")
                || all.contains("certificate_revoked") || all.contains("certificate_unknown") || all.contains("access_denied")) {
            return prefix + "the server rejected the client certificate (" + alert(all) + "): " + rejectionHint();
        }
        return prefix + detail(rootCause(t), t.getClass().getSimpleName()) + ": check " + ca + " and the client certificate ("
                + ConfigKeys.TRACKING_CLIENT_CERT_PATH + ")";
    }

    /** An MLflow-style error: {@code CLIENT_CERTIFICATE_REQUIRED} or {@code CLIENT_CERTIFICATE_REJECTED}, and the message. */
    public record Rejection(String errorCode, String message) {
    }

    /** A clear message for an nginx 400 page about client certificates, if {@code body} is one. */
    public Optional<Rejection> nginxCertificateRejection(String body) {
        if (body.contains(NGINX_NO_CERTIFICATE)) {
            return Optional.of(tls.identity().isEmpty()
                    ? new Rejection("CLIENT_CERTIFICATE_REQUIRED", "the MLflow server at " + authority
                            + " requires a client certificate (mutual TLS) and none is configured: " + setClientCert())
                    : new Rejection("CLIENT_CERTIFICATE_REJECTED", "the MLflow server at " + authority
                            + " received no client certificate it could use: " + rejectionHint()));
        }
        if (body.contains(NGINX_BAD_CERTIFICATE)) {
            return Optional.of(new Rejection("CLIENT_CERTIFICATE_REJECTED", "the MLflow server at " + authority
                    + " rejected the client certificate: " + rejectionHint()));
        }
        return Optional.empty();
    }

    private String rejectionHint() {
        if (tls.identity().isEmpty()) {
            return setClientCert();
        }
        ClientIdentity id = tls.identity().get();
        StringBuilder sb = new StringBuilder("the certificate in ").append(ConfigKeys.TRACKING_CLIENT_CERT_PATH)
                .append(" (subject ").append(id.subject()).append(", issued by ").append(id.issuer()).append(")");
        if (clock.instant().isAfter(id.notAfter())) {
            sb.append(" expired on ").append(id.notAfter()).append(": renew it");
        } else {
            sb.append(" is not accepted: it must be issued by a CA the server trusts, unexpired and unrevoked");
            tls.serverAcceptedIssuers().ifPresent(i -> sb.append(" (the server accepts certificates issued by: ").append(i).append(")"));
        }
        return sb.toString();
    }

    private static String setClientCert() {
        return "set " + ConfigKeys.TRACKING_CLIENT_CERT_PATH + " and " + ConfigKeys.TRACKING_CLIENT_KEY_PATH
                + " (or a PKCS#12 bundle in " + ConfigKeys.TRACKING_CLIENT_CERT_PATH + ")";
    }

    private static String alert(String all) {
        for (String a : new String[] {"certificate_expired", "certificate_revoked", "unknown_ca", "bad_certificate",
                "certificate_unknown", "access_denied"}) {
            if (all.contains(a)) {
                return "TLS alert " + a;
            }
        }
        return "TLS alert";
    }

    private String host() {
        int colon = authority.lastIndexOf(':');
        return colon > 0 && !authority.endsWith("]") ? authority.substring(0, colon) : authority;
    }

    private static Throwable rootCause(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r;
    }

    private static String chainText(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getClass().getName()).append(": ").append(c.getMessage()).append(" | ");
        }
        return sb.toString();
    }

    private static String detail(Throwable t, String fallback) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? fallback : Redactor.oneLine(m, 200);
    }
}
