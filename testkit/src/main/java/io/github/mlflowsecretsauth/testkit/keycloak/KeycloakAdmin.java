package io.github.mlflowsecretsauth.testkit.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mlflowsecretsauth.tracking.memory.internal.JsonHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Keycloak's admin REST API, as far as the tests need it: an admin token from the master realm's {@code admin-cli}
 * client, then realms, clients and the realm's login events. Every call fails with a one-line
 * {@link IllegalStateException} naming the call and the status (the admin API answers an unknown field with a bare
 * 400, so the documents sent here hold only fields Keycloak 26 knows). Not thread-safe.
 */
final class KeycloakAdmin {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final URI base;
    private final String user;
    private final String password;

    KeycloakAdmin(URI base, String user, String password) {
        this.base = base;
        this.user = user;
        this.password = password;
    }

    /** Creates a realm whose access tokens live {@code lifespanSeconds}, with client login events recorded. */
    void createRealm(String realm, int lifespanSeconds) {
        ObjectNode r = JsonHttp.MAPPER.createObjectNode().put("realm", realm).put("enabled", true)
                .put("accessTokenLifespan", lifespanSeconds).put("eventsEnabled", true).put("eventsExpiration", 3600);
        r.putArray("enabledEventTypes").add("CLIENT_LOGIN").add("CLIENT_LOGIN_ERROR");
        send("POST", "/admin/realms", r, 201);
    }

    /** Creates a client from a representation ({@code clientId}, {@code protocolMappers}, ...). */
    void createClient(String realm, ObjectNode client) {
        send("POST", "/admin/realms/" + realm + "/clients", client, 201);
    }

    /** How many events of this type Keycloak recorded for the client (token requests: {@code CLIENT_LOGIN}). */
    int countEvents(String realm, String clientId, String type) {
        JsonNode events = send("GET", "/admin/realms/" + realm + "/events?max=100000&type=" + type + "&client="
                + URLEncoder.encode(clientId, StandardCharsets.UTF_8), null, 200);
        return events.size();
    }

    private String adminToken() {
        String form = "grant_type=password&client_id=admin-cli&username=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/realms/master/protocol/openid-connect/token"))
                .timeout(TIMEOUT).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<String> answer = exchange(request, "the admin token request");
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("Keycloak refused the admin token request: HTTP " + answer.statusCode());
        }
        return JsonHttp.parseObject(answer.body()).path("access_token").asText();
    }

    private JsonNode send(String method, String path, ObjectNode body, int expected) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + adminToken());
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> answer = exchange(b.build(), method + " " + path);
        if (answer.statusCode() != expected) {
            throw new IllegalStateException("Keycloak's admin API answered " + method + " " + path + " with HTTP "
                    + answer.statusCode() + ": " + answer.body().replaceAll("\\s+", " "));
        }
        try {
            return answer.body().isBlank() ? JsonHttp.MAPPER.createObjectNode() : JsonHttp.MAPPER.readTree(answer.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> exchange(HttpRequest request, String what) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("Keycloak did not answer " + what + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + what, e);
        }
    }

    /** A confidential client for the client-credentials grant, with an audience mapper for {@code audience}. */
    static ObjectNode serviceClient(String clientId, String audience, int lifespanSeconds) {
        ObjectNode c = JsonHttp.MAPPER.createObjectNode().put("clientId", clientId).put("enabled", true)
                .put("protocol", "openid-connect").put("publicClient", false).put("serviceAccountsEnabled", true)
                .put("standardFlowEnabled", false).put("directAccessGrantsEnabled", false);
        c.putObject("attributes").put("access.token.lifespan", String.valueOf(lifespanSeconds));
        if (audience != null) {
            ArrayNode mappers = c.putArray("protocolMappers");
            ObjectNode m = mappers.addObject().put("name", "audience " + audience).put("protocol", "openid-connect")
                    .put("protocolMapper", "oidc-audience-mapper");
            m.putObject("config").put("included.custom.audience", audience).put("access.token.claim", "true")
                    .put("id.token.claim", "false").put("introspection.token.claim", "true");
        }
        return c;
    }
}
