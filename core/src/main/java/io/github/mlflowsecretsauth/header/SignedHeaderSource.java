package io.github.mlflowsecretsauth.header;

import io.github.mlflowsecretsauth.allowlist.HostAllowlist;
import io.github.mlflowsecretsauth.spi.RequestBody;
import io.github.mlflowsecretsauth.spi.RequestSigner;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * A signature made for each request ({@code MLFLOW_TRACKING_AWS_SIGV4=true}); it replaces the secret header on the
 * same request, as MLflow does. Only hosts on the allowlist get one.
 */
public final class SignedHeaderSource implements HeaderSource {
    private final RequestSigner signer;
    private final HostAllowlist allowlist;

    public SignedHeaderSource(RequestSigner signer, HostAllowlist allowlist) {
        this.signer = signer;
        this.allowlist = allowlist;
    }

    @Override
    public boolean signsEachRequest() {
        return true;
    }

    @Override
    public Map<String, String> headersFor(String method, URI uri, String host, RequestBody body) {
        if (!allowlist.allows(uri)) {
            return Map.of();
        }
        return signer.sign(method, uri, host, Objects.requireNonNull(body, "body"));
    }

    @Override
    public String label() {
        return "requests signed with AWS SigV4";
    }

    /** Non-secret facts of the signer: service, region, credential source. */
    public Map<String, String> describe() {
        return signer.describe();
    }

    @Override
    public String toString() {
        return "SignedHeaderSource{" + signer + "}";
    }
}
