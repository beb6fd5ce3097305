package io.github.mlflowsecretsauth;

import io.github.mlflowsecretsauth.cache.CachePolicy;
import io.github.mlflowsecretsauth.cache.CacheStats;
import io.github.mlflowsecretsauth.cache.RefreshingCache;
import io.github.mlflowsecretsauth.config.ConfigKeys;
import io.github.mlflowsecretsauth.config.ConfigValues;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.ProviderChainException;
import io.github.mlflowsecretsauth.error.SecretsAuthException;
import io.github.mlflowsecretsauth.header.AuthMode;
import io.github.mlflowsecretsauth.header.HeaderSnapshot;
import io.github.mlflowsecretsauth.header.HeaderSource;
import io.github.mlflowsecretsauth.header.SecretHeaderSource;
import io.github.mlflowsecretsauth.header.SignedHeaderSource;
import io.github.mlflowsecretsauth.internal.ProviderCatalog;
import io.github.mlflowsecretsauth.redact.KnownSecrets;
import io.github.mlflowsecretsauth.retry.RetryPolicy;
import io.github.mlflowsecretsauth.spi.ProviderContext;
import io.github.mlflowsecretsauth.spi.RequestBody;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import io.github.mlflowsecretsauth.spi.SecretProviderFactory;
import io.github.mlflowsecretsauth.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;

/**
 * The engine: reads the configuration, builds the provider chain (first enabled and configured
 * provider first, the next ones as fallbacks), keeps the credential fresh in a
 * {@link RefreshingCache} and answers {@link #headersFor(URI)} from memory.
 *
 * <p>Thread-safe. {@link #headersFor(URI)} is a map lookup once the cache is warm: the allowlist
 * decision is memoised and the header map is an immutable snapshot. Closing stops background
 * refreshes and the providers' own background work.
 */
