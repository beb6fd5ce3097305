package io.github.mlflowsecretsauth.testkit.gcp;

/** The states of a Secret Manager secret version; only {@link #ENABLED} versions can be accessed. */
public enum VersionState {
    ENABLED, DISABLED, DESTROYED
}
