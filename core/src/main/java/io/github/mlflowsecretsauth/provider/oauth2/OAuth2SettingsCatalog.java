package io.github.mlflowsecretsauth.provider.oauth2;

import io.github.mlflowsecretsauth.config.ConfigKeys;
import io.github.mlflowsecretsauth.config.Setting;
import io.github.mlflowsecretsauth.config.SettingsCatalog;
import io.github.mlflowsecretsauth.config.SettingsSection;
import io.github.mlflowsecretsauth.internal.ProviderSettings;

import java.util.ArrayList;
import java.util.List;

/** The {@code oauth2} provider's settings ({@link OAuth2Config}); docs/identity/oauth2.md tells the rest. */
public final class OAuth2SettingsCatalog implements SettingsCatalog {
    @Override
    public List<Setting> settings() {
        List<Setting> out = new ArrayList<>(List.of(
                s(OAuth2Config.TOKEN_URL, "", "the token endpoint, e.g. `https://idp/realms/ml/protocol/openid-connect/token`"),
                s(OAuth2Config.ISSUER_URL, "", "the issuer; the token endpoint is read from "
                        + "`<issuer>/.well-known/openid-configuration` (once per process), whose `issuer` must be exactly this one "
                        + "(OIDC Discovery §4.3). One of the two URLs is required; the token URL wins"),
                s(OAuth2Config.CLIENT_ID, "", "the client id; required, except when the stored secret (below) holds it. When "
                        + "set it wins over the stored one"),
                s(OAuth2Config.CLIENT_SECRET, "", "the client secret, for `client_secret_basic` and `client_secret_post`").asSecret(),
                s(OAuth2Config.CLIENT_SECRET_FROM, "", String.join(", ", OAuth2Config.SECRET_SOURCES.stream().sorted()
                        .map(p -> "`" + p + "`").toList()) + ": read the client credentials from that provider's configured secret "
                        + "(its usual variables, e.g. `VAULT_ADDR`, `VAULT_TOKEN`, `MLFLOW_VAULT_SECRET_PATH`). The secret is "
                        + "JSON `{\"client_id\": \"…\", \"client_secret\": \"…\"}` or the bare client secret. The provider needs "
                        + "no place in `" + ConfigKeys.ENABLE + "`"),
                s(OAuth2Config.SCOPE, "", "space-separated scopes to ask for"),
                s(OAuth2Config.AUDIENCE, "", "sent as `audience` (Auth0, Keycloak's token exchange, Okta custom servers)"),
                s(OAuth2Config.RESOURCE, "", "sent as `resource` (RFC 8707); an absolute URI"),
                s(OAuth2Config.CLIENT_AUTH, "`" + ClientAuth.CLIENT_SECRET_BASIC.id() + "`", "`client_secret_basic` (RFC 6749 "
                        + "§2.3.1: id and secret form-url-encoded, then Basic), `client_secret_post` (in the body) or `private_key_jwt` (RFC 7523)"),
                s(OAuth2Config.CLIENT_KEY_PATH, "", "for `private_key_jwt`: the client's unencrypted PKCS#8 PEM private key "
                        + "(`-----BEGIN PRIVATE KEY-----`); RSA signs RS256, EC P-256 signs ES256. Convert other forms with "
                        + "`openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pk8.pem`"),
                s(OAuth2Config.CLIENT_KEY_ID, "", "the assertion's `kid`, when the IdP holds several keys for the client"),
                s(OAuth2Config.CA_BUNDLE_PATH, "the JDK's CAs", "a PEM file of CAs to trust for the IdP's TLS")));
        out.addAll(ProviderSettings.modeAndTtl("core", SettingsSection.OAUTH2, new OAuth2ProviderFactory(), "`bearer`",
                "not used for a minted token, which lives until its own expiry"));
        return out;
    }

    private static Setting s(String name, String defaultValue, String meaning) {
        return Setting.of("core", SettingsSection.OAUTH2, name, defaultValue, meaning);
    }
}
