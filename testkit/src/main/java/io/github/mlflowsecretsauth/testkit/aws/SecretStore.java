package io.github.mlflowsecretsauth.testkit.aws;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The secrets of one {@link AwsServer} and the five Secrets Manager operations on them, with AWS's
 * semantics and error texts: version stages, idempotent client request tokens, secrets marked for
 * deletion, and a KMS decryption failure a test can switch on. Requests and answers are the JSON
 * members of the wire format ({@code SecretId}, {@code SecretBinary} as base64, dates as epoch
 * seconds).
 *
 * <p>Thread-safe: every method holds the store's lock.
 */
final class SecretStore {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9/_+=.@!-]{1,512}");
    private static final String SUFFIX_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private final Map<String, StoredSecret> byName = new LinkedHashMap<>();
    private final Clock clock;
    private final String region;
    private final String account;
    private final SecureRandom random = new SecureRandom();

    SecretStore(Clock clock, String region, String account) {
        this.clock = clock;
        this.region = region;
        this.account = account;
    }

    synchronized Map<String, Object> createSecret(JsonNode req) {
        String name = text(req, "Name").orElseThrow(() -> AwsError.invalidParameter("Name is required."));
        if (!NAME.matcher(name).matches()) {
            throw AwsError.invalidParameter("Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!");
        }
        if (byName.containsKey(name)) {
            throw new AwsError(400, "ResourceExistsException", "The operation failed because the secret " + name + " already exists.");
        }
        Value value = value(req, false);
        Instant now = clock.instant();
        StoredSecret s = new StoredSecret(name, "arn:aws:secretsmanager:" + region + ":" + account + ":secret:" + name + "-" + suffix(),
                text(req, "Description").orElse(null), now);
        byName.put(name, s);
        Map<String, Object> out = idOf(s);
        if (value != null) {
            String id = text(req, "ClientRequestToken").orElseGet(() -> UUID.randomUUID().toString());
            s.versions.put(id, new SecretVersion(id, value.text, value.binary, now));
            s.attach(StoredSecret.CURRENT, id);
            out.put("VersionId", id);
        }
        return out;
    }

    synchronized Map<String, Object> putSecretValue(JsonNode req) {
        StoredSecret s = live(req);
        Value value = value(req, true);
        List<String> stages = new ArrayList<>();
        req.path("VersionStages").forEach(n -> stages.add(n.asText()));
        if (stages.isEmpty()) {
            stages.add(StoredSecret.CURRENT);
        }
        Optional<String> token = text(req, "ClientRequestToken");
        if (token.isPresent() && s.versions.containsKey(token.get())) {
            SecretVersion existing = s.versions.get(token.get());
            if (!existing.sameValue(value.text, value.binary)) {
                throw new AwsError(400, "ResourceExistsException", "You can't modify an existing version, you can only create a new version.");
            }
        } else {
            String id = token.orElseGet(() -> UUID.randomUUID().toString());
            Instant now = clock.instant();
            s.versions.put(id, new SecretVersion(id, value.text, value.binary, now));
            stages.forEach(label -> s.attach(label, id));
            s.lastChanged = now;
            token = Optional.of(id);
        }
        Map<String, Object> out = idOf(s);
        out.put("VersionId", token.get());
        out.put("VersionStages", s.stagesOf(token.get()));
        return out;
    }

    synchronized Map<String, Object> getSecretValue(JsonNode req) {
        StoredSecret s = live(req);
        Optional<String> versionId = text(req, "VersionId");
        Optional<String> stage = text(req, "VersionStage");
        SecretVersion v;
        if (versionId.isPresent()) {
            v = s.versions.get(versionId.get());
            if (v == null) {
                throw AwsError.notFound("Secrets Manager can't find the specified secret value for VersionId: " + versionId.get());
            }
            if (stage.isPresent() && !s.stagesOf(v.versionId()).contains(stage.get())) {
                throw AwsError.invalidRequest("You provided a VersionStage that is not associated to the provided VersionId.");
            }
        } else {
            String label = stage.orElse(StoredSecret.CURRENT);
            v = s.byStage(label).orElseThrow(() -> AwsError.notFound(
                    "Secrets Manager can't find the specified secret value for staging label: " + label));
        }
        if (s.decryptionFails) {
            throw new AwsError(400, "DecryptionFailure", "Secrets Manager can't decrypt the protected secret text using the provided KMS key.");
        }
        Map<String, Object> out = idOf(s);
        out.put("VersionId", v.versionId());
        if (v.text() != null) {
            out.put("SecretString", v.text());
        } else {
            out.put("SecretBinary", Base64.getEncoder().encodeToString(v.binary()));
        }
        out.put("VersionStages", s.stagesOf(v.versionId()));
        out.put("CreatedDate", epochSeconds(v.created()));
        return out;
    }

    synchronized Map<String, Object> describeSecret(JsonNode req) {
        StoredSecret s = find(req);
        Map<String, Object> out = idOf(s);
        if (s.description != null) {
            out.put("Description", s.description);
        }
        out.put("LastChangedDate", epochSeconds(s.lastChanged));
        if (s.deleted != null) {
            out.put("DeletedDate", epochSeconds(s.deleted));
        }
        out.put("VersionIdsToStages", s.versionIdsToStages());
        out.put("CreatedDate", epochSeconds(s.created));
        return out;
    }

    synchronized Map<String, Object> updateSecretVersionStage(JsonNode req) {
        StoredSecret s = live(req);
        String stage = text(req, "VersionStage").orElseThrow(() -> AwsError.invalidParameter("VersionStage is required."));
        Optional<String> moveTo = text(req, "MoveToVersionId");
        Optional<String> removeFrom = text(req, "RemoveFromVersionId");
        String holder = s.stages.get(stage);
        if (moveTo.isPresent()) {
            if (!s.versions.containsKey(moveTo.get())) {
                throw AwsError.invalidParameter("The version " + moveTo.get() + " doesn't exist.");
            }
            if (holder != null && !holder.equals(moveTo.get())) {
                if (removeFrom.isEmpty()) {
                    throw AwsError.invalidParameter("The staging label " + stage + " is currently attached to version " + holder
                            + ", so you must explicitly reference that version in RemoveFromVersionId.");
                }
                if (!removeFrom.get().equals(holder)) {
                    throw AwsError.invalidParameter("The staging label " + stage + " is not attached to version " + removeFrom.get() + ".");
                }
            }
            s.attach(stage, moveTo.get());
        } else if (removeFrom.isPresent()) {
            if (stage.equals(StoredSecret.CURRENT)) {
                throw AwsError.invalidParameter("You can only move staging label AWSCURRENT to a different secret version. It can't be completely removed.");
            }
            if (!removeFrom.get().equals(holder)) {
                throw AwsError.invalidParameter("The staging label " + stage + " is not attached to version " + removeFrom.get() + ".");
            }
            s.stages.remove(stage);
        } else {
            throw AwsError.invalidParameter("You must specify MoveToVersionId or RemoveFromVersionId.");
        }
        s.lastChanged = clock.instant();
        return idOf(s);
    }

    /** The secret's name for an id (name, full ARN or ARN without its random suffix), if it exists. */
    synchronized Optional<String> nameOf(String secretId) {
        return Optional.ofNullable(lookup(secretId)).map(s -> s.name);
    }

    synchronized void markForDeletion(String name, boolean deleted) {
        require(name).deleted = deleted ? clock.instant() : null;
    }

    synchronized void failDecryption(String name, boolean fail) {
        require(name).decryptionFails = fail;
    }

    synchronized String arnOf(String name) {
        return require(name).arn;
    }

    synchronized Map<String, List<String>> versionIdsToStages(String name) {
        return require(name).versionIdsToStages();
    }

    private StoredSecret require(String name) {
        StoredSecret s = byName.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no secret named " + name);
        }
        return s;
    }

    private StoredSecret find(JsonNode req) {
        String id = text(req, "SecretId").orElseThrow(() -> AwsError.invalidParameter("SecretId is required."));
        StoredSecret s = lookup(id);
        if (s == null) {
            throw AwsError.notFound("Secrets Manager can't find the specified secret.");
        }
        return s;
    }

    private StoredSecret live(JsonNode req) {
        StoredSecret s = find(req);
        if (s.deleted != null) {
            throw AwsError.invalidRequest("You can't perform this operation on the secret because it was marked for deletion.");
        }
        return s;
    }

    private StoredSecret lookup(String id) {
        StoredSecret s = byName.get(id);
        if (s != null) {
            return s;
        }
        for (StoredSecret candidate : byName.values()) {
            if (candidate.arn.equals(id) || candidate.arn.substring(0, candidate.arn.length() - 7).equals(id)) {
                return candidate;
            }
        }
        return null;
    }

    private record Value(String text, byte[] binary) {
    }

    private static Value value(JsonNode req, boolean required) {
        Optional<String> text = text(req, "SecretString");
        Optional<String> binary = text(req, "SecretBinary");
        if (text.isPresent() && binary.isPresent()) {
            throw AwsError.invalidParameter("You can't specify both a binary secret value and a string secret value in the same secret.");
        }
        if (text.isEmpty() && binary.isEmpty()) {
            if (required) {
                throw AwsError.invalidRequest("You must provide either SecretString or SecretBinary.");
            }
            return null;
        }
        if (text.isPresent()) {
            return new Value(text.get(), null);
        }
        try {
            return new Value(null, Base64.getDecoder().decode(binary.get()));
        } catch (IllegalArgumentException e) {
            throw new AwsError(400, "SerializationException", "SecretBinary must be base64");
        }
    }

    private static Optional<String> text(JsonNode req, String field) {
        JsonNode n = req.get(field);
        return n == null || n.isNull() || n.asText().isEmpty() ? Optional.empty() : Optional.of(n.asText());
    }

    private static Map<String, Object> idOf(StoredSecret s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ARN", s.arn);
        out.put("Name", s.name);
        return out;
    }

    /** Epoch seconds with milliseconds, written plainly ({@code 1767225600.123}) as AWS does. */
    static BigDecimal epochSeconds(Instant t) {
        return BigDecimal.valueOf(t.toEpochMilli()).movePointLeft(3);
    }

    private String suffix() {
        StringBuilder sb = new StringBuilder(6);
        for (int i = 0; i < 6; i++) {
            sb.append(SUFFIX_CHARS.charAt(random.nextInt(SUFFIX_CHARS.length())));
        }
        return sb.toString();
    }
}
