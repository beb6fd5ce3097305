package io.github.mlflowsecretsauth.tracking.memory;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads fields of an MLflow request message (a JSON body, or query parameters turned into JSON),
 * as MLflow's protobuf parser does: int64 fields may be JSON numbers or strings (the official
 * Java client sends strings), doubles may also be {@code "NaN"} or {@code "Infinity"}, an absent
 * field and a JSON {@code null} are the same.
 *
 * <p>Thread-safe: stateless.
 */
final class JsonFields {

    private JsonFields() {}

    /** A string field, or {@code null} when absent; numbers and booleans are given as text. */
    static String string(JsonNode message, String field) {
        JsonNode node = message.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isContainerNode()) {
            throw invalid(field, node);
        }
        return node.asText();
    }

    /** A required, non-empty string field. */
    static String requireString(JsonNode message, String field) {
        String value = string(message, field);
        if (value == null || value.isEmpty()) {
            throw ApiError.missing(field);
        }
        return value;
    }

    /** {@code run_id}, or the deprecated {@code run_uuid} that clients still send. */
    static String runId(JsonNode message) {
        String runId = string(message, "run_id");
        if (runId == null || runId.isEmpty()) {
            runId = string(message, "run_uuid");
        }
        if (runId == null || runId.isEmpty()) {
            throw ApiError.missing("run_id");
        }
        return runId;
    }

    /** An int64 field given as a JSON integer or a string of digits, or {@code null} when absent. */
    static Long int64(JsonNode message, String field) {
        JsonNode node = message.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.asLong();
        }
        if (node.isTextual()) {
            try {
                return Long.parseLong(node.asText().strip());
            } catch (NumberFormatException e) {
                throw invalid(field, node);
            }
        }
        if (node.isFloatingPointNumber() && node.asDouble() == Math.rint(node.asDouble())) {
            return (long) node.asDouble();
        }
        throw invalid(field, node);
    }

    /** A required int64 field. */
    static long requireInt64(JsonNode message, String field) {
        Long value = int64(message, field);
        if (value == null) {
            throw ApiError.missing(field);
        }
        return value;
    }

    /** A required double: a JSON number or a string such as {@code "0.5"}, {@code "NaN"}, {@code "-Infinity"}. */
    static double requireDouble(JsonNode message, String field) {
        JsonNode node = message.get(field);
        if (node == null || node.isNull()) {
            throw ApiError.missing(field);
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isTextual()) {
            try {
                return Double.parseDouble(node.asText().strip());
            } catch (NumberFormatException e) {
                throw invalid(field, node);
            }
        }
        throw invalid(field, node);
    }

    /** A repeated string field; a single string counts as a list of one (as query parameters do). */
    static List<String> strings(JsonNode message, String field) {
        JsonNode node = message.get(field);
        List<String> values = new ArrayList<>();
        if (node == null || node.isNull()) {
            return values;
        }
        if (!node.isArray()) {
            values.add(string(message, field));
            return values;
        }
        for (JsonNode item : node) {
            if (item.isContainerNode() || item.isNull()) {
                throw invalid(field, node);
            }
            values.add(item.asText());
        }
        return values;
    }

    /** A repeated message field: the array's objects; absent gives an empty list. */
    static List<JsonNode> objects(JsonNode message, String field) {
        JsonNode node = message.get(field);
        List<JsonNode> values = new ArrayList<>();
        if (node == null || node.isNull()) {
            return values;
        }
        if (!node.isArray()) {
            throw invalid(field, node);
        }
        for (JsonNode item : node) {
            if (!item.isObject()) {
                throw invalid(field, node);
            }
            values.add(item);
        }
        return values;
    }

    /** {@code max_results}: default when absent, at least 1 and at most {@code limit}. */
    static int maxResults(JsonNode message, int defaultValue, int limit) {
        Long value = int64(message, "max_results");
        if (value == null) {
            return defaultValue;
        }
        if (value < 1 || value > limit) {
            throw ApiError.invalidParameter("Invalid value " + value + " for parameter 'max_results' supplied."
                    + " It must be between 1 and " + limit + ".");
        }
        return value.intValue();
    }

    private static ApiError invalid(String field, JsonNode node) {
        return ApiError.invalidParameter("Invalid value " + node + " for parameter '" + field
                + "' supplied. See the API docs for more information about request parameters.");
    }
}
