package io.ganserve.api;

import io.ganserve.api.problem.Problem;
import io.ganserve.api.problem.ProblemResponses;
import io.ganserve.security.Role;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import java.util.List;

/**
 * The members of an error body, for the OpenAPI document only: the body is built by
 * {@link Problem}. Documenting Spring's ProblemDetail class instead would show its extension
 * map as a member named {@code properties}, which no body has; extension members are top-level.
 */
@Schema(name = ProblemResponses.SCHEMA, description = "An RFC 9457 problem. The extension members after "
        + "instance appear only on the errors that name them.")
record ProblemBody(
        @Schema(description = "the kind of error, a page under " + Problem.TYPE_BASE
                + "; absent on the errors Spring MVC answers itself (an unknown path, 405, 406, 415)", format = "uri",
                example = "https://ganserve.io/problems/invalid-job-request")
        String type,
        @Schema(description = "short and fixed per type", example = "Invalid job request", requiredMode = RequiredMode.REQUIRED)
        String title,
        @Schema(description = "the HTTP status", example = "400", requiredMode = RequiredMode.REQUIRED)
        int status,
        @Schema(description = "this occurrence: what was wrong", requiredMode = RequiredMode.REQUIRED,
                example = "batchSize: must be greater than or equal to 1, was 0")
        String detail,
        @Schema(description = "the request path", format = "uri-reference", example = "/jobs")
        String instance,
        @Schema(description = "bad input (400, 409, 413): the JSON field, query parameter or form part", example = "batchSize")
        String field,
        @Schema(description = "bad input: the rule the field broke", example = "must be greater than or equal to 1, was 0")
        String rule,
        @Schema(description = "an invalid job request: every field that broke a rule; the first is also in field and rule")
        List<ApiExceptionHandler.FieldProblem> errors,
        @Schema(description = "memory budget refusals (422, 503): what the work was priced at, in bytes")
        Long estimateBytes,
        @Schema(description = "memory budget refusals (422, 503): the budget, in bytes")
        Long budgetBytes,
        @Schema(description = "memory budget refusals (422): the budget's pool, native or heap", example = "native")
        String pool,
        @Schema(description = "a disk budget refusal (507 at POST /jobs): what the job's files need, in bytes")
        Long neededBytes,
        @Schema(description = "a disk budget refusal (507): the data directory's free space, in bytes")
        Long freeBytes,
        @Schema(description = "a disk budget refusal (507): what is kept free beyond it "
                + "(ganserve.resources.min-free-disk), in bytes")
        Long minFreeBytes,
        @Schema(description = "a damaged model file (409): the job it belongs to")
        String job,
        @Schema(description = "a damaged model file (409): its path under the data directory")
        String file,
        @Schema(description = "a missing role (403): the role the request needs")
        Role requiredRole,
        @Schema(description = "a missing role (403): the roles the credential has")
        List<Role> roles) {}
