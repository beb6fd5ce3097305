package io.github.mlflowsecretsauth.mlflow.artifacts;

import io.github.mlflowsecretsauth.artifact.ArtifactRepository;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.spi.ArtifactRepositoryFactory;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * Opens the {@link ArtifactRepository} for an artifact root, as MLflow's {@code get_artifact_repository} picks one by
 * scheme:
 * <ul>
 *   <li>{@code mlflow-artifacts:/P}, {@code mlflow-artifacts://host:port/P} and
 *       {@code http(s)://host:port/.../api/2.0/mlflow-artifacts/artifacts/P}: {@link MlflowArtifactsRepository} through
 *       {@code server} (the embedded proxy). A root naming another host than the tracking server is refused: the
 *       credential goes only to the tracking server, through its proxy;</li>
 *   <li>{@code file:} and plain paths: {@link LocalArtifactRepository};</li>
 *   <li>any other scheme ({@code s3}, ...): the {@link ArtifactRepositoryFactory} registered for it with
 *       {@link ServiceLoader}, or a one-line error naming the scheme and the module to add.</li>
 * </ul>
 * Thread-safe: immutable.
 */
public final class ArtifactStores {
    private static final Map<String, String> MODULES = Map.of("s3", "mlflow-secrets-auth-aws");

    private final URI trackingUri;
    private final ApiServer server;
    private final Settings settings;
    private final ArtifactSettings artifactSettings;
    private final List<ArtifactRepositoryFactory> factories;

    /**
     * @param trackingUri the real tracking server (to recognise its own {@code mlflow-artifacts://host} roots)
     * @param server      where MLflow calls go: the embedded proxy's URI, or the server itself when it needs no credential
     * @param factories   the store factories for other schemes
     */
    public ArtifactStores(URI trackingUri, URI server, Settings settings, Iterable<ArtifactRepositoryFactory> factories) {
        this(trackingUri, server, null, settings, factories);
    }

    /**
     * Like {@link #ArtifactStores(URI, URI, Settings, Iterable)}, for a {@code server} (the embedded proxy) that
     * requires {@code serverAuthorization} (its client token, as an {@code Authorization} value) on every call.
     */
    public ArtifactStores(URI trackingUri, URI server, String serverAuthorization, Settings settings,
                          Iterable<ArtifactRepositoryFactory> factories) {
        this.trackingUri = Objects.requireNonNull(trackingUri);
        this.server = new ApiServer(server, serverAuthorization);
        this.settings = Objects.requireNonNull(settings);
        this.artifactSettings = ArtifactSettings.from(settings);
        List<ArtifactRepositoryFactory> list = new ArrayList<>();
        factories.forEach(list::add);
        this.factories = List.copyOf(list);
    }

    /** With the factories found by {@link ServiceLoader} on this class's class loader. */
    public static ArtifactStores create(URI trackingUri, URI server, Settings settings) {
        return create(trackingUri, server, null, settings);
    }

    /** With the factories found by {@link ServiceLoader}, for a server that requires {@code serverAuthorization}. */
    public static ArtifactStores create(URI trackingUri, URI server, String serverAuthorization, Settings settings) {
        return new ArtifactStores(trackingUri, server, serverAuthorization, settings,
                ServiceLoader.load(ArtifactRepositoryFactory.class, ArtifactStores.class.getClassLoader()));
    }

    /** The artifact settings read from the configuration. */
    public ArtifactSettings artifactSettings() {
        return artifactSettings;
    }

    /** Where MLflow API calls go. */
    public URI server() {
        return server.uri();
    }

    ApiServer apiServer() {
        return server;
    }

    /** The repository for {@code root}; throws {@link ConfigurationException} for a root no store handles. */
    public ArtifactRepository open(URI root) {
        String scheme = root.getScheme() == null ? "" : root.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals(MlflowArtifactsRoot.SCHEME) || MlflowArtifactsRoot.isHttpArtifactsRoot(root)) {
            MlflowArtifactsRoot.authority(root).ifPresent(authority -> {
                if (!authority.equalsIgnoreCase(trackingUri.getRawAuthority())) {
                    throw new ConfigurationException("the artifact root " + root + " names the server " + authority
                            + ", not the tracking server " + trackingUri.getRawAuthority() + ": artifacts are reached through "
                            + "the tracking server only; set " + ArtifactSettings.ARTIFACT_ROOT + " or the tracking URI");
                }
            });
            return new MlflowArtifactsRepository(root, server, MlflowArtifactsRoot.path(root), artifactSettings);
        }
        if (scheme.isEmpty() || scheme.equals("file")) {
            return LocalArtifactRepository.of(root);
        }
        if (scheme.equals("http") || scheme.equals("https")) {
            throw new ConfigurationException("the artifact root " + root + " is an http(s) URL without "
                    + MlflowArtifactsRoot.ENDPOINT + ": only MLflow's artifact endpoints are supported over http(s)");
        }
        for (ArtifactRepositoryFactory factory : factories) {
            if (factory.scheme().equalsIgnoreCase(scheme)) {
                return factory.create(root, settings);
            }
        }
        String module = MODULES.get(scheme);
        throw new ConfigurationException("no artifact store for scheme '" + scheme + "' (artifact root " + root + "): "
                + (module != null ? "add io.github.mlflowsecretsauth:" + module + " to the class path"
                : "no module on the class path registers an ArtifactRepositoryFactory for it"));
    }
}
