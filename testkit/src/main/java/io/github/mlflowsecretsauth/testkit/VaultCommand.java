package io.github.mlflowsecretsauth.testkit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mlflowsecretsauth.tracking.memory.internal.JsonHttp;
import io.github.mlflowsecretsauth.testkit.vault.TokenSpec;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code vault} command of {@link TestkitMain}: parses its options, starts a
 * {@link VaultServer} seeded with the given secrets and AppRoles, and reports the
 * {@code VAULT_ADDR}/{@code VAULT_CACERT} lines.
 *
 * <p>Not thread-safe: parse and start from one thread.
 */
final class VaultCommand {

    static final String USAGE = String.join(System.lineSeparator(),
            "Usage: java -jar mlflow-secrets-auth-testkit-all.jar vault [options]",
            "",
            "Starts a local HashiCorp Vault look-alike and runs until killed.",
            "Prints VAULT_ADDR=... (and VAULT_CACERT=... with --tls) once it is listening.",
            "",
            "Options:",
            "  --port N                 port on 127.0.0.1 (default 0: a free port)",
            "  --root-token T           root token (default: root)",
            "  --tls                    HTTPS with a self-signed certificate for localhost/127.0.0.1",
            "  --kv2 PATH=JSON          put a JSON object at PATH in a KV v2 mount,",
            "                           e.g. --kv2 'secret/mlflow/auth={\"token\":\"t0k3n\"}'",
            "                           (an unknown first path segment is mounted as KV v2)",
            "  --kv1-mount M            mount a KV v1 engine at M",
            "  --kv1 PATH=JSON          put a JSON object at PATH in a KV v1 mount",
            "                           (an unknown first path segment is mounted as KV v1)",
            "  --approle ROLE:SECRET    enable an AppRole with this role_id and secret_id",
            "                           (tokens: ttl 1h, renewable, all paths)",
            "  --namespace NS           declare a namespace (X-Vault-Namespace)",
            "  --ready-file FILE        also write the VAULT_* lines to FILE, atomically, once listening",
            "  --help                   show this help",
            "");

    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {};

    private int port;
    private String rootToken = "root";
    private boolean tls;
    private Path readyFile;
    private final Map<String, Integer> mounts = new LinkedHashMap<>(Map.of("secret/", 2));
    private final Map<String, ObjectNode> seeds = new LinkedHashMap<>();
    private final List<String[]> appRoles = new ArrayList<>();
    private final List<String> namespaces = new ArrayList<>();

    private VaultCommand() {}

    /** Parses the options after {@code vault}. */
    static VaultCommand parse(List<String> args) throws TestkitMain.UsageException {
        VaultCommand command = new VaultCommand();
        List<String[]> kv2 = new ArrayList<>();
        List<String[]> kv1 = new ArrayList<>();
        Iterator<String> it = args.iterator();
        while (it.hasNext()) {
            String option = it.next();
            switch (option) {
                case "--port" -> command.port = parsePort(value(it, option));
                case "--root-token" -> command.rootToken = nonBlank(value(it, option), option);
                case "--tls" -> command.tls = true;
                case "--kv2" -> kv2.add(splitOnce(value(it, option), '=', option, "PATH=JSON"));
                case "--kv1" -> kv1.add(splitOnce(value(it, option), '=', option, "PATH=JSON"));
                case "--kv1-mount" -> command.mounts.put(mountPath(value(it, option), option), 1);
                case "--approle" -> command.appRoles.add(splitOnce(value(it, option), ':', option,
                        "ROLE_ID:SECRET_ID"));
                case "--namespace" -> command.namespaces.add(nonBlank(value(it, option), option));
                case "--ready-file" -> command.readyFile = Path.of(nonBlank(value(it, option), option));
                default -> throw new TestkitMain.UsageException("unknown option '" + option + "'");
            }
        }
        for (String[] seed : kv1) {
            command.addSeed(seed, 1, "--kv1");
        }
        for (String[] seed : kv2) {
            command.addSeed(seed, 2, "--kv2");
        }
        return command;
    }

