package io.ganserve.api;

import io.ganserve.api.problem.ProblemResponses;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.IntegerSchema;
import java.util.Set;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * Makes the OpenAPI document say of errors what {@link ApiExceptionHandler} does: every one is
 * problem+json with the {@link ProblemBody} members, whatever the controller's return type (which
 * springdoc would otherwise attach to each declared error), and every 429 and 503 carries
 * {@code Retry-After}.
 */
@Component
class ApiDocs implements OpenApiCustomizer {

    private static final Set<String> RETRY_LATER = Set.of("429", "503");

    @Override
    public void customise(OpenAPI api) {
        if (api.getComponents() == null) {
            api.setComponents(new Components());
        }
        ModelConverters.getInstance(api.getSpecVersion() == SpecVersion.V31).readAll(ProblemBody.class)
                .forEach(api.getComponents()::addSchemas);
        if (api.getPaths() == null) {
            return;
        }
        api.getPaths().values().forEach(path -> path.readOperations().forEach(operation ->
                operation.getResponses().forEach((status, response) -> {
                    if (status.startsWith("4") || status.startsWith("5")) {
                        response.setContent(ProblemResponses.content());
                    }
                    if (RETRY_LATER.contains(status)) {
                        response.addHeaderObject(HttpHeaders.RETRY_AFTER, new Header()
                                .description("seconds to wait before asking again")
                                .schema(new IntegerSchema()));
                    }
                })));
    }
}
