package io.github.mlflowsecretsauth.proxy.tls;

import io.github.mlflowsecretsauth.config.ConfigKeys;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.internal.ClientIdentity;
import io.github.mlflowsecretsauth.internal.OfferingKeyManager;
import io.github.mlflowsecretsauth.internal.TlsContexts;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;

/**
 * TLS towards the MLflow server, from the {@code MLFLOW_TRACKING_*} settings: the client certificate
 * for mutual TLS, the CA bundle to trust (else the JDK's default CAs), or, only when asked for,
 * no verification at all. Everything is loaded and checked by {@link #from}, so a bad file fails the
 * start, not the first request. Immutable and thread-safe.
 *
 * <p>Trust comes from configuration only: nothing here touches the JVM's global defaults.
 */
public final class UpstreamTls {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamTls.class);

    private final TlsSettings settings;
    private final Optional<ClientIdentity> identity;
    private final SSLContext context; // null for an http upstream
    private final OfferingKeyManager keyManager;

    private UpstreamTls(TlsSettings settings, Optional<ClientIdentity> identity, SSLContext context, OfferingKeyManager keyManager) {
        this.settings = settings;
        this.identity = identity;
        this.context = context;
        this.keyManager = keyManager;
    }

    /**
     * Reads the settings, loads and checks every file, and warns (every time) when verification is
     * off. Throws a one-line {@link io.github.mlflowsecretsauth.error.ConfigurationException} naming
     * the variable at fault.
     */
    public static UpstreamTls from(Settings s, URI upstream, Clock clock) {
        TlsSettings settings = TlsSettings.from(s);
        Optional<ClientIdentity> identity = settings.identity(clock);
        KeyStore trust = settings.caBundle().map(p -> TrustBundle.load(p, settings.caVariable(), clock.instant())).orElse(null);
        boolean https = "https".equals(upstream.getScheme().toLowerCase(Locale.ROOT));
        if (settings.insecure()) {
            LOG.warn("{}=true: the MLflow server's certificate and host name are NOT verified for {}; anyone on the network "
                    + "path can read and change this traffic, credentials included. Development only: set {} instead",
                    ConfigKeys.TRACKING_INSECURE_TLS, upstream.getRawAuthority(), ConfigKeys.TRACKING_CA_BUNDLE_PATH);
        }
        if (!https && settings.isSet()) {
            LOG.warn("the TLS settings ({}...) have no effect: the MLflow upstream {} is http, not https", "MLFLOW_TRACKING_*",
                    upstream.getRawAuthority());
        }
        if (!https) {
            return new UpstreamTls(settings, identity, null, null); // no TLS context: see newSslContextFactory
        }
        try {
            OfferingKeyManager km = null;
            if (identity.isPresent()) {
                km = identity.get().keyManager();
                LOG.info("mutual TLS towards {}: client certificate {} (issued by {}, valid until {})", upstream.getRawAuthority(),
                        identity.get().subject(), identity.get().issuer(), identity.get().notAfter());
            }
            TrustManager[] tms;
            if (settings.insecure()) {
                tms = new TrustManager[] {TlsContexts.trustEverything()};
            } else {
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust); // null: the JDK's default CAs
                tms = tmf.getTrustManagers();
            }
            return new UpstreamTls(settings, identity, TlsContexts.context(km, tms), km);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK could not build a TLS context", e);
        }
    }

    /**
     * A Jetty client TLS factory over this context; host names are verified unless insecure. For an http upstream,
     * one that loads nothing and makes no TLS connection ({@link PlainHttpOnly}).
     */
    public SslContextFactory.Client newSslContextFactory() {
        if (context == null) {
            return new PlainHttpOnly();
        }
        SslContextFactory.Client factory = new SslContextFactory.Client();
        factory.setSslContext(context);
        if (settings.insecure()) {
            factory.setEndpointIdentificationAlgorithm(null);
        }
        return factory;
    }

    public Optional<ClientIdentity> identity() {
        return identity;
    }

    public TlsSettings settings() {
        return settings;
    }

    /** The CAs the server asked client certificates from, when ours was not issued by one of them. */
    public Optional<String> serverAcceptedIssuers() {
        return keyManager == null ? Optional.empty() : keyManager.serverAcceptedIssuers();
    }

    @Override
    public String toString() {
        return "UpstreamTls{" + identity.map(ClientIdentity::toString).orElse("no client certificate") + ", trust="
                + (settings.insecure() ? "NONE (insecure)" : settings.caBundle().map(p -> settings.caVariable()).orElse("JDK default"))
                + "}";
    }
}