    Path readyFile() {
        return readyFile;
    }

    /** Starts the server with the parsed configuration and seeds. */
    VaultServer start() {
        VaultServer.Builder builder = VaultServer.builder().port(port).rootToken(rootToken).tls(tls);
        mounts.forEach(builder::kvMount);
        namespaces.forEach(builder::namespace);
        VaultServer server = builder.start();
        try {
            seeds.forEach((path, data) -> server.putSecret(path, JsonHttp.MAPPER.convertValue(data, JSON_OBJECT)));
            int index = 1;
            for (String[] role : appRoles) {
                server.addAppRole("testkit-role-" + index++, role[0], role[1], TokenSpec.defaults());
            }
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** The lines announcing a started server. */
    static List<String> readyLines(VaultServer server) {
        List<String> lines = new ArrayList<>();
        lines.add("VAULT_ADDR=" + server.address());
        if (server.tls()) {
            lines.add("VAULT_CACERT=" + server.caCertificatePem().toAbsolutePath());
        }
        return lines;
    }

    private void addSeed(String[] seed, int version, String option) throws TestkitMain.UsageException {
        String path = seed[0].strip().replaceAll("^/+", "");
        ObjectNode data;
        try {
            data = JsonHttp.parseObject(seed[1]);
        } catch (IllegalArgumentException e) {
            throw new TestkitMain.UsageException(option + " " + path + ": value is not a JSON object");
        }
        String mount = longestMount(path);
        if (mount == null) {
            int slash = path.indexOf('/');
            if (slash <= 0 || slash == path.length() - 1) {
                throw new TestkitMain.UsageException(option + " " + path + ": expected MOUNT/KEY");
            }
            mount = path.substring(0, slash + 1);
            mounts.put(mount, version);
        } else if (mounts.get(mount) != version) {
            throw new TestkitMain.UsageException(option + " " + path + ": mount " + mount + " is KV v"
                    + mounts.get(mount));
        }
        if (path.length() <= mount.length()) {
            throw new TestkitMain.UsageException(option + " " + path + ": expected MOUNT/KEY");
        }
        seeds.put(path, data);
    }

    private String longestMount(String path) {
        String best = null;
        for (String mount : mounts.keySet()) {
            if ((path + "/").startsWith(mount) && (best == null || mount.length() > best.length())) {
                best = mount;
            }
        }
        return best;
    }

    private static String value(Iterator<String> it, String option) throws TestkitMain.UsageException {
        if (!it.hasNext()) {
            throw new TestkitMain.UsageException(option + " needs a value");
        }
        return it.next();
    }

    private static String nonBlank(String value, String option) throws TestkitMain.UsageException {
        if (value.isBlank()) {
            throw new TestkitMain.UsageException(option + " must not be blank");
        }
        return value;
    }

    private static int parsePort(String value) throws TestkitMain.UsageException {
        try {
            int port = Integer.parseInt(value.strip());
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        throw new TestkitMain.UsageException("--port must be a number from 0 to 65535, not '" + value + "'");
    }

    private static String mountPath(String value, String option) throws TestkitMain.UsageException {
        String mount = value.strip().replaceAll("^/+|/+$", "");
        if (mount.isEmpty()) {
            throw new TestkitMain.UsageException(option + " must not be blank");
        }
        return mount + "/";
    }

    private static String[] splitOnce(String value, char separator, String option, String form)
            throws TestkitMain.UsageException {
        int at = value.indexOf(separator);
        if (at <= 0 || at == value.length() - 1) {
            // The value is not echoed: it may hold a secret.
            throw new TestkitMain.UsageException(option + " expects " + form);
        }
        return new String[] {value.substring(0, at), value.substring(at + 1)};
    }
}
