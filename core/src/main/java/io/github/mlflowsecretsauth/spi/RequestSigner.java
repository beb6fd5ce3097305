package io.github.mlflowsecretsauth.spi;

import java.net.URI;
import java.util.Map;

/**
 * Signs an outgoing MLflow request (AWS SigV4 with {@code MLFLOW_TRACKING_AWS_SIGV4=true}). The signature
 * replaces the secret-derived header on the same request, as MLflow does. Thread-safe.
 */
public interface RequestSigner {

    /**
     * The headers to add to the request: {@code Authorization}, {@code X-Amz-Date} and, with temporary
     * credentials, {@code X-Amz-Security-Token}.
     *
     * @param method        the HTTP method
     * @param uri           the full upstream URI, path and query as they will be sent
     * @param host the {@code Host} header as it will be sent
     * @param body the body as it will be sent ({@link RequestBody#EMPTY} for none); the signature covers its hash
     */
    Map<String, String> sign(String method, URI uri, String host, RequestBody body);

    /** Non-secret facts for reports: service, region, credential source. */
    default Map<String, String> describe() {
        return Map.of();
    }
}
