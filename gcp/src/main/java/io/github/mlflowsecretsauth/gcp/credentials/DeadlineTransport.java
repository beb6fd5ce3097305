package io.github.mlflowsecretsauth.gcp.credentials;

import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.LowLevelHttpRequest;
import com.google.api.client.http.LowLevelHttpResponse;
import io.github.mlflowsecretsauth.internal.DeadlineHttp;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Google auth library's HTTP transport (token endpoint, STS, impersonation, metadata server) over the JDK
 * {@link HttpClient} and {@link DeadlineHttp}: each token call has the one total deadline
 * {@code MLFLOW_SECRETS_FETCH_TIMEOUT_SEC} for connect, headers and body. The library's default transport
 * (HttpURLConnection with 20 s per read and no total bound) would hang on a server that stalls mid-body.
 * Redirects are not followed; bodies are uncompressed. Thread-safe.
 */
final class DeadlineTransport extends HttpTransport {
    /** Headers the JDK client sets itself, and {@code Accept-Encoding} (the body is read as plain text). */
    private static final Set<String> SKIPPED = Set.of("content-length", "host", "connection", "expect", "upgrade", "accept-encoding");

    private final HttpClient client;
    private final Duration deadline;
    private final String who;
    private final Optional<URI> iamEndpoint;

    /** {@code who}: the identity as messages name it, e.g. {@code service-account key a@p.iam from ...}. */
    DeadlineTransport(Duration deadline, String who) {
        this(deadline, who, Optional.empty());
    }

    /** With {@code iamEndpoint}, calls the library addresses to {@link IamCredentialsEndpoint#DEFAULT} go there instead. */
    DeadlineTransport(Duration deadline, String who, Optional<URI> iamEndpoint) {
        this.client = HttpClient.newBuilder().connectTimeout(DeadlineHttp.connectTimeout(deadline))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.deadline = deadline;
        this.who = who;
        this.iamEndpoint = iamEndpoint;
    }

    @Override
    protected LowLevelHttpRequest buildRequest(String method, String url) {
        String target = url;
        if (iamEndpoint.isPresent() && url.startsWith(IamCredentialsEndpoint.DEFAULT + "/")) {
            target = iamEndpoint.get() + url.substring(IamCredentialsEndpoint.DEFAULT.length());
        }
        return new Request(method, URI.create(target));
    }

    private final class Request extends LowLevelHttpRequest {
        private final String method;
        private final URI uri;
        private final List<String[]> headers = new ArrayList<>();

        Request(String method, URI uri) {
            this.method = method;
            this.uri = uri;
        }

        @Override
        public void addHeader(String name, String value) {
            if (!SKIPPED.contains(name.toLowerCase(Locale.ROOT))) {
                headers.add(new String[] {name, value});
            }
        }

        @Override
        public LowLevelHttpResponse execute() throws IOException {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri);
            headers.forEach(h -> b.header(h[0], h[1]));
            if (getContentType() != null) {
                b.header("Content-Type", getContentType());
            }
            if (getContentEncoding() != null) {
                b.header("Content-Encoding", getContentEncoding());
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (getStreamingContent() != null) {
                getStreamingContent().writeTo(body);
            }
            b.method(method, body.size() == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
            String endpoint = uri.getScheme() + "://" + uri.getRawAuthority() + (uri.getRawPath() == null ? "" : uri.getRawPath());
            DeadlineHttp http = new DeadlineHttp(client, deadline, "the token endpoint " + endpoint + " of " + who);
            try {
                return new Response(http.send(b));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while getting an access token from " + endpoint);
            }
        }
    }

    private static final class Response extends LowLevelHttpResponse {
        private final HttpResponse<String> r;
        private final List<Map.Entry<String, String>> headers = new ArrayList<>();

        Response(HttpResponse<String> r) {
            this.r = r;
            r.headers().map().forEach((name, values) -> values.forEach(v -> headers.add(Map.entry(name, v))));
        }

        @Override
        public InputStream getContent() {
            return new ByteArrayInputStream(r.body().getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String getContentEncoding() {
            return null;
        }

        @Override
        public long getContentLength() {
            return r.body().getBytes(StandardCharsets.UTF_8).length;
        }

        @Override
        public String getContentType() {
            return r.headers().firstValue("Content-Type").orElse(null);
        }

        @Override
        public String getStatusLine() {
            return "HTTP/1.1 " + r.statusCode();
        }

        @Override
        public int getStatusCode() {
            return r.statusCode();
        }

        @Override
        public String getReasonPhrase() {
            return null;
        }

        @Override
        public int getHeaderCount() {
            return headers.size();
        }

        @Override
        public String getHeaderName(int index) {
            return headers.get(index).getKey();
        }

        @Override
        public String getHeaderValue(int index) {
            return headers.get(index).getValue();
        }
    }
}
