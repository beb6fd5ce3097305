package io.github.mlflowsecretsauth.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Kubernetes manifests strictly against the fabric8 API models: an unknown or misspelt field, a value of
 * the wrong type, a duplicate key or an unknown kind is refused with the file, the document and the path.
 *
 * <p>The fabric8 classes keep unknown fields in an {@code additionalProperties} map instead of failing, so
 * FAIL_ON_UNKNOWN_PROPERTIES alone lets them through: after binding, every model object is walked and a
 * non-empty map is an error.
 */
final class StrictManifests {
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "v1/ServiceAccount", ServiceAccount.class,
            "v1/Secret", Secret.class,
            "v1/ConfigMap", ConfigMap.class,
            "v1/Service", Service.class,
            "apps/v1/Deployment", Deployment.class,
            "batch/v1/Job", Job.class);

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** A manifest that is not valid against the models. */
    static final class InvalidManifest extends RuntimeException {
        InvalidManifest(String message) {
            super(message);
        }
    }

    private StrictManifests() {
    }

    /** Every document of a (multi-document) YAML file, bound to its model class. */
    static List<HasMetadata> read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<HasMetadata> out = new ArrayList<>();
        List<JsonNode> docs;
        try {
            docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(text).readAll();
        } catch (JacksonException e) {
            throw new InvalidManifest(file.getFileName() + ": not valid YAML: " + e.getOriginalMessage());
        }
        int index = 0;
        for (JsonNode doc : docs) {
            index++;
            if (doc == null || doc.isNull() || doc.isMissingNode()) {
                continue;
            }
            String where = file.getFileName() + " document " + index;
            String key = doc.path("apiVersion").asString("") + "/" + doc.path("kind").asString("");
            Class<? extends HasMetadata> type = KINDS.get(key);
            if (type == null) {
                throw new InvalidManifest(where + ": unknown apiVersion/kind " + key + " (known: " + KINDS.keySet() + ")");
            }
            HasMetadata resource;
            try {
                resource = YAML.treeToValue(doc, type);
            } catch (JacksonException e) {
                throw new InvalidManifest(where + " (" + key + "): " + e.getOriginalMessage() + " at " + e.getPathReference());
            }
            List<String> unknown = new ArrayList<>();
            unknownFields(resource, key, unknown, new IdentityHashMap<>());
            if (!unknown.isEmpty()) {
                throw new InvalidManifest(where + ": unknown fields " + unknown);
            }
            out.add(resource);
        }
        return out;
    }

    /** Collects the paths of every non-empty additionalProperties map under {@code value}. */
    private static void unknownFields(Object value, String path, List<String> found, Map<Object, Boolean> seen) {
        if (value == null || seen.put(value, Boolean.TRUE) != null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", found, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, found, seen));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Class<?> c = value.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                f.setAccessible(true);
                Object v;
                try {
                    v = f.get(value);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
                if (f.getName().equals("additionalProperties") && v instanceof Map<?, ?> extra) {
                    extra.keySet().forEach(k -> found.add(path + "." + k));
                } else {
                    unknownFields(v, path + "." + f.getName(), found, seen);
                }
            }
        }
    }
}
