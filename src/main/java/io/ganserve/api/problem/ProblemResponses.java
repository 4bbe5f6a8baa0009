package io.ganserve.api.problem;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.Map;
import java.util.TreeMap;

/**
 * Error responses in the OpenAPI document as the API writes them: {@link Problem#MEDIA_TYPE} with
 * the {@value #SCHEMA} schema. Shared by the customizers of the api and security packages, which
 * springdoc runs in no fixed order, so each adds its responses complete.
 */
public final class ProblemResponses {

    /** The component every error response refers to. */
    public static final String SCHEMA = "ProblemDetail";

    private ProblemResponses() {}

    public static Content content() {
        return new Content().addMediaType(Problem.MEDIA_TYPE,
                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + SCHEMA)));
    }

    /** Adds the response unless the operation already describes that status, keeping statuses in order. */
    public static void add(Operation operation, String status, String description) {
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        if (responses.containsKey(status)) {
            return;
        }
        Map<String, ApiResponse> sorted = new TreeMap<>(responses);
        sorted.put(status, new ApiResponse().description(description).content(content()));
        ApiResponses ordered = new ApiResponses();
        sorted.forEach(ordered::addApiResponse);
        ordered.setExtensions(responses.getExtensions());
        operation.setResponses(ordered);
    }
}
