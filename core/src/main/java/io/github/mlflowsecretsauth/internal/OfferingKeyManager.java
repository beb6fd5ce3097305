package io.github.mlflowsecretsauth.internal;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.security.auth.x500.X500Principal;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Offers the one configured client certificate whatever CAs the server names in its request, as
 * curl and Python's requests do: the JDK's own key manager would silently send none for a certificate
 * of another CA, and the server could then only say "no certificate". It remembers the CAs the
 * server named when they did not include ours, for the error message. Thread-safe.
 */
public final class OfferingKeyManager extends X509ExtendedKeyManager {
    private final X509ExtendedKeyManager delegate;
    private final X500Principal ourIssuer;
    private volatile String serverAcceptedIssuers;

    OfferingKeyManager(X509ExtendedKeyManager delegate, X509Certificate leaf) {
        this.delegate = delegate;
        this.ourIssuer = leaf.getIssuerX500Principal();
    }

    /** The CAs the server last asked for, when ours was not among them. */
    public Optional<String> serverAcceptedIssuers() {
        return Optional.ofNullable(serverAcceptedIssuers);
    }

    private void note(Principal[] issuers) {
        if (issuers != null && issuers.length > 0 && Arrays.stream(issuers).noneMatch(ourIssuer::equals)) {
            serverAcceptedIssuers = Arrays.stream(issuers).map(Principal::getName).distinct().limit(5)
                    .collect(Collectors.joining("; "));
        }
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        note(issuers);
        return delegate.chooseEngineClientAlias(keyType, null, engine);
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        note(issuers);
        return delegate.chooseClientAlias(keyType, null, socket);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return delegate.getClientAliases(keyType, null);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null; // a client identity only
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return delegate.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return delegate.getPrivateKey(alias);
    }
}
