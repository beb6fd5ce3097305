package io.github.mlflowsecretsauth.testkit.aws;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One secret in the {@link SecretStore}: name, ARN, versions, and which version each staging label
 * ({@code AWSCURRENT}, {@code AWSPREVIOUS}, {@code AWSPENDING}, custom ones) points at. Moving
 * {@code AWSCURRENT} hands {@code AWSPREVIOUS} to the version that had it, as AWS does.
 *
 * <p>Not thread-safe: the store guards every instance with its own lock.
 */
final class StoredSecret {
    static final String CURRENT = "AWSCURRENT";
    static final String PREVIOUS = "AWSPREVIOUS";

    final String name;
    final String arn;
    final String description;
    final Instant created;
    Instant lastChanged;
    Instant deleted;
    boolean decryptionFails;
    final Map<String, SecretVersion> versions = new LinkedHashMap<>();
    final Map<String, String> stages = new LinkedHashMap<>();

    StoredSecret(String name, String arn, String description, Instant created) {
        this.name = name;
        this.arn = arn;
        this.description = description;
        this.created = created;
        this.lastChanged = created;
    }

    /** Attaches {@code label} to {@code versionId}, moving AWSPREVIOUS along when AWSCURRENT moves. */
    void attach(String label, String versionId) {
        String from = stages.put(label, versionId);
        if (label.equals(CURRENT) && from != null && !from.equals(versionId)) {
            stages.put(PREVIOUS, from);
        }
    }

    List<String> stagesOf(String versionId) {
        List<String> out = new ArrayList<>();
        stages.forEach((label, id) -> {
            if (id.equals(versionId)) {
                out.add(label);
            }
        });
        return out;
    }

    Optional<SecretVersion> byStage(String label) {
        String id = stages.get(label);
        return id == null ? Optional.empty() : Optional.ofNullable(versions.get(id));
    }

    Map<String, List<String>> versionIdsToStages() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String id : versions.keySet()) {
            List<String> labels = stagesOf(id);
            if (!labels.isEmpty()) {
                out.put(id, labels);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "StoredSecret{" + name + ", versions=" + versions.size() + ", stages=" + stages + "}";
    }
}
