package io.github.mlflowsecretsauth.provider.oauth2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mlflowsecretsauth.internal.DeadlineHttp;
import io.github.mlflowsecretsauth.internal.HttpAnswers;
import io.github.mlflowsecretsauth.internal.TlsContexts;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The IdP's HTTP endpoints over the JDK {@link HttpClient}: a form POST to the token endpoint and a GET of the
 * discovery document, each under one total deadline ({@link DeadlineHttp}, {@code MLFLOW_SECRETS_FETCH_TIMEOUT_SEC}),
 * no redirects followed (a redirect must not carry the client's credentials elsewhere), trusting
 * {@code MLFLOW_OAUTH2_CA_BUNDLE_PATH} when set. Network and TLS failures become one-line
 * {@code BackendUnavailableException}s naming the endpoint. Thread-safe.
 */
final class OAuth2Http {
    static final ObjectMapper JSON = new ObjectMapper();

    /** An answer: status, parsed body ({@code MissingNode} when empty or not JSON) and {@code Retry-After}. */
    record Answer(int status, JsonNode body, Optional<Duration> retryAfter) {
    }

    private final HttpClient client;
    private final Duration deadline;

    OAuth2Http(OAuth2Config config, Duration deadline) {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(DeadlineHttp.connectTimeout(deadline))
                .followRedirects(HttpClient.Redirect.NEVER);
        config.caBundle().ifPresent(ca -> b.sslContext(TlsContexts.trusting(ca, OAuth2Config.CA_BUNDLE_PATH)));
        this.client = b.build();
        this.deadline = deadline;
    }

    /** POSTs {@code form} (and an {@code Authorization} header if given) to {@code url}; {@code urlSetting} names it in errors. */
    Answer postForm(URI url, Map<String, String> form, Optional<String> authorization, String urlSetting) {
        StringJoiner body = new StringJoiner("&");
        form.forEach((k, v) -> body.add(encode(k) + "=" + encode(v)));
        HttpRequest.Builder rb = HttpRequest.newBuilder(url).header("Accept", "application/json")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        authorization.ifPresent(a -> rb.header("Authorization", a));
        return send(url, rb, "the token endpoint", urlSetting);
    }

    /** GETs the JSON document at {@code url}. */
    Answer getJson(URI url, String what, String urlSetting) {
        return send(url, HttpRequest.newBuilder(url).header("Accept", "application/json").GET(), what, urlSetting);
    }

    private Answer send(URI url, HttpRequest.Builder rb, String what, String urlSetting) {
        DeadlineHttp http = new DeadlineHttp(client, deadline, what + " " + Endpoints.display(url));
        HttpResponse<String> resp;
        try {
            resp = http.send(rb);
        } catch (IOException | InterruptedException e) {
            throw http.unavailable(e, urlSetting, OAuth2Config.CA_BUNDLE_PATH);
        }
        return new Answer(resp.statusCode(), HttpAnswers.jsonOrMissing(JSON, resp.body()), HttpAnswers.retryAfter(resp));
    }

    /** RFC 6749 Appendix B: application/x-www-form-urlencoded, UTF-8. */
    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
