package io.ganserve.security;

import io.ganserve.api.problem.ProblemResponses;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.ArrayList;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * Says in the OpenAPI document which operations need a credential and how to send it, so Swagger
 * UI's Authorize button works: the same rule as {@link AccessRules} (writes always, reads when
 * they are private), with the 401 and 403 that {@link AccessProblems} answers.
 */
@Component
class ApiDocsSecurity implements OpenApiCustomizer {

    static final String API_KEY = "apiKey";
    static final String BEARER = "bearerJwt";

    private final SecurityProperties properties;

    ApiDocsSecurity(SecurityProperties properties) {
        this.properties = properties;
    }

    @Override
    public void customise(OpenAPI api) {
        if (api.getComponents() == null) {
            api.setComponents(new Components());
        }
        api.getComponents().addSecuritySchemes(API_KEY, new SecurityScheme()
                .type(SecurityScheme.Type.APIKEY).in(SecurityScheme.In.HEADER).name(ApiKeyAuthenticationFilter.HEADER)
                .description("An API key; or send it as Authorization: ApiKey <key>"));
        List<SecurityRequirement> either = new ArrayList<>();
        either.add(new SecurityRequirement().addList(API_KEY));
        if (properties.jwt().enabled()) {
            api.getComponents().addSecuritySchemes(BEARER, new SecurityScheme()
                    .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
                    .description("A JWT whose scope grants ganserve.write / ganserve.read / ganserve.metrics"));
            either.add(new SecurityRequirement().addList(BEARER));
        }
        if (properties.publicReads()) {
            // for the operations that name no requirement, the public reads: no credential needed,
            // one accepted (it is checked, and a sampling client is rate-limited by its key)
            List<SecurityRequirement> optional = new ArrayList<>();
            optional.add(new SecurityRequirement());
            optional.addAll(either);
            api.setSecurity(optional);
        }
        if (api.getPaths() == null) {
            return;
        }
        api.getPaths().values().forEach(path -> path.readOperationsMap().forEach((method, operation) -> {
            boolean read = method == PathItem.HttpMethod.GET || method == PathItem.HttpMethod.HEAD;
            // a credential that is sent is checked on public paths too
            ProblemResponses.add(operation, "401", "a credential is missing (where one is needed), unknown or revoked; "
                    + "WWW-Authenticate names the schemes");
            if (!read || !properties.publicReads()) {
                operation.setSecurity(either);
                ProblemResponses.add(operation, "403", "the credential lacks the role the operation needs; "
                        + "requiredRole names it");
            }
        }));
    }
}