public final class SecretsAuth implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SecretsAuth.class);
    private static final int MAX_WARNED_HOSTS = 256;

    private final SecretsAuthConfig config;
    private final List<ProviderBinding> chain;
    private final List<ProviderStatus> statuses;
    private final RefreshingCache<HeaderSnapshot> cache;
    private final Scheduler scheduler;
    private final boolean ownsScheduler;
    private final Clock clock;
    private final Settings settings;
    private final Optional<io.github.mlflowsecretsauth.spi.RequestSigner> signer;
    private final HeaderSource headerSource;
    private final Set<String> warnedHosts = ConcurrentHashMap.newKeySet();
    private final KnownSecrets knownSecrets = new KnownSecrets();

    private SecretsAuth(Builder b) {
        Settings settings = b.settings != null ? b.settings : Settings.fromEnvironment();
        this.settings = settings;
        ProviderCatalog catalog = b.factories != null ? ProviderCatalog.of(b.factories) : ProviderCatalog.discover();
        this.config = SecretsAuthConfig.parse(settings, catalog.knownNames());
        this.signer = signer(settings);
        this.ownsScheduler = b.scheduler == null;
        this.scheduler = ownsScheduler ? Scheduler.daemon("mlflow-secrets-auth-refresh") : b.scheduler;
        Clock clock = b.clock;
        this.clock = clock;
        RetryPolicy retry = RetryPolicy.defaults(config.maxRetries(), b.sleeper, b.random);
        AtomicReference<RefreshingCache<HeaderSnapshot>> cacheRef = new AtomicReference<>();
        Runnable secretChanged = () -> {
            RefreshingCache<HeaderSnapshot> c = cacheRef.get();
            if (c != null) {
                c.refreshInBackground(true);
            }
        };
        List<ProviderBinding> bindings = new ArrayList<>();
        List<ProviderStatus> status = new ArrayList<>();
        try {
            for (ProviderCatalog.Known k : catalog.known()) {
                SecretProviderFactory f = catalog.factory(k.name());
                boolean enabled = config.enabled().contains(k.name());
                List<String> missing = f == null ? List.of() : f.missingSettings(settings);
                if (!enabled || f == null || !missing.isEmpty()) {
                    status.add(new ProviderStatus(k.name(), k.priority(), f != null, k.module(), enabled, missing, false,
                            Optional.empty(), Optional.empty(), Map.of()));
                    if (enabled && f == null) {
                        LOG.warn("provider {} is enabled but its module {} is not on the class path", k.name(), k.module());
                    } else if (enabled) {
                        LOG.info("provider {} is enabled but not configured: {} not set", k.name(), String.join(", ", missing));
                    }
                    continue;
                }
                String modeVar = ConfigKeys.authMode(f.settingsPrefix());
                AuthMode mode = settings.get(modeVar).map(v -> AuthMode.parse(v, modeVar)).orElse(f.defaultAuthMode(settings));
                Duration ttl = ConfigValues.positiveSeconds(settings, ConfigKeys.ttl(f.settingsPrefix()), ConfigKeys.DEFAULT_TTL_SEC);
                SecretProvider p = f.create(new ProviderContext(settings, clock, scheduler, retry, ttl, secretChanged, knownSecrets));
                ProviderBinding binding = new ProviderBinding(p, mode, modeVar, ttl, config.headerName(), retry, clock, knownSecrets);
                bindings.add(binding);
                status.add(new ProviderStatus(k.name(), k.priority(), true, k.module(), true, List.of(), true,
                        Optional.of(mode.id()), Optional.of(ttl), p.describe()));
            }
        } catch (RuntimeException e) {
            bindings.forEach(ProviderBinding::close);
            if (ownsScheduler) {
                scheduler.close();
            }
            throw e;
        }
        this.chain = List.copyOf(bindings);
        this.statuses = List.copyOf(status);
        // A caller's fetch runs on the scheduler's pool, so a stalled backend can be abandoned at the deadline;
        // with an injected scheduler (tests) it runs on the caller's thread unless loads are injected too.
        Executor loads = b.loads != null ? b.loads : ownsScheduler ? scheduler : Runnable::run;
        this.cache = new RefreshingCache<>(cacheName(chain), this::load, clock, scheduler, loads,
                CachePolicy.defaults(config.staleIfError()).withFetchDeadline(config.fetchTimeout()), b.random,
                HeaderSnapshot::headerValue);
        cacheRef.set(cache);
        this.headerSource = signer.<HeaderSource>map(sg -> new SignedHeaderSource(sg, config.allowlist()))
                .orElseGet(() -> new SecretHeaderSource(this::cachedHeadersFor,
                        chain.isEmpty() ? "no credential" : "credentials from " + chain.get(0).name()));
        if (!config.allowlist().isRestricted() && !chain.isEmpty()) {
            LOG.warn("{} is not set: credentials will be sent to any host; set it to your MLflow host in production",
                    ConfigKeys.ALLOWED_HOSTS);
        }
    }

    private static String cacheName(List<ProviderBinding> chain) {
        List<String> names = chain.stream().map(ProviderBinding::name).toList();
        return (names.size() == 1 ? "provider " : "providers ") + String.join(", ", names);
    }

    private static Optional<io.github.mlflowsecretsauth.spi.RequestSigner> signer(Settings settings) {
        if (!ConfigValues.bool(settings, ConfigKeys.TRACKING_AWS_SIGV4, false)) {
            return Optional.empty();
        }
        for (io.github.mlflowsecretsauth.spi.RequestSignerFactory f : java.util.ServiceLoader.load(
                io.github.mlflowsecretsauth.spi.RequestSignerFactory.class, SecretsAuth.class.getClassLoader())) {
            Optional<io.github.mlflowsecretsauth.spi.RequestSigner> s = f.create(settings);
            if (s.isPresent()) {
                return s;
            }
        }
        throw new io.github.mlflowsecretsauth.error.ConfigurationException(ConfigKeys.TRACKING_AWS_SIGV4
                + "=true needs the module mlflow-secrets-auth-aws on the class path");
    }

    /**
     * Where each request's headers come from: the cached credential, or a per-request signature
     * ({@code MLFLOW_TRACKING_AWS_SIGV4=true}, which then replaces the secret header).
     */
    public HeaderSource headerSource() {
        return headerSource;
    }

    /** Whether requests get any credential: a configured provider, or a request signer. */
    public boolean hasCredentialSource() {
        return !chain.isEmpty() || headerSource.signsEachRequest();
    }

    /** An engine configured from this process's environment, system properties and {@code ./.env}. */
    public static SecretsAuth fromEnvironment() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    private RefreshingCache.Loaded<HeaderSnapshot> load() {
        List<SecretsAuthException> failures = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (ProviderBinding b : chain) {
            try {
                HeaderSnapshot s = b.fetch();
                if (!failures.isEmpty()) {
                    LOG.warn("provider {} failed ({}); using fallback provider {}", names.get(0),
                            failures.get(0).getMessage(), b.name());
                }
                return new RefreshingCache.Loaded<>(s, b.lifetimeOf(s), s.expiresAt().isPresent());
            } catch (SecretsAuthException e) {
                failures.add(e);
                names.add(b.name());
            }
        }
        if (failures.size() == 1) {
            throw failures.get(0);
        }
        throw new ProviderChainException(failures, names);
    }

    /**
     * The headers to put on a request to {@code uri}: the credential header, or an empty map when no
     * provider is configured or the host is not on the allowlist (then a warning is logged once per
     * host). Throws a {@link SecretsAuthException} if no credential can be fetched.
     */
    public Map<String, String> headersFor(URI uri) {
        if (headerSource.signsEachRequest()) {
            throw new io.github.mlflowsecretsauth.error.ConfigurationException(ConfigKeys.TRACKING_AWS_SIGV4
                    + "=true signs each request over its method, URI and body: call headersFor(method, uri, body)"
                    + " or send the requests through the proxy");
        }
        return cachedHeadersFor(uri);
    }

    /**
     * The headers for one request, whatever the header source: the cached credential, or a signature over
     * {@code method}, {@code uri} and {@code body}. An empty map when the host is not on the allowlist.
     *
     * @param body the body as it will be sent (empty for none); only a signature reads it
     */
    public Map<String, String> headersFor(String method, URI uri, byte[] body) {
        return headerSource.headersFor(method, uri, hostHeader(uri), RequestBody.of(body));
    }

    private static String hostHeader(URI uri) {
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (port == 443 && "https".equalsIgnoreCase(uri.getScheme()))
                || (port == 80 && "http".equalsIgnoreCase(uri.getScheme()));
        return defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
    }

    private Map<String, String> cachedHeadersFor(URI uri) {
        // The hot path: no Optional, no allocation once the allowlist decision and the credential are cached.
        if (chain.isEmpty()) {
            return Map.of();
        }
        if (!config.allowlist().allows(uri)) {
            warnNotAllowed(uri);
            return Map.of();
        }
        return cache.get().headers();
    }

    /** Like {@link #headersFor(URI)}, with the snapshot's metadata, for callers that may report a rejection. */
    public Optional<HeaderSnapshot> snapshotFor(URI uri) {
        if (chain.isEmpty()) {
            return Optional.empty();
        }
        if (!config.allowlist().allows(uri)) {
            warnNotAllowed(uri);
            return Optional.empty();
        }
        return Optional.of(cache.get());
    }

    private void warnNotAllowed(URI uri) {
        String authority = String.valueOf(uri.getRawAuthority());
        if (warnedHosts.size() < MAX_WARNED_HOSTS && warnedHosts.add(authority)) {
            LOG.warn("not sending credentials to {}: the host is not in {} ({})", authority, ConfigKeys.ALLOWED_HOSTS,
                    String.join(",", config.allowlist().patterns()));
        }
    }

    /** The credential held right now, in whatever state, without fetching (never blocks). */
    public Optional<HeaderSnapshot> peekSnapshot() {
        return cache.peek();
    }

    /** The current credential regardless of any host (for diagnostics); fetches if needed. */
    public HeaderSnapshot currentSnapshot() {
        if (chain.isEmpty()) {
            // Name what an enabled provider still lacks, so "enabled but half configured" is not a mystery.
            String lacking = statuses.stream().filter(p -> p.enabled() && !p.missing().isEmpty())
                    .map(p -> "; " + p.name() + " is enabled but not configured: " + String.join(", ", p.missing()) + " not set")
                    .collect(java.util.stream.Collectors.joining());
            throw new io.github.mlflowsecretsauth.error.ConfigurationException("no secret provider is enabled and configured: set "
                    + ConfigKeys.ENABLE + " (for example vault) and the provider's settings" + lacking);
        }
        return cache.get();
    }

    /**
     * Reports that a server answered 401 or 403 to a request that carried {@code rejected}. If it is
     * still the current credential it is dropped, and the next request waits for a fresh one. Returns
     * what this call did, so a caller can tell whether a replay would carry another credential.
     */
    public RejectionOutcome reportRejected(HeaderSnapshot rejected) {
        if (cache.invalidate(rejected)) {
            LOG.info("the server rejected the credential from {} ({}); fetching a fresh one", rejected.provider(),
                    rejected.location());
            return RejectionOutcome.DROPPED;
        }
        boolean stillHeld = cache.peek().orElse(null) == rejected
                && cache.status().state() != RefreshingCache.State.INVALIDATED;
        return stillHeld ? RejectionOutcome.BACKING_OFF : RejectionOutcome.ALREADY_FRESH;
    }

    /** What {@link #reportRejected} did with a rejected credential. */
    public enum RejectionOutcome {
        /** It was the current credential and is dropped: the next request fetches a fresh one. */
        DROPPED,
        /** It was already replaced, or already dropped with a fetch pending: the next request carries another one. */
        ALREADY_FRESH,
        /**
         * It is still the current credential: the backend handed this same one back just now, and the
         * invalidation backoff keeps it, so a server that rejects everything cannot make us hammer the backend.
         */
        BACKING_OFF
    }

    /**
     * Drops the cached credential, so the next request fetches a fresh one. Clears less than a second apart
     * are merged (the later one takes effect at the end of that second), and a failure backoff that runs is
     * kept, so a storm of clears costs the backend at most one fetch per second.
     *
     * @return true if dropped now, false if deferred to the end of the second
     */
    public boolean clearCache() {
        return cache.clear();
    }

    /**
     * The secret values this engine holds (its providers' credentials and the MLflow credentials it
     * fetched): scrub text from outside with it before showing it.
     */
    public KnownSecrets knownSecrets() {
        return knownSecrets;
    }

    /** Every setting this engine was built from (for modules that add their own settings). */
    public Settings settings() {
        return settings;
    }

    public SecretsAuthConfig config() {
        return config;
    }

    /** The configured providers in fetch order; empty when none is enabled and configured. */
    public List<ProviderBinding> chain() {
        return chain;
    }

    /** Every known provider with its state, in priority order. */
    public List<ProviderStatus> providers() {
        return statuses;
    }

    /** The authentication status; contacts no backend. */
    public AuthStatus status() {
        return AuthStatus.of(this, clock.instant());
    }

    public RefreshingCache.Status cacheStatus() {
        return cache.status();
    }

    public CacheStats cacheStats() {
        return cache.stats();
    }

    /** Whether at least one provider is enabled and configured. */
    public boolean isConfigured() {
        return !chain.isEmpty();
    }

    @Override
    public void close() {
        cache.close();
        chain.forEach(ProviderBinding::close);
        if (ownsScheduler) {
            scheduler.close();
        }
    }

    @Override
    public String toString() {
        return "SecretsAuth{providers=" + chain + ", header=" + config.headerName() + ", allowlist=" + config.allowlist() + "}";
    }

    /** Builds a {@link SecretsAuth}. By default settings come from the environment and providers from the class path. */
    public static final class Builder {
        private Settings settings;
        private List<SecretProviderFactory> factories;
        private Clock clock = Clock.systemUTC();
        private Scheduler scheduler;
        private Executor loads;
        private RetryPolicy.Sleeper sleeper = d -> Thread.sleep(d.toMillis());
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();

        private Builder() {
        }

        /** Use exactly these settings instead of the environment. */
        public Builder settings(Settings settings) {
            this.settings = settings;
            return this;
        }

        /** Use these factories instead of the ones {@link java.util.ServiceLoader} finds. */
        public Builder factories(List<SecretProviderFactory> factories) {
            this.factories = List.copyOf(factories);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Background work runs here; the caller keeps ownership and closes it. */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        /**
         * Runs the fetches that callers wait for. By default the scheduler's pool when this engine owns its
         * scheduler, else the caller's thread.
         */
        public Builder loadExecutor(Executor loads) {
            this.loads = loads;
            return this;
        }

        public Builder sleeper(RetryPolicy.Sleeper sleeper) {
            this.sleeper = sleeper;
            return this;
        }

        /** Source of jitter, uniform in [0, 1). */
        public Builder random(DoubleSupplier random) {
            this.random = random;
            return this;
        }

        /** Validates the configuration and builds the engine; contacts no backend. */
        public SecretsAuth build() {
            return new SecretsAuth(this);
        }
    }
}
