package io.ganserve.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ganserve.support.HttpApi;
import io.ganserve.support.ServiceOnTempData;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Every client error the API promises, over real HTTP: status, problem+json body naming the field
 * and the rule, and a service that still answers afterwards.
 */
class ApiErrorsTest extends ServiceOnTempData {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("ganserve.datasets.mnist-dir", () -> data.resolve("no-mnist").toString());
    }

    HttpApi api;

    @BeforeEach
    void client() {
        api = new HttpApi(port);
    }

    @AfterEach
    void serviceStillServes() {
        assertThat(api.get("/jobs").statusCode()).isEqualTo(200);
        assertThat(api.get("/models").statusCode()).isEqualTo(200);
    }

    private JsonNode problem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode body = api.json(response);
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("title").asString()).isNotBlank();
        assertThat(body.get("detail").asString()).isNotBlank();
        return body;
    }

    private void assertField(JsonNode problem, String field, String ruleFragment) {
        assertThat(problem.get("field").asString()).isEqualTo(field);
        assertThat(problem.get("rule").asString()).contains(ruleFragment);
    }

    @Test
    void missingDatasetSaysWhereTheServiceLooked() {
        JsonNode p = problem(api.post("/jobs", "{\"dataset\":\"mnist\"}"), 400);
        assertField(p, "dataset", data.resolve("no-mnist").toString());
        JsonNode folder = problem(api.post("/jobs", "{\"dataset\":\"my-pictures\"}"), 400);
        assertField(folder, "dataset", data.resolve("datasets").toString());
    }

    @Test
    void unknownLossAndArchitectureListTheChoices() {
        assertField(problem(api.post("/jobs", "{\"dataset\":\"ring8\",\"loss\":\"wasserstein-ish\"}"), 400),
                "loss", "non-saturating");
        assertField(problem(api.post("/jobs", "{\"dataset\":\"ring8\",\"architecture\":\"resnet\"}"), 400),
                "architecture", "dcgan");
    }

    @Test
    void anUnknownPrecisionOrOneOfAnotherTypeIsRefusedNamingTheChoices() {
        int jobsBefore = api.json(api.get("/jobs")).size();
        JsonNode fp16 = problem(api.post("/jobs", "{\"dataset\":\"ring8\",\"precision\":\"fp16\"}"), 400);
        assertField(fp16, "precision", "unknown precision 'fp16'; expected one of [auto, float32, bfloat16]");
        // as for loss and the other named choices: no number or boolean is a choice, an enum's index neither
        for (String notText : new String[] {"16", "1", "0", "true", "32.0"}) {
            assertField(problem(api.post("/jobs", "{\"dataset\":\"ring8\",\"precision\":" + notText + "}"), 400),
                    "precision", "expected one of [auto, float32, bfloat16]");
        }
        assertField(problem(api.post("/jobs", "{\"dataset\":\"ring8\",\"precision\":\"\"}"), 400),
                "precision", "expected one of [auto, float32, bfloat16]");
        // the form's preview names the field the same way
        assertField(problem(api.post("/jobs/preview", "{\"dataset\":\"ring8\",\"precision\":\"half\"}"), 400),
                "precision", "expected one of [auto, float32, bfloat16]");
        assertThat(api.json(api.get("/jobs")).size()).as("no job was queued").isEqualTo(jobsBefore);
    }

    @Test
    void outOfRangeNumbersNameTheirBounds() {
        assertField(problem(api.post("/jobs", "{\"dataset\":\"ring8\",\"batchSize\":0}"), 400), "batchSize", "1");
        assertField(problem(api.post("/jobs", "{\"dataset\":\"ring8\",\"steps\":2000000}"), 400), "steps", "1000000");
        assertField(problem(api.post("/jobs", "{\"dataset\":\"ring8\",\"beta1\":1.5}"), 400), "beta1", "1");
    }

    @Test
    void combinationsThatDoNotFitAreRefused() {
        assertField(problem(api.post("/jobs", "{\"dataset\":\"ring8\",\"architecture\":\"dcgan\"}"), 400),
                "architecture", "image dataset");
        // this machine has no GPU; a job asking for one is refused up front, not failed later
        assertField(problem(api.post("/jobs", "{\"dataset\":\"ring8\",\"device\":\"gpu\"}"), 400), "device", "no GPU");
        assertField(problem(api.post("/jobs", "{\"dataset\":\"ring8\",\"device\":\"tpu\"}"), 400), "device", "cpu");
    }

    @Test
    void evaluationMetricsMustBeOnesTheDatasetIsScoredBy() {
        assertField(problem(api.post("/jobs", "{\"dataset\":\"ring8\",\"stopWhen\":{\"metric\":\"modes\"}}"), 400),
                "stopWhen", "below or above");
        assertField(problem(api.post("/jobs", "{\"dataset\":\"ring8\",\"stopWhen\":{\"metric\":\"fd\",\"below\":5}}"),
                400), "stopWhen.metric", "modes, hq and kl");
        assertField(problem(api.post("/jobs", "{\"dataset\":\"grid25\",\"keepBestBy\":\"parzen\"}"), 400),
                "keepBestBy", "image score");
    }

    @Test
    void malformedJsonWrongTypesAndUnknownFields() {
        JsonNode malformed = problem(api.post("/jobs", "{\"dataset\": \"ring8\""), 400);
        assertThat(malformed.get("title").asString()).isEqualTo("Malformed JSON");
        assertField(problem(api.post("/jobs", "{\"dataset\":\"ring8\",\"steps\":\"many\"}"), 400), "steps", "integer");
        assertField(problem(api.post("/jobs", "{\"dataset\":\"ring8\",\"stepz\":10}"), 400), "stepz", "not a known field");
        assertField(problem(api.post("/jobs", "{}"), 400), "dataset", "blank");
    }

    /** Jackson would coerce each of these into a value the client never wrote; docs/api.md promises a 400. */
    @Test
    void wrongTypesAreRefusedNotCoerced() {
        int jobsBefore = api.json(api.get("/jobs")).size();
        assertField(problem(api.post("/jobs", "{\"dataset\":\"ring8\",\"steps\":1.5}"), 400),
                "steps", "must be an integer, not 1.5");
        assertField(problem(api.post("/jobs", "{\"dataset\":\"ring8\",\"steps\":1.0}"), 400),
                "steps", "must be an integer, not 1.0");
        assertField(problem(api.post("/jobs", "{\"dataset\":\"ring8\",\"seed\":2.5}"), 400),
                "seed", "must be an integer");
        assertField(problem(api.post("/jobs", "{\"dataset\":\"ring8\",\"batchSize\":\"300\"}"), 400),
                "batchSize", "must be an integer, not a string");
        assertField(problem(api.post("/jobs", "{\"dataset\":\"ring8\",\"beta1\":\"0.5\"}"), 400),
                "beta1", "must be a number, not a string (\"0.5\")");
        // not taken as "no value, use the default"
        assertField(problem(api.post("/jobs", "{\"dataset\":\"ring8\",\"steps\":\"\"}"), 400),
                "steps", "must be an integer, not a string (\"\")");
        assertField(problem(api.post("/jobs", "{\"dataset\":\"ring8\",\"conditional\":\"true\"}"), 400),
                "conditional", "must be a boolean");
        assertField(problem(api.post("/jobs", "{\"dataset\":\"ring8\",\"conditional\":1}"), 400),
                "conditional", "must be a boolean");
        assertField(problem(api.post("/jobs", "{\"dataset\":\"ring8\",\"infoGan\":{\"categorical\":2.5}}"), 400),
                "infoGan.categorical", "must be an integer, not 2.5");
        assertField(problem(api.post("/jobs/no-such-job/evaluations", "{\"samples\":100.5}"), 400),
                "samples", "must be an integer, not 100.5");
        assertField(problem(api.post("/jobs/no-such-job/evaluations", "{\"seed\":\"7\"}"), 400),
                "seed", "must be an integer, not a string");
        assertThat(api.json(api.get("/jobs")).size()).as("no job was queued").isEqualTo(jobsBefore);
    }

    @Test
    void anIntegerForADecimalFieldIsStillANumber() {
        HttpResponse<String> created = api.post("/jobs", "{\"dataset\":\"ring8\",\"steps\":2,\"batchSize\":8,"
                + "\"hiddenUnits\":8,\"beta1\":0,\"generatorLearningRate\":1,\"seed\":1}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        api.awaitFinished(api.json(created).get("id").asString(), java.time.Duration.ofSeconds(60));
    }

    @Test
    void duplicateKeysAreRefusedNotLastOneWins() {
        int jobsBefore = api.json(api.get("/jobs")).size();
        assertField(problem(api.post("/jobs", "{\"dataset\":\"ring8\",\"steps\":5,\"steps\":500000}"), 400),
                "steps", "duplicate key");
        assertField(problem(api.post("/jobs",
                "{\"dataset\":\"ring8\",\"infoGan\":{\"categorical\":2,\"categorical\":3}}"), 400),
                "infoGan.categorical", "duplicate key");
        assertField(problem(api.post("/jobs/no-such-job/evaluations", "{\"seed\":1,\"seed\":2}"), 400),
                "seed", "duplicate key");
        assertThat(api.json(api.get("/jobs")).size()).as("no job was queued").isEqualTo(jobsBefore);
    }

    @Test
    void noGeneratorYetIsA404WithAHint() {
        JsonNode p = problem(api.get("/samples?n=4"), 404);
        assertThat(p.get("detail").asString()).contains("POST /jobs");
        problem(api.get("/interpolations"), 404);
    }

    @Test
    void unknownJobIsA404() {
        problem(api.get("/jobs/does-not-exist"), 404);
        problem(api.delete("/jobs/does-not-exist"), 404);
        problem(api.get("/samples?job=does-not-exist"), 404);
    }

    @Test
    void queryParametersAreChecked() {
        assertField(problem(api.get("/samples?n=5000"), 400), "n", "1024");
        assertField(problem(api.get("/samples?n=0"), 400), "n", "between 1");
        assertField(problem(api.get("/samples?n=abc"), 400), "n", "integer");
        assertField(problem(api.get("/samples?n=1.5"), 400), "n", "must be an integer, was '1.5'");
        assertField(problem(api.get("/interpolations?steps=2.0"), 400), "steps", "integer");
        assertField(problem(api.get("/samples?format=gif"), 400), "format", "png, json, zip");
        assertField(problem(api.get("/interpolations?steps=65"), 400), "steps", "64");
        assertField(problem(api.get("/interpolations?method=cubic"), 400), "method", "slerp, lerp");
    }

    @Test
    void oversizedJsonBodiesAre413() {
        int jobsBefore = api.json(api.get("/jobs")).size();
        // refused for its size before anything parses it (the padding would otherwise be an unknown field)
        String padded = "{\"dataset\":\"ring8\",\"steps\":1,\"pad\":\"" + "x".repeat(70_000) + "\"}";
        JsonNode declared = problem(api.post("/jobs", padded), 413);
        assertField(declared, "body", "65536");
        java.util.Map<String, String> json = java.util.Map.of("Content-Type", "application/json");
        JsonNode chunked = problem(api.raw("POST", "/jobs", json, padded.getBytes(), true), 413);
        assertField(chunked, "body", "max-json-bytes");
        assertThat(api.json(api.get("/jobs")).size()).as("no job was queued").isEqualTo(jobsBefore);
    }

    @Test
    void chunkedBodiesUnderTheLimitAreReadAsUsual() {
        java.util.Map<String, String> json = java.util.Map.of("Content-Type", "application/json");
        byte[] body = "{\"dataset\":\"ring8\",\"batchSize\":0}".getBytes();
        assertField(problem(api.raw("POST", "/jobs", json, body, true), 400), "batchSize", "1");
    }

    /** Each of these was a 500, an HTML page or an empty body before the fuzz test found it. */
    @Test
    void oddRequestsAreProblemsToo() {
        // refused by Tomcat before any servlet: its report is problem+json too
        for (String path : new String[] {"/jobs/a%2Fb", "/jobs/%00", "/jobs/a%5Cb", "/jobs/%FF"}) {
            problem(api.get(path), 400);
            problem(api.delete(path), 400);
        }
        assertField(problem(api.get("/samples?=1"), 400), "query", "non-empty names");
        java.util.Map<String, String> wildcard = java.util.Map.of("Content-Type", "*/*");
        problem(api.raw("POST", "/jobs", wildcard, "{\"dataset\":\"ring8\"}".getBytes(), false), 415);
        problem(api.get("/error"), 404);

        int jobsBefore = api.json(api.get("/jobs")).size();
        java.util.Map<String, String> html = java.util.Map.of("Content-Type", "application/json", "Accept", "text/html");
        problem(api.raw("POST", "/jobs", html, "{\"dataset\":\"ring8\",\"steps\":1}".getBytes(), false), 406);
        assertThat(api.json(api.get("/jobs")).size()).as("a 406 queues no job").isEqualTo(jobsBefore);
        // an Accept header that does not parse is ignored, as if absent
        java.util.Map<String, String> garbage = java.util.Map.of("Accept", "garbage");
        assertThat(api.raw("GET", "/jobs", garbage, null, false).statusCode()).isEqualTo(200);
        problem(api.raw("GET", "/jobs/nope", garbage, null, false), 404);
    }

    @Test
    void cancellingAFinishedJobIsAConflict() {
        HttpResponse<String> created = api.post("/jobs",
                "{\"dataset\":\"ring8\",\"steps\":5,\"batchSize\":8,\"hiddenUnits\":8,\"seed\":1}");
        assertThat(created.statusCode()).isEqualTo(202);
        String id = api.json(created).get("id").asString();
        JsonNode finished = api.awaitFinished(id, java.time.Duration.ofSeconds(60));
        assertThat(finished.get("status").asString()).isEqualTo("SUCCEEDED");
        JsonNode p = problem(api.delete("/jobs/" + id), 409);
        assertThat(p.get("detail").asString()).contains("SUCCEEDED");
    }
}
