package io.github.mlflowsecretsauth.cli;

import picocli.CommandLine;

/** The version from the jar manifest, or {@code dev} when run from classes. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    public static String version() {
        String v = VersionProvider.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"mlflow-secrets-auth " + version(), "Java " + System.getProperty("java.version")};
    }
}
