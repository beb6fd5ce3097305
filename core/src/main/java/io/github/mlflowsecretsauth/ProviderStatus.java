package io.github.mlflowsecretsauth;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the engine knows about one provider, for {@code info} and {@code doctor}. Holds no secret.
 *
 * @param name      e.g. {@code vault}
 * @param priority  lower is tried first
 * @param installed whether its module is on the class path
 * @param module    the Maven artifact that provides it
 * @param enabled   whether {@code MLFLOW_SECRETS_AUTH_ENABLE} or its toggle switches it on
 * @param missing   required settings that are not set
 * @param active    whether it is part of the chain the engine fetches from
 * @param authMode  its auth mode id, when active
 * @param ttl       its cache TTL, when active
 * @param details   non-secret facts from the provider (address, secret location, auth method)
 */
public record ProviderStatus(String name, int priority, boolean installed, String module, boolean enabled,
                             List<String> missing, boolean active, Optional<String> authMode, Optional<Duration> ttl,
                             Map<String, String> details) {

    public boolean configured() {
        return installed && missing.isEmpty();
    }
}
