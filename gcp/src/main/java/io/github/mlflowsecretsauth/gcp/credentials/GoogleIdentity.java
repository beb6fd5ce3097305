package io.github.mlflowsecretsauth.gcp.credentials;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.ComputeEngineCredentials;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.IdToken;
import com.google.auth.oauth2.IdTokenProvider;
import com.google.auth.oauth2.ServiceAccountCredentials;
import io.github.mlflowsecretsauth.internal.ConfigValues;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.AccessDeniedException;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.error.MalformedSecretException;
import io.github.mlflowsecretsauth.gcp.GcpConfigKeys;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Google identity the provider calls Secret Manager with, found the way Application Default
 * Credentials are, but reading the variables through the project's settings:
 * <ol>
 *   <li>{@code GOOGLE_APPLICATION_CREDENTIALS}: a service-account key, a workload identity federation
 *       ({@code external_account}) configuration, user or impersonation credentials;</li>
 *   <li>gcloud's {@code application_default_credentials.json} ({@code CLOUDSDK_CONFIG}, else
 *       {@code ~/.config/gcloud}), written by {@code gcloud auth application-default login};</li>
 *   <li>the metadata server (Compute Engine, GKE workload identity, Cloud Run), at
 *       {@code GCE_METADATA_HOST} when the process environment sets it.</li>
 * </ol>
 * Tokens come from the Google auth library ({@code google-auth-library-oauth2-http}), which caches
 * them and refreshes them before they expire; {@link #refreshAfterRejection} forces one refresh when
 * Secret Manager rejects a token. Every token call goes through {@link DeadlineTransport}, under the one total
 * deadline {@code MLFLOW_SECRETS_FETCH_TIMEOUT_SEC}. Building one reads files only and makes no network call.
 * {@link #describe()} and {@link #toString()} show the identity source, never a key or token.
 * Thread-safe: the library's credentials are.
 */
public final class GoogleIdentity {
    private static final Logger LOG = LoggerFactory.getLogger(GoogleIdentity.class);
    static final List<String> SCOPES = List.of("https://www.googleapis.com/auth/cloud-platform");
    /** {@code format=full} (the metadata server adds the account's e-mail) and {@code includeEmail} (IAM credentials). */
    private static final List<IdTokenProvider.Option> ID_TOKEN_OPTIONS = List.of(IdTokenProvider.Option.FORMAT_FULL,
            IdTokenProvider.Option.INCLUDE_EMAIL);

    /** Where the credentials came from. */
    public enum Source { APPLICATION_CREDENTIALS_FILE, GCLOUD_FILE, METADATA_SERVER }

    private final GoogleCredentials credentials;
    private final Source source;
    private final String label;
    private final Optional<CredentialsFile> file;
    private final String tokenEndpoint;
    private final Optional<java.net.URI> iamEndpoint;

    private GoogleIdentity(GoogleCredentials credentials, Source source, String label, Optional<CredentialsFile> file,
                           String tokenEndpoint, Optional<java.net.URI> iamEndpoint) {
        this.iamEndpoint = iamEndpoint;
        this.credentials = credentials;
        this.source = source;
        this.label = label;
        this.file = file;
        this.tokenEndpoint = tokenEndpoint;
    }

    /** Finds the credentials; a bad file is a {@link ConfigurationException} naming its variable. */
    public static GoogleIdentity resolve(Settings s) {
        Optional<String> explicit = s.get(GcpConfigKeys.APPLICATION_CREDENTIALS);
        if (explicit.isPresent()) {
            CredentialsFile f = CredentialsFile.read(Path.of(explicit.get()), GcpConfigKeys.APPLICATION_CREDENTIALS);
            return fromFile(f, Source.APPLICATION_CREDENTIALS_FILE, GcpConfigKeys.APPLICATION_CREDENTIALS, ConfigValues.fetchTimeout(s),
                    IamCredentialsEndpoint.from(s));
        }
        Path gcloud = gcloudFile(s);
        if (Files.isRegularFile(gcloud)) {
            return fromFile(CredentialsFile.read(gcloud, "gcloud's application default credentials"), Source.GCLOUD_FILE,
                    "gcloud application-default login", ConfigValues.fetchTimeout(s), IamCredentialsEndpoint.from(s));
        }
        checkMetadataHost(s);
        String url = ComputeEngineCredentials.getMetadataServerUrl();
        String label = "the metadata server (" + url + ")";
        DeadlineTransport transport = new DeadlineTransport(ConfigValues.fetchTimeout(s), label);
        return new GoogleIdentity(ComputeEngineCredentials.newBuilder().setHttpTransportFactory(() -> transport).build(),
                Source.METADATA_SERVER, label, Optional.empty(), url, Optional.empty());
    }

    /** Peeks at the credentials file for a project id, without failing: {@code missingSettings} uses it. */
    public static Optional<String> projectHint(Settings s) {
        try {
            Optional<String> explicit = s.get(GcpConfigKeys.APPLICATION_CREDENTIALS);
            Path p = explicit.map(Path::of).orElse(gcloudFile(s));
            return Files.isRegularFile(p) ? CredentialsFile.read(p, "").projectId() : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty(); // create() reports the problem with its variable
        }
    }

    private static GoogleIdentity fromFile(CredentialsFile f, Source source, String from, Duration fetchTimeout,
                                           Optional<java.net.URI> iamEndpoint) {
        String who = f.serviceAccount().map(e -> " " + e).orElse("");
        String label = f.kind() + who + " from " + from + " (" + f.path() + ")";
        DeadlineTransport transport = new DeadlineTransport(fetchTimeout, label, iamEndpoint);
        GoogleCredentials c;
        try {
            c = GoogleCredentials.fromStream(new ByteArrayInputStream(f.bytes()), () -> transport);
        } catch (IOException | RuntimeException e) {
            // The library's parse messages name fields, not values; still capped to one line.
            throw new ConfigurationException(f.variable() + ": " + f.path() + " is not a usable Google credentials file ("
                    + io.github.mlflowsecretsauth.redact.Redactor.oneLine(String.valueOf(e.getMessage()), 120) + ")");
        }
        if (c instanceof ServiceAccountCredentials sa) {
            c = sa.createWithCustomRetryStrategy(false); // the engine retries, with its own backoff and clock
        }
        if (c.createScopedRequired()) {
            c = c.createScoped(SCOPES);
        }
        return new GoogleIdentity(c, source, label, Optional.of(f), f.tokenEndpoint(), iamEndpoint);
    }

    private static Path gcloudFile(Settings s) {
        Optional<String> config = s.get(GcpConfigKeys.CLOUDSDK_CONFIG);
        if (config.isPresent()) {
            return Path.of(config.get(), "application_default_credentials.json");
        }
        Optional<String> appData = s.get("APPDATA");
        if (System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows") && appData.isPresent()) {
            return Path.of(appData.get(), "gcloud", "application_default_credentials.json");
        }
        return Path.of(System.getProperty("user.home"), ".config", "gcloud", "application_default_credentials.json");
    }

    /** The library reads GCE_METADATA_HOST from the process environment only; a differing value elsewhere would be ignored. */
    private static void checkMetadataHost(Settings s) {
        Optional<String> configured = s.get(GcpConfigKeys.METADATA_HOST);
        String env = System.getenv(GcpConfigKeys.METADATA_HOST);
        if (configured.isPresent() && !configured.get().equals(env == null ? null : env.strip())) {
            throw new ConfigurationException(GcpConfigKeys.METADATA_HOST + " is set (" + s.sourceOf(GcpConfigKeys.METADATA_HOST)
                    .map(Object::toString).orElse("settings") + ") but the Google auth library reads it only from the process "
                    + "environment: export it in the environment instead");
        }
    }

    /** A valid access token, refreshed by the library when it is near its expiry. */
    public String accessToken() {
        try {
            credentials.refreshIfExpired();
        } catch (IOException e) {
            throw TokenFailures.map(e, this);
        }
        return current();
    }

    /**
     * Secret Manager refused {@code rejected}: refresh once, unless another caller already did, and
     * return the new token.
     */
    public String refreshAfterRejection(String rejected) {
        synchronized (this) {
            AccessToken t = credentials.getAccessToken();
            if (t == null || Objects.equals(t.getTokenValue(), rejected)) {
                LOG.debug("Secret Manager rejected the access token of {}; refreshing it once", label);
                try {
                    credentials.refresh();
                } catch (IOException e) {
                    throw TokenFailures.map(e, this);
                }
            }
        }
        return current();
    }

    private String current() {
        AccessToken t = credentials.getAccessToken();
        if (t == null || t.getTokenValue() == null) {
            throw new AccessDeniedException("the Google auth library returned no access token for " + label);
        }
        return t.getTokenValue();
    }

    /**
     * Why this identity cannot mint Google-signed ID tokens, if it cannot: the Google auth library's
     * {@link IdTokenProvider}s are service-account keys, the metadata server and impersonation; gcloud's user
     * credentials and workload identity federation without impersonation are not.
     */
    public Optional<String> idTokenProblem() {
        return switch (type()) {
            case "service_account", "impersonated_service_account", "metadata_server" -> credentials instanceof IdTokenProvider
                    ? Optional.empty() : Optional.of(label + " cannot mint ID tokens");
            case "authorized_user" -> Optional.of("user credentials (" + label + ") cannot mint ID tokens for an audience: use a "
                    + "service-account key in " + GcpConfigKeys.APPLICATION_CREDENTIALS + ", or impersonation (gcloud auth "
                    + "application-default login --impersonate-service-account=SA), or run on Google Cloud (metadata server)");
            default -> Optional.of(kind() + " credentials (" + label + ") cannot mint ID tokens: use a service-account key in "
                    + GcpConfigKeys.APPLICATION_CREDENTIALS + " or a credentials file with service-account impersonation");
        };
    }

    /**
     * A Google-signed ID token for {@code audience} from the library's {@link IdTokenProvider} (a key's
     * {@code target_audience} assertion, the metadata server's {@code identity}, or IAM credentials'
     * {@code generateIdToken}); a new one on every call (the engine caches it until its {@code exp}).
     */
    public IdToken idToken(String audience) {
        if (!(credentials instanceof IdTokenProvider p) || idTokenProblem().isPresent()) {
            throw new ConfigurationException(idTokenProblem().orElse(label + " cannot mint ID tokens"));
        }
        try {
            return p.idTokenWithAudience(audience, ID_TOKEN_OPTIONS);
        } catch (IOException e) {
            throw TokenFailures.map(e, this, "an ID token", idTokenEndpoint());
        } catch (IllegalArgumentException | NullPointerException | ClassCastException e) {
            // the library parses the answer as a JWT and reads its exp; the token itself is not quoted
            throw new MalformedSecretException(label + " returned an ID token that is not a JWT with exp ("
                    + e.getClass().getSimpleName() + "): check the token endpoint " + tokenEndpoint);
        }
    }

    /** Where ID tokens come from: the key's token endpoint, the metadata server's identity, or IAM credentials. */
    public String idTokenEndpoint() {
        return switch (type()) {
            case "metadata_server" -> tokenEndpoint + "/computeMetadata/v1/instance/service-accounts/default/identity";
            case "impersonated_service_account" -> iamEndpoint.map(Object::toString).orElse(IamCredentialsEndpoint.DEFAULT)
                    + "/v1/projects/-/serviceAccounts/" + file.flatMap(CredentialsFile::serviceAccount).orElse("?") + ":generateIdToken";
            default -> tokenEndpoint;
        };
    }

    private String kind() {
        return file.map(CredentialsFile::kind).orElse("metadata server");
    }

    /** When the current access token expires, if the library holds one (for {@code doctor}). */
    public Optional<java.time.Instant> tokenExpiresAt() {
        AccessToken t = credentials.getAccessToken();
        return t == null || t.getExpirationTime() == null ? Optional.empty() : Optional.of(t.getExpirationTime().toInstant());
    }

    public Source source() {
        return source;
    }

    /** e.g. {@code service-account key mlflow@p.iam.gserviceaccount.com from GOOGLE_APPLICATION_CREDENTIALS (/path/key.json)}. */
    public String label() {
        return label;
    }

    /** Where tokens come from (the key file's {@code token_uri}, STS, or the metadata server). */
    public String tokenEndpoint() {
        return tokenEndpoint;
    }

    /** The identity type, for hints. */
    String type() {
        return file.map(CredentialsFile::type).orElse("metadata_server");
    }

    /** A service-account key's {@code project_id}, for a short secret name. */
    public Optional<String> projectId() {
        return file.flatMap(CredentialsFile::projectId);
    }

    /** Non-secret facts for {@code info} and {@code doctor}. */
    public Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("credentials", switch (source) {
            case APPLICATION_CREDENTIALS_FILE -> GcpConfigKeys.APPLICATION_CREDENTIALS + " (" + file.orElseThrow().path() + ")";
            case GCLOUD_FILE -> "gcloud application-default login (" + file.orElseThrow().path() + ")";
            case METADATA_SERVER -> "metadata server";
        });
        file.ifPresentOrElse(f -> d.putAll(f.describe()), () -> {
            d.put("identity type", "metadata server (Compute Engine, GKE workload identity, Cloud Run)");
            d.put("token endpoint", tokenEndpoint + " (" + (System.getenv(GcpConfigKeys.METADATA_HOST) != null
                    ? GcpConfigKeys.METADATA_HOST : "default") + ")");
        });
        return d;
    }

    @Override
    public String toString() {
        return "GoogleIdentity{" + label + "}";
    }
}
