package io.github.mlflowsecretsauth.allowlist;

import io.github.mlflowsecretsauth.internal.Hosts;

import io.github.mlflowsecretsauth.error.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.util.Locale;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostAllowlistTest {
    private static final String VAR = "MLFLOW_SECRETS_ALLOWED_HOSTS";
    private static final String CANARY = "CANARY-s3cr3t-7f2a9c";

    private static boolean allows(String patterns, String url) {
        return HostAllowlist.parse(patterns, VAR).allows(URI.create(url));
    }

    // --- empty list -------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\t \n"})
    void emptyList_allowsEveryHost(String list) {
        HostAllowlist a = HostAllowlist.parse(list, VAR);
        assertThat(a.isRestricted()).isFalse();
        assertThat(a.allows(URI.create("https://anything.example.org/api"))).isTrue();
        assertThat(a.allows(URI.create("http://mlflow_server:5000/"))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {",", " , ,", ",,,", " ,\t, "})
    void listOfOnlyCommasAndBlanks_isConfigurationError(String list) {
        // set but naming no host: most likely a templating mistake, so it must not silently mean "every host"
        assertThatThrownBy(() -> HostAllowlist.parse(list, VAR))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith(VAR + " is set but lists no host")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CANARY));
        assertThatThrownBy(() -> HostAllowlist.parse(list, "MY_HOSTS"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("MY_HOSTS is set but lists no host");
    }

    @Test
    void listWithHostsAndEmptyItems_ignoresTheEmptyItems() {
        HostAllowlist a = HostAllowlist.parse(" ,mlflow.company.com,, ,nginx:80,", VAR);
        assertThat(a.patterns()).containsExactly("mlflow.company.com", "nginx:80");
        assertThat(a.allows(URI.create("https://mlflow.company.com/"))).isTrue();
        assertThat(a.allows(URI.create("https://evil.com/"))).isFalse();
    }

    @Test
    void nullList_allowsEveryHost() {
        assertThat(HostAllowlist.parse(null, VAR).allows(URI.create("http://x/"))).isTrue();
    }

    @Test
    void allowAll_allowsEveryHost_andIsNotRestricted() {
        HostAllowlist a = HostAllowlist.allowAll();
        assertThat(a.isRestricted()).isFalse();
        assertThat(a.allows(URI.create("https://evil.com/"))).isTrue();
        assertThat(a).hasToString("HostAllowlist{all hosts}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:///tmp/mlruns", "mailto:someone@example.com", "http:///no-host", "databricks"})
    void uriWithoutAuthority_isNeverAllowed_evenWithEmptyList(String url) {
        assertThat(HostAllowlist.allowAll().allows(URI.create(url))).isFalse();
        assertThat(allows("*", url)).isFalse();
    }

    // --- exact names and the FAQ's globs ----------------------------------------------------------

    @Test
    void exactHost_matchesOnlyThatHost() {
        assertThat(allows("mlflow.company.com", "https://mlflow.company.com/api/2.0/mlflow/experiments/search")).isTrue();
        assertThat(allows("mlflow.company.com", "https://mlflow.company.org/")).isFalse();
        assertThat(allows("mlflow.company.com", "https://other.company.com/")).isFalse();
    }

    @Test
    void exactHost_dotIsLiteral() {
        assertThat(allows("mlflow.company.com", "https://mlflowxcompany.com/")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://allowed.com.evil.com/", "https://evilallowed.com/", "https://sub.allowed.com/",
            "https://allowed.co/"})
    void exactHost_doesNotMatchLookalikes(String url) {
        assertThat(allows("allowed.com", url)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
            "https://mlflow.company.com/, true",
            "https://a.b.company.com/, true",
            "https://company.com/, false",
            "https://evilcompany.com/, false",
            "https://mlflow.company.com.evil.net/, false",
            "https://mlflow.company.org/, false"})
    void subdomainWildcard_matchesAnySubdomainOfCompanyCom(String url, boolean expected) {
        assertThat(allows("*.company.com", url)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
            "http://mlflow-prod/, true",
            "http://mlflow-staging:5000/, true",
            "http://mlflow-/, true",
            "http://mlflow/, false",
            "http://prod-mlflow-1/, false",
            "http://mlflowprod/, false"})
    void prefixWildcard_matchesHostsStartingWithMlflowDash(String url, boolean expected) {
        assertThat(allows("mlflow-*", url)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
            "https://api.foo.com/, true",
            "https://api.staging.eu.com/, true",
            "https://api.foo.org/, false",
            "https://www.api.foo.com/, false",
            "https://apix.foo.com/, false"})
    void middleWildcard_matchesApiAnythingCom(String url, boolean expected) {
        assertThat(allows("api.*.com", url)).isEqualTo(expected);
    }

    @Test
    void questionMark_matchesExactlyOneCharacter() {
        assertThat(allows("mlflow?", "http://mlflow1/")).isTrue();
        assertThat(allows("mlflow?", "http://mlflow/")).isFalse();
        assertThat(allows("mlflow?", "http://mlflow12/")).isFalse();
    }

    @Test
    void characterClass_andNegatedClass() {
        assertThat(allows("node[12].local", "http://node1.local/")).isTrue();
        assertThat(allows("node[12].local", "http://node3.local/")).isFalse();
        assertThat(allows("node[!12].local", "http://node3.local/")).isTrue();
        assertThat(allows("node[!12].local", "http://node1.local/")).isFalse();
        assertThat(allows("node[a-c]", "http://nodeb/")).isTrue();
        assertThat(allows("node[a-c]", "http://noded/")).isFalse();
    }

    @Test
    void characterClassAtStartOfPattern_isAGlob() {
        assertThat(allows("[ab]c.company.com", "https://ac.company.com/")).isTrue();
        assertThat(allows("[ab]c.company.com", "https://cc.company.com/")).isFalse();
    }

    @Test
    void unclosedBracket_isLiteral() {
        assertThat(allows("node[1", "http://node1/")).isFalse();
    }

    @Test
    void multiplePatterns_anyMayMatch() {
        String list = "mlflow.prod.com, *.staging.com ,localhost";
        assertThat(allows(list, "https://mlflow.prod.com/")).isTrue();
        assertThat(allows(list, "https://x.staging.com/")).isTrue();
        assertThat(allows(list, "http://localhost:5000/")).isTrue();
        assertThat(allows(list, "https://mlflow.dev.com/")).isFalse();
    }

    @Test
    void star_allowsEveryHostWithAnAuthority() {
        assertThat(allows("*", "https://anything.example/")).isTrue();
        assertThat(HostAllowlist.parse("*", VAR).isRestricted()).isTrue();
    }

    // --- case-insensitivity and normalisation -----------------------------------------------------

    @Test
    void matching_isCaseInsensitiveBothWays() {
        assertThat(allows("MLflow.Company.COM", "https://mlflow.company.com/")).isTrue();
        assertThat(allows("mlflow.company.com", "https://MLFLOW.COMPANY.COM/")).isTrue();
        assertThat(allows("*.Company.com", "https://Tracking.COMPANY.com/")).isTrue();
        assertThat(allows("NGINX:80", "HTTP://NGINX/")).isTrue();
    }

    @Test
    void trailingDotInUrlHost_isIgnored() {
        assertThat(allows("mlflow.company.com", "https://mlflow.company.com./")).isTrue();
        assertThat(allows("*.company.com", "https://x.company.com./")).isTrue();
        assertThat(allows("company.com", "https://evil.com./")).isFalse();
    }

    @Test
    void trailingDotInPattern_isIgnored() {
        assertThat(allows("mlflow.company.com.", "https://mlflow.company.com/")).isTrue();
        assertThat(allows("mlflow.company.com.", "https://mlflow.company.com./")).isTrue();
        assertThat(allows("mlflow.company.com.", "https://mlflow.company.com.evil.net/")).isFalse();
        assertThat(allows("*.company.com.", "https://x.company.com/")).isTrue();
        assertThat(allows("*.company.com.", "https://company.com/")).isFalse();
        assertThat(allows("nginx.:80", "http://nginx/")).isTrue();
        assertThat(allows("nginx.:80", "http://nginx:8080/")).isFalse();
        assertThat(allows("mlflow_server.:5000", "http://mlflow_server:5000/")).isTrue();
    }

    @Test
    void patternThatIsOnlyADot_hasNoHostPart() {
        assertThatThrownBy(() -> HostAllowlist.parse(".", VAR))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith(VAR + ": ")
                .hasMessageContaining("no host part");
        assertThatThrownBy(() -> HostAllowlist.parse(".:80", VAR))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("no host part");
    }

    @Test
    void patterns_areTrimmedAndLowerCased() {
        HostAllowlist a = HostAllowlist.parse("  MLflow.Company.com , NGINX:80 ", VAR);
        assertThat(a.patterns()).containsExactly("mlflow.company.com", "nginx:80");
        assertThat(a).hasToString("HostAllowlist[mlflow.company.com, nginx:80]");
        assertThat(a.isRestricted()).isTrue();
    }

    // --- ports ------------------------------------------------------------------------------------

    @Test
    void portPattern_matchesExplicitPort() {
        assertThat(allows("nginx:80", "http://nginx:80/")).isTrue();
    }

    @Test
    void portPattern_matchesSchemeDefaultPort() {
        assertThat(allows("nginx:80", "http://nginx/")).isTrue();
        assertThat(allows("nginx:80", "http://nginx/api/2.0/mlflow/runs/create")).isTrue();
    }

    @Test
    void portPattern_rejectsOtherPort() {
        assertThat(allows("nginx:80", "http://nginx:8080/")).isFalse();
        assertThat(allows("nginx:80", "http://nginx:81/")).isFalse();
    }

    @Test
    void portPattern_httpsDefaultIs443() {
        assertThat(allows("nginx:80", "https://nginx/")).isFalse();
        assertThat(allows("mlflow.company.com:443", "https://mlflow.company.com/")).isTrue();
        assertThat(allows("mlflow.company.com:443", "https://mlflow.company.com:443/")).isTrue();
        assertThat(allows("mlflow.company.com:443", "http://mlflow.company.com/")).isFalse();
        assertThat(allows("mlflow.company.com:443", "https://mlflow.company.com:8443/")).isFalse();
    }

    @Test
    void patternWithoutPort_matchesAnyPort() {
        assertThat(allows("nginx", "http://nginx:8080/")).isTrue();
        assertThat(allows("nginx", "https://nginx:1/")).isTrue();
        assertThat(allows("nginx", "http://nginx/")).isTrue();
    }

    @Test
    void globWithPort_needsBoth() {
        assertThat(allows("*.company.com:8443", "https://a.company.com:8443/")).isTrue();
        assertThat(allows("*.company.com:8443", "https://a.company.com/")).isFalse();
        assertThat(allows("*.company.com:8443", "https://a.other.com:8443/")).isFalse();
    }

    @Test
    void portPattern_withUnknownScheme_needsExplicitPort() {
        assertThat(allows("host:80", "ftp://host/")).isFalse();
        assertThat(allows("host:21", "ftp://host:21/")).isTrue();
    }

    // --- IPv6 -------------------------------------------------------------------------------------

    @Test
    void ipv6WithPort_matchesOnlyThatPort() {
        assertThat(allows("[::1]:8080", "http://[::1]:8080/")).isTrue();
        assertThat(allows("[::1]:8080", "http://[::1]:9090/")).isFalse();
        assertThat(allows("[::1]:8080", "http://[::2]:8080/")).isFalse();
    }

    @Test
    void ipv6InBracketsWithoutPort_matchesAnyPort() {
        assertThat(allows("[::1]", "http://[::1]:8080/")).isTrue();
        assertThat(allows("[::1]", "http://[::1]/")).isTrue();
    }

    @Test
    void bareIpv6_matches() {
        assertThat(allows("::1", "http://[::1]:5000/")).isTrue();
        assertThat(allows("fe80::1", "http://[FE80::1]/")).isTrue();
        assertThat(allows("fe80::1", "http://[fe80::2]/")).isFalse();
    }

    @Test
    void ipv6PatternWithDefaultPort() {
        assertThat(allows("[::1]:80", "http://[::1]/")).isTrue();
        assertThat(allows("[::1]:80", "https://[::1]/")).isFalse();
    }

    @Test
    void ipv4_matchesLiteralAndGlob() {
        assertThat(allows("127.0.0.1", "http://127.0.0.1:5000/")).isTrue();
        assertThat(allows("10.0.0.*", "http://10.0.0.7/")).isTrue();
        assertThat(allows("10.0.0.*", "http://10.0.1.7/")).isFalse();
    }

    // --- host names java.net.URI cannot parse as server names (underscores) -----------------------

    @Test
    void underscoreHost_isRegistryAuthorityInJavaNetUri() {
        // the reason the allowlist needs its own fallback parsing
        assertThat(URI.create("http://mlflow_server:5000/").getHost()).isNull();
    }

    @Test
    void underscoreHost_withPort_matches() {
        assertThat(allows("mlflow_server:5000", "http://mlflow_server:5000/")).isTrue();
        assertThat(allows("mlflow_server:5000", "http://mlflow_server:5001/")).isFalse();
        assertThat(allows("mlflow_server", "http://mlflow_server:5000/api")).isTrue();
        assertThat(allows("mlflow_*", "http://MLFLOW_Server:5000/")).isTrue();
    }

    @Test
    void underscoreHost_withoutPort_usesDefaultPort() {
        assertThat(allows("mlflow_server:80", "http://mlflow_server/")).isTrue();
        assertThat(allows("mlflow_server:443", "http://mlflow_server/")).isFalse();
    }

    @Test
    void underscoreHost_otherHostNotAllowed() {
        assertThat(allows("mlflow_server", "http://other_server:5000/")).isFalse();
    }

    // --- URL tricks -------------------------------------------------------------------------------

    @Test
    void userInfoTrick_allowedNameBeforeAt_isNotAllowed() {
        assertThat(allows("allowed.com", "http://allowed.com@evil.com/")).isFalse();
        assertThat(allows("allowed.com", "http://allowed.com:80@evil.com/")).isFalse();
        assertThat(allows("allowed.com", "http://user:pw@allowed.com.evil.com/")).isFalse();
    }

    @Test
    void userInfoTrick_withUnderscoreHost_isNotAllowed() {
        assertThat(allows("allowed.com", "http://allowed.com@evil_host.com/")).isFalse();
        assertThat(allows("allowed.com:80", "http://allowed.com:80@evil_host.com/")).isFalse();
    }

    @Test
    void userInfo_onAllowedHost_isStillAllowedHost() {
        assertThat(allows("allowed.com", "http://user:pw@allowed.com/")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://evil.com/?x=allowed.com", "http://evil.com/allowed.com", "http://evil.com/#@allowed.com",
            "http://evil.com/?@allowed.com", "http://evil.com:80/allowed.com:80"})
    void allowedNameInPathQueryOrFragment_isNotAllowed(String url) {
        assertThat(allows("allowed.com,allowed.com:80", url)).isFalse();
    }

    // --- memoisation ------------------------------------------------------------------------------

    @Test
    void decisions_areStableAcrossRepeatedCalls() {
        HostAllowlist a = HostAllowlist.parse("nginx:80", VAR);
        for (int i = 0; i < 3; i++) {
            assertThat(a.allows(URI.create("http://nginx/"))).isTrue();
            assertThat(a.allows(URI.create("http://nginx:8080/"))).isFalse();
            assertThat(a.allows(URI.create("https://nginx/"))).isFalse();
        }
    }

    @Test
    void decisions_remainCorrectBeyondTheMemoLimit() {
        HostAllowlist a = HostAllowlist.parse("host-1*", VAR);
        for (int i = 0; i < 10_000; i++) {
            boolean expected = Integer.toString(i).startsWith("1");
            assertThat(a.allows(URI.create("http://host-" + i + "/"))).as("host-%d", i).isEqualTo(expected);
        }
        assertThat(a.allows(URI.create("http://host-1/"))).isTrue();
        assertThat(a.allows(URI.create("http://host-2/"))).isFalse();
    }

    @Test
    void decisions_areCorrectUnderConcurrentUse() {
        HostAllowlist a = HostAllowlist.parse("*.company.com:443", VAR);
        long wrong = IntStream.range(0, 20_000).parallel().filter(i -> {
            boolean good = i % 2 == 0;
            URI u = URI.create(good ? "https://h" + (i % 300) + ".company.com/" : "https://h" + (i % 300) + ".evil.com/");
            return a.allows(u) != good;
        }).count();
        assertThat(wrong).isZero();
    }

    // --- invalid patterns -------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"https://mlflow.company.com", "http://nginx:80", "mlflow.company.com/api", "user@mlflow.company.com",
            "mlflow company.com", "https://" + CANARY + ".company.com", "mlflow.company.com/" + CANARY,
            CANARY + "@mlflow.company.com", "mlflow " + CANARY, "https://admin:" + CANARY + "@mlflow.company.com:443/api"})
    void patternWithSchemePathUserInfoOrSpace_isConfigurationErrorWithoutEchoingIt(String p) {
        assertThatThrownBy(() -> HostAllowlist.parse("ok.com," + p, VAR))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(VAR + ": an entry holds a scheme, path, user info or space: use host or host:port globs "
                        + "such as mlflow.company.com, *.company.com or nginx:80")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContainIgnoringCase(CANARY)
                        .doesNotContain(p.toLowerCase(Locale.ROOT)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"nginx:0", "nginx:65536", "nginx:http", "nginx:", "nginx:-1", "[::1]:x", "[::1]:99999",
            "nginx:+80", "nginx:+443", "nginx:123456", "nginx:99999999999", "nginx:0x50", "nginx:8_0", "[::1]:+80",
            "nginx:\uFF18\uFF10", "nginx:\u0668\u0660"})
    void patternWithBadPort_isConfigurationError(String p) {
        assertThatThrownBy(() -> HostAllowlist.parse(p, VAR))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith(VAR + ": ")
                .hasMessageContaining("invalid port")
                .hasMessageContaining("1 to 65535")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContainIgnoringCase(CANARY));
    }

    @Test
    void ipv6PatternWithPortButNoColon_isConfigurationError() {
        assertThatThrownBy(() -> HostAllowlist.parse("[::1]80", VAR))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith(VAR + ": ");
    }

    @Test
    void patternWithoutHost_isConfigurationError() {
        assertThatThrownBy(() -> HostAllowlist.parse(":80", VAR))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith(VAR + ": ")
                .hasMessageContaining("no host part")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContainIgnoringCase(CANARY));
    }

    @Test
    void unclosedIpv6Bracket_isConfigurationError() {
        assertThatThrownBy(() -> HostAllowlist.parse("[::1:8080", VAR))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith(VAR + ": ")
                .hasMessageContaining("unclosed IPv6 bracket")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContainIgnoringCase(CANARY));
    }

    @Test
    void errors_nameTheVariableGivenByTheCaller() {
        assertThatThrownBy(() -> HostAllowlist.parse("nginx:0", "MY_HOSTS"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("MY_HOSTS: ");
    }

    @Test
    void patternWithUserInfo_errorDoesNotEchoThePassword() {
        assertThatThrownBy(() -> HostAllowlist.parse("https://admin:" + CANARY + "@mlflow.company.com", VAR))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith(VAR + ": ")
                .hasMessageContaining("an entry holds a scheme, path, user info or space")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContainIgnoringCase(CANARY).doesNotContain("admin"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"host[]", "host[!]", "node[z-a]", "node[z-a].local", "*.[]x.company.com", "node[9-0]:8080"})
    void malformedBracketClass_isConfigurationError(String p) {
        assertThatThrownBy(() -> HostAllowlist.parse(p, VAR))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith(VAR + ": ")
                .hasMessageContaining("is not a valid glob")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContainIgnoringCase(CANARY));
        assertThatThrownBy(() -> HostAllowlist.parse("ok.com, " + p, "MY_HOSTS"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("MY_HOSTS: ");
    }

    // --- static helpers ---------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({
            "http://Host.Example.COM/, host.example.com",
            "http://[::1]:8080/, ::1",
            "http://mlflow_server:5000/, mlflow_server",
            "http://allowed.com@evil_host.com/, evil_host.com",
            "https://mlflow.company.com./, mlflow.company.com",
            "http://user:pw@MLflow_X:1/, mlflow_x"})
    void hostOf_returnsLowerCaseHostWithoutBracketsUserInfoOrTrailingDot(String url, String host) {
        assertThat(Hosts.hostOf(URI.create(url))).contains(host);
    }

    @Test
    void hostOf_withoutAuthority_isEmpty() {
        assertThat(Hosts.hostOf(URI.create("file:///x"))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
            "http://h/, 80",
            "HTTP://h/, 80",
            "https://h/, 443",
            "ws://h/, 80",
            "wss://h/, 443",
            "ftp://h/, -1",
            "http://h:8080/, 8080",
            "https://h:80/, 80",
            "http://mlflow_server:5000/, 5000",
            "http://mlflow_server/, 80",
            "https://mlflow_server/, 443"})
    void effectivePort_isExplicitElseSchemeDefault(String url, int port) {
        assertThat(Hosts.effectivePort(URI.create(url))).isEqualTo(port);
    }

    @Test
    void nonAsciiHosts_neverMatch_evenWhenJavaCaseFoldingWouldMapThemOntoAnAllowedName() {
        HostAllowlist a = HostAllowlist.parse("kube.example.com,mlflow.example.com", "MLFLOW_SECRETS_ALLOWED_HOSTS");
        assertThat(a.allows(java.net.URI.create("https://\u212aube.example.com/api"))).isFalse(); // KELVIN SIGN lower-cases to k
        assertThat(a.allows(java.net.URI.create("https://mlfl\u0131w.example.com/api"))).isFalse();
        assertThat(a.allows(java.net.URI.create("https://KUBE.example.com/api"))).isTrue();
    }
}
