package io.ganserve.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ganserve.engine.precision.Precision;
import io.ganserve.engine.precision.PrecisionChoice;
import io.ganserve.gan.Architecture;
import io.ganserve.gan.LossKind;
import io.ganserve.jobs.JobStatus;
import io.ganserve.registry.DeviceKind;
import io.ganserve.registry.LearningRateSchedule;
import io.ganserve.registry.Metric;
import io.ganserve.registry.OptimizerKind;
import io.ganserve.sampling.latent.LatentPath;
import io.ganserve.security.Role;
import io.ganserve.support.HttpApi;
import io.ganserve.support.ServiceOnTempData;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAPI document against the code it describes: enum values are the enums' own, every
 * success has a schema, every error is problem+json, the error page is not an operation. Leaves
 * the document in target/openapi.json for scripts/lint-openapi.sh.
 */
class OpenApiTest extends ServiceOnTempData {

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final String PROBLEM_REF = "#/components/schemas/ProblemDetail";

    JsonNode docs;

    @BeforeEach
    void fetchAndKeep() throws IOException {
        HttpResponse<String> response = new HttpApi(port).anonymous().get("/v3/api-docs");
        assertThat(response.statusCode()).isEqualTo(200);
        docs = JSON.readTree(response.body());
        Path out = Path.of("target", "openapi.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, JSON.writeValueAsString(docs));
    }

    @Test
    void bodyEnumsAreTheEnumsJsonNames() {
        Map<String, Class<? extends Enum<?>>> fields = Map.ofEntries(
                Map.entry("JobRequest/architecture", Architecture.class),
                Map.entry("JobRequest/loss", LossKind.class),
                Map.entry("JobRequest/learningRateSchedule", LearningRateSchedule.class),
                Map.entry("JobRequest/device", DeviceKind.class),
                Map.entry("JobRequest/optimizer", OptimizerKind.class),
                Map.entry("JobRequest/keepBestBy", Metric.class),
                Map.entry("JobRequest/precision", PrecisionChoice.class),
                Map.entry("TrainingConfig/precision", Precision.class),
                Map.entry("EncoderRecord/precision", Precision.class),
                Map.entry("StopCondition/metric", Metric.class),
                Map.entry("TrainingConfig/architecture", Architecture.class),
                Map.entry("TrainingConfig/loss", LossKind.class),
                Map.entry("TrainingConfig/learningRateSchedule", LearningRateSchedule.class),
                Map.entry("TrainingConfig/device", DeviceKind.class),
                Map.entry("Variant/optimizer", OptimizerKind.class),
                Map.entry("EvaluationPlan/keepBestBy", Metric.class),
                Map.entry("JobView/status", JobStatus.class),
                Map.entry("ModelView/architecture", Architecture.class),
                Map.entry("ModelView/loss", LossKind.class),
                Map.entry("ProblemDetail/requiredRole", Role.class));
        fields.forEach((field, type) -> {
            JsonNode property = docs.at("/components/schemas/" + field.replace("/", "/properties/"));
            assertThat(strings(property.get("enum"))).as(field).containsExactlyElementsOf(jsonNames(type));
        });
        assertThat(strings(docs.at("/components/schemas/ProblemDetail/properties/roles/items/enum")))
                .containsExactlyElementsOf(jsonNames(Role.class));
        assertThat(jsonNames(LossKind.class)).as("the losses the document once left out")
                .contains("wgan", "wgan-gp", "hinge");
    }

    @Test
    void choiceParametersListWhatTheCheckAccepts() {
        Map<String, Class<? extends Enum<?>>> parameters = Map.of(
                "/samples format", SampleController.Format.class,
                "/samples checkpoint", SampleController.Checkpoint.class,
                "/interpolations format", SampleController.StripFormat.class,
                "/interpolations method", LatentPath.Method.class);
        parameters.forEach((where, type) -> {
            String[] pathAndName = where.split(" ");
            JsonNode parameter = parameter(pathAndName[0], pathAndName[1]);
            assertThat(strings(parameter.at("/schema/enum"))).as(where)
                    .containsExactlyElementsOf(InvalidParameterException.choices(type));
            assertThat(parameter.at("/schema/enum").toString()).as(where)
                    .contains(parameter.at("/schema/default").toString());
        });
    }

    /** Every enum in the document is one of the code's: none is a list kept by hand. */
    @Test
    void noOtherEnumsThanTheCodes() {
        Set<List<String>> known = new LinkedHashSet<>();
        for (Class<? extends Enum<?>> type : List.<Class<? extends Enum<?>>>of(Architecture.class, LossKind.class,
                LearningRateSchedule.class, DeviceKind.class, OptimizerKind.class, Metric.class, JobStatus.class, Role.class,
                Precision.class, PrecisionChoice.class)) {
            known.add(jsonNames(type));
        }
        for (Class<? extends Enum<?>> type : List.<Class<? extends Enum<?>>>of(SampleController.Format.class,
                SampleController.StripFormat.class, SampleController.Checkpoint.class, LatentPath.Method.class,
                InversionController.Format.class, io.ganserve.inversion.InversionService.Start.class,
                TranslationController.Format.class, io.ganserve.inversion.TranslationService.Direction.class)) {
            known.add(InvalidParameterException.choices(type));
        }
        List<String> found = new ArrayList<>();
        walk(docs, "", (where, node) -> {
            if (node.has("enum") && node.get("enum").isArray()) {
                assertThat(known).as(where).contains(strings(node.get("enum")));
                found.add(where);
            }
        });
        assertThat(found).hasSizeGreaterThanOrEqualTo(20);
    }

    @Test
    void everySuccessHasASchema() {
        operations((where, operation) -> {
            List<String> successes = new ArrayList<>();
            operation.get("responses").properties().forEach(e -> {
                if (e.getKey().startsWith("2")) {
                    successes.add(e.getKey());
                    JsonNode content = e.getValue().get("content");
                    assertThat(content).as(where + " " + e.getKey() + " content").isNotNull();
                    content.properties().forEach(media -> {
                        assertThat(media.getKey()).as(where).isNotEqualTo("*/*");
                        assertThat(media.getValue().get("schema")).as(where + " " + e.getKey() + " " + media.getKey())
                                .isNotNull();
                    });
                }
            });
            assertThat(successes).as(where).hasSize(1);
        });
        assertThat(docs.at("/paths/~1jobs~1{id}/get/responses/200/content/application~1json/schema/$ref").asString())
                .isEqualTo("#/components/schemas/JobView");
        assertThat(docs.at("/paths/~1jobs/post/responses/202/content/application~1json/schema/$ref").asString())
                .isEqualTo("#/components/schemas/JobView");
    }

    @Test
    void everyErrorIsAProblem() {
        operations((where, operation) -> {
            List<String> errors = new ArrayList<>();
            operation.get("responses").properties().forEach(e -> {
                if (e.getKey().startsWith("4") || e.getKey().startsWith("5")) {
                    errors.add(e.getKey());
                    JsonNode content = e.getValue().get("content");
                    assertThat(content.propertyNames()).as(where + " " + e.getKey()).containsExactly("application/problem+json");
                    assertThat(content.at("/application~1problem+json/schema/$ref").asString()).as(where + " " + e.getKey())
                            .isEqualTo(PROBLEM_REF);
                    if (e.getKey().equals("429") || e.getKey().equals("503")) {
                        assertThat(e.getValue().at("/headers/Retry-After").isMissingNode()).as(where + " " + e.getKey()).isFalse();
                    }
                }
            });
            // a credential that is sent is checked everywhere, so a 401 is always possible
            assertThat(errors).as(where).contains("401");
        });
        assertThat(errorsOf("/jobs", "post"))
                .containsExactly("400", "401", "403", "413", "415", "422", "429", "503", "507");
        assertThat(errorsOf("/jobs/{id}", "get")).containsExactly("401", "404", "503");
        assertThat(errorsOf("/jobs/{id}", "delete")).containsExactly("401", "403", "404", "409", "503");
        assertThat(errorsOf("/samples", "get")).containsExactly("400", "401", "404", "409", "422", "429", "503");
        assertThat(errorsOf("/datasets", "post")).containsExactly("400", "401", "403", "409", "413", "415", "507");

        JsonNode problem = docs.at("/components/schemas/ProblemDetail");
        assertThat(problem.get("properties").propertyNames()).contains("type", "title", "status", "detail", "instance",
                "field", "rule", "errors", "estimateBytes", "budgetBytes", "pool", "neededBytes", "freeBytes", "minFreeBytes",
                "job", "file", "requiredRole", "roles");
        assertThat(problem.get("properties").has("properties")).as("Spring's extension map is not a member").isFalse();
        assertThat(strings(problem.get("required"))).containsExactlyInAnyOrder("title", "status", "detail");
    }

    @Test
    void theErrorPageIsNoOperation() {
        assertThat(docs.get("paths").propertyNames()).isNotEmpty().noneMatch(path -> path.startsWith("/error"));
    }

    @Test
    void theApiIsNamedAndVersioned() {
        assertThat(docs.at("/info/title").asString()).isEqualTo("ganserve");
        assertThat(docs.at("/info/version").asString()).isNotBlank().doesNotContain("@").isNotEqualTo("v0");
    }

    private List<String> errorsOf(String path, String method) {
        List<String> errors = new ArrayList<>();
        docs.get("paths").get(path).get(method).get("responses").propertyNames().forEach(code -> {
            if (code.startsWith("4") || code.startsWith("5")) {
                errors.add(code);
            }
        });
        return errors;
    }

    private JsonNode parameter(String path, String name) {
        for (JsonNode parameter : docs.get("paths").get(path).get("get").get("parameters")) {
            if (parameter.get("name").asString().equals(name)) {
                return parameter;
            }
        }
        throw new AssertionError("no parameter " + name + " on " + path);
    }

    private void operations(BiConsumer<String, JsonNode> check) {
        docs.get("paths").properties().forEach(path -> path.getValue().properties().forEach(operation ->
                check.accept(operation.getKey().toUpperCase() + " " + path.getKey(), operation.getValue())));
    }

    private static void walk(JsonNode node, String where, BiConsumer<String, JsonNode> visit) {
        if (node.isObject()) {
            visit.accept(where, node);
            node.properties().forEach(e -> walk(e.getValue(), where + "/" + e.getKey(), visit));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), where + "/" + i, visit);
            }
        }
    }

    private static List<String> strings(JsonNode array) {
        assertThat(array).isNotNull();
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asString()));
        return values;
    }

    /** What the API's JSON says for each constant: the {@code @JsonValue} id, else the name. */
    private static List<String> jsonNames(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(c -> JSON.valueToTree(c).asString()).toList();
    }
}
