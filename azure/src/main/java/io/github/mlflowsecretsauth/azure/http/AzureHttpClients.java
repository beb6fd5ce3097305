package io.github.mlflowsecretsauth.azure.http;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.HttpLogDetailLevel;
import com.azure.core.http.policy.HttpLogOptions;
import io.github.mlflowsecretsauth.azure.AzureConfigKeys;
import io.github.mlflowsecretsauth.internal.TlsContexts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Builds the one Azure {@link HttpClient} the provider uses for Key Vault and for the token endpoint:
 * the JDK's {@code java.net.http.HttpClient} (no netty), one total deadline per exchange for connect, headers and
 * body ({@code MLFLOW_SECRETS_FETCH_TIMEOUT_SEC}, {@link DeadlineAzureHttpClient}; the SDK's write, response and
 * read timeouts are backstops a second later, its connect timeout the deadline but 5 s at most), and, with
 * {@code MLFLOW_AZURE_CA_BUNDLE_PATH}, an {@code SSLContext} that trusts exactly that bundle's CAs (for
 * this client only; the JVM's default trust is untouched). Stateless.
 */
public final class AzureHttpClients {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration BACKSTOP_MARGIN = Duration.ofSeconds(1);

    private AzureHttpClients() {
    }

    /**
     * HTTP logging off, whatever {@code AZURE_HTTP_LOG_DETAIL_LEVEL} says: at {@code BODY} it would log the
     * secret's value and access tokens.
     */
    public static HttpLogOptions noHttpLogging() {
        return new HttpLogOptions().setLogLevel(HttpLogDetailLevel.NONE);
    }

    /**
     * The client; a bad CA bundle is a {@link io.github.mlflowsecretsauth.error.ConfigurationException}
     * naming {@code MLFLOW_AZURE_CA_BUNDLE_PATH}.
     */
    public static HttpClient create(Optional<Path> caBundle, Duration fetchTimeout) {
        java.net.http.HttpClient.Builder jdk = java.net.http.HttpClient.newBuilder();
        caBundle.ifPresent(p -> jdk.sslContext(TlsContexts.trusting(p, AzureConfigKeys.CA_BUNDLE_PATH)));
        // The SDK's own timeouts are backstops, a second past the deadline, so the deadline's one message always wins.
        Duration backstop = fetchTimeout.plus(BACKSTOP_MARGIN);
        HttpClient sdk = new JdkHttpClientBuilder(jdk).connectionTimeout(fetchTimeout.compareTo(CONNECT_TIMEOUT) < 0 ? fetchTimeout
                : CONNECT_TIMEOUT).writeTimeout(backstop).responseTimeout(backstop).readTimeout(backstop).build();
        return new DeadlineAzureHttpClient(sdk, fetchTimeout);
    }
}
