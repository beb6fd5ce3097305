package io.github.mlflowsecretsauth.header;

import io.github.mlflowsecretsauth.redact.Redactor;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The headers computed from one fetched secret, with where and when it came from. Built once per
 * refresh and then only read: putting it on a request is a map lookup. Immutable and thread-safe;
 * {@link #toString()} masks the value.
 *
 * @param headerName  the header that carries the credential
 * @param headerValue the full value, scheme included ({@code Bearer ...})
 * @param headers     a one-entry immutable map {@code headerName -> headerValue}
 * @param mode        how the value was rendered
 * @param provider    the provider that supplied the secret
 * @param location    where the secret lives (no value), e.g. {@code vault:secret/mlflow/auth}
 * @param version     the secret's version at the backend, if it reports one
 * @param fetchedAt   when the secret was fetched
 */
public record HeaderSnapshot(String headerName, String headerValue, Map<String, String> headers, AuthMode mode,
                             String provider, String location, Optional<String> version, Instant fetchedAt) {

    public static HeaderSnapshot of(String headerName, String headerValue, AuthMode mode, String provider,
                                    String location, Optional<String> version, Instant fetchedAt) {
        return new HeaderSnapshot(headerName, headerValue, Map.of(headerName, headerValue), mode, provider,
                location, version, fetchedAt);
    }

    /** The value as it may be shown: {@code Bearer eyJh********cCI6}. */
    public String maskedValue() {
        return Redactor.maskHeaderValue(headerValue);
    }

    @Override
    public String toString() {
        return "HeaderSnapshot{" + headerName + ": " + maskedValue() + ", mode=" + mode.id() + ", provider=" + provider
                + ", location=" + location + version.map(v -> ", version=" + v).orElse("") + ", fetchedAt=" + fetchedAt + "}";
    }
}
