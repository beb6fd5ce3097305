package io.github.mlflowsecretsauth.header;

import io.github.mlflowsecretsauth.redact.Redactor;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The headers computed from one fetched secret, with where and when it came from. Built once per
 * refresh and then only read: putting it on a request is a map lookup. Immutable and thread-safe;
 * {@link #toString()} masks the value.
 *
 * @param headerName  the header that carries the credential
 * @param headerValue the full value, scheme included ({@code Bearer ...})
 * @param headers     an immutable map: {@code headerName -> headerValue}, then the provider's non-secret extra
 *                    headers (e.g. {@code X-MLFLOW-WORKSPACE}); every header to put on a request
 * @param mode        how the value was rendered
 * @param provider    the provider that supplied the secret
 * @param location    where the secret lives (no value), e.g. {@code vault:secret/mlflow/auth}
 * @param version     the secret's version at the backend, if it reports one
 * @param fetchedAt   when the secret was fetched
 * @param expiresAt   when the credential itself expires, for a minted token; empty for a stored secret
 */
public record HeaderSnapshot(String headerName, String headerValue, Map<String, String> headers, AuthMode mode,
                             String provider, String location, Optional<String> version, Instant fetchedAt,
                             Optional<Instant> expiresAt) {

    public static HeaderSnapshot of(String headerName, String headerValue, AuthMode mode, String provider,
                                    String location, Optional<String> version, Instant fetchedAt) {
        return of(headerName, headerValue, Map.of(), mode, provider, location, version, fetchedAt, Optional.empty());
    }

    /** With the provider's extra headers (never the credential header again) and the credential's own expiry. */
    public static HeaderSnapshot of(String headerName, String headerValue, Map<String, String> extraHeaders,
                                    AuthMode mode, String provider, String location, Optional<String> version,
                                    Instant fetchedAt, Optional<Instant> expiresAt) {
        Map<String, String> headers;
        if (extraHeaders.isEmpty()) {
            headers = Map.of(headerName, headerValue);
        } else {
            LinkedHashMap<String, String> all = new LinkedHashMap<>();
            all.put(headerName, headerValue);
            extraHeaders.forEach(all::putIfAbsent);
            headers = Collections.unmodifiableMap(all);
        }
        return new HeaderSnapshot(headerName, headerValue, headers, mode, provider, location, version, fetchedAt,
                expiresAt);
    }

    /** The value as it may be shown: {@code Bearer eyJh********cCI6}. */
    public String maskedValue() {
        return Redactor.maskHeaderValue(headerValue);
    }

    @Override
    public String toString() {
        return "HeaderSnapshot{" + headerName + ": " + maskedValue() + ", mode=" + mode.id() + ", provider=" + provider
                + ", location=" + location + version.map(v -> ", version=" + v).orElse("") + ", fetchedAt=" + fetchedAt
                + expiresAt.map(t -> ", expiresAt=" + t).orElse("") + "}";
    }
}
