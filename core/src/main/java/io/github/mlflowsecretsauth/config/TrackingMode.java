package io.github.mlflowsecretsauth.config;

import io.github.mlflowsecretsauth.internal.ConfigValues;

import java.util.Locale;

/**
 * How runs reach MLflow: {@code normal}; {@code optional} ({@value ConfigKeys#OPTIONAL}=true: an in-memory tracking
 * store when MLflow or its credentials are unavailable at start-up, configuration mistakes still fail); {@code mock}
 * ({@value ConfigKeys#MOCK}=true: always that store, connecting to nothing). The one reader of those two settings.
 */
public enum TrackingMode {
    NORMAL, OPTIONAL, MOCK;

    public static TrackingMode of(Settings s) {
        if (ConfigValues.bool(s, ConfigKeys.MOCK, false)) {
            return MOCK;
        }
        return ConfigValues.bool(s, ConfigKeys.OPTIONAL, false) ? OPTIONAL : NORMAL;
    }

    /** {@code normal}, {@code optional} or {@code mock}, as reports show it. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
