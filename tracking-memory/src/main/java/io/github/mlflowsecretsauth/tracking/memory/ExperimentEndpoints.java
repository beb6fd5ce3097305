package io.github.mlflowsecretsauth.tracking.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mlflowsecretsauth.tracking.memory.SearchSyntax.Identifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The {@code experiments/*} endpoints: {@code create}, {@code get}, {@code get-by-name} and
 * {@code search} (filter on {@code name}, {@code creation_time}, {@code last_update_time},
 * {@code tags.*}; default order newest first).
 *
 * <p>Thread-safe: stateless apart from the thread-safe {@link TrackingStore}.
 */
final class ExperimentEndpoints {

    private static final int MAX_RESULTS_LIMIT = 50_000;

    private final TrackingStore store;

    ExperimentEndpoints(TrackingStore store) {
        this.store = store;
    }

    ObjectNode create(JsonNode message) {
        String name = JsonFields.requireString(message, "name");
        Map<String, String> tags = new LinkedHashMap<>();
        for (JsonNode tag : JsonFields.objects(message, "tags")) {
            tags.put(JsonFields.requireString(tag, "key"),
                    Objects.requireNonNullElse(JsonFields.string(tag, "value"), ""));
        }
        String id = store.createExperiment(name, JsonFields.string(message, "artifact_location"), tags);
        return MlflowJson.object().put("experiment_id", id);
    }

    ObjectNode get(JsonNode message) {
        return wrap(store.experiment(JsonFields.requireString(message, "experiment_id")));
    }

    ObjectNode getByName(JsonNode message) {
        String name = JsonFields.requireString(message, "experiment_name");
        return wrap(store.experimentByName(name).orElseThrow(
                () -> ApiError.notFound("Could not find experiment with name '" + name + "'")));
    }

    ObjectNode search(JsonNode message) {
        int maxResults = JsonFields.maxResults(message, 1000, MAX_RESULTS_LIMIT);
        String viewType = viewType(JsonFields.string(message, "view_type"));
        SearchFilter filter = SearchFilter.parse(JsonFields.string(message, "filter"), SearchSyntax.EXPERIMENTS);
        Comparator<ExperimentSnapshot> order = SearchOrder.parse(JsonFields.strings(message, "order_by"),
                SearchSyntax.EXPERIMENTS, ExperimentEndpoints::values,
                Comparator.comparingLong(ExperimentSnapshot::creationTime).reversed()
                        .thenComparing(experiment -> Long.parseLong(experiment.experimentId())));
        List<ExperimentSnapshot> found = new ArrayList<>();
        if (!viewType.equals("DELETED_ONLY")) {
            for (ExperimentSnapshot experiment : store.experiments()) {
                if (filter.matches(values(experiment))) {
                    found.add(experiment);
                }
            }
        }
        found.sort(order);
        ObjectNode response = MlflowJson.object();
        List<ObjectNode> page = Pages.page(found, message, maxResults, response).stream()
                .map(MlflowJson::experiment).toList();
        return MlflowJson.putArray(response, "experiments", page);
    }

    /** {@code ACTIVE_ONLY} (default), {@code DELETED_ONLY} or {@code ALL}, by name or number 1 to 3. */
    static String viewType(String value) {
        if (value == null || value.isEmpty()) {
            return "ACTIVE_ONLY";
        }
        List<String> names = List.of("ACTIVE_ONLY", "DELETED_ONLY", "ALL");
        String upper = value.toUpperCase(Locale.ROOT);
        if (names.contains(upper)) {
            return upper;
        }
        if (upper.matches("[123]")) {
            return names.get(Integer.parseInt(upper) - 1);
        }
        throw ApiError.invalidParameter("Invalid view type '" + value + "'. It must be one of " + names);
    }

    private static ObjectNode wrap(ExperimentSnapshot experiment) {
        ObjectNode response = MlflowJson.object();
        response.set("experiment", MlflowJson.experiment(experiment));
        return response;
    }

    private static Function<Identifier, Object> values(ExperimentSnapshot experiment) {
        return identifier -> switch (identifier.entity()) {
            case TAG -> experiment.tags().get(identifier.key());
            case ATTRIBUTE -> switch (identifier.key()) {
                case "name" -> experiment.name();
                case "experiment_id" -> experiment.experimentId();
                case "creation_time" -> experiment.creationTime();
                default -> experiment.lastUpdateTime();
            };
            default -> null;
        };
    }
}
