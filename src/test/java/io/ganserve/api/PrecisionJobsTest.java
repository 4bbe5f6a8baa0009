package io.ganserve.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ganserve.support.HttpApi;
import io.ganserve.support.ServiceOnTempData;
import io.ganserve.support.ShapeImages;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A job's {@code precision} over real HTTP: DCGAN jobs train to SUCCEEDED in each precision and
 * show the resolved one; the service default (float32 here, so the answer does not hang on this
 * host's CPU) applies to a job that names none; and the two precisions really train differently.
 */
class PrecisionJobsTest extends ServiceOnTempData {

    /** A small DCGAN on generated shapes, scored at the end on few samples: seconds of training. */
    private static final String SMALL_DCGAN = "\"dataset\":\"shapes\",\"imageSize\":28,\"featureMaps\":8,"
            + "\"latentDim\":8,\"batchSize\":16,\"seed\":11,\"evaluationSamples\":200,\"checkpointEvery\":10";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        ShapeImages.writeFolder(data.resolve("datasets").resolve("shapes"), 28, 100, 3);
        registry.add("ganserve.engine.precision", () -> "float32");
    }

    /** The losses of the first five steps, G's and D's in turn. */
    private static float[] firstLosses(HttpApi api, String job) {
        HttpResponse<String> r = api.get("/jobs/" + job + "/history");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode points = api.json(r).get("points");
        float[] losses = new float[10];
        for (int i = 0; i < 5; i++) {
            JsonNode p = points.get(i);
            assertThat(p.get("step").asLong()).isEqualTo(i + 1);
            losses[2 * i] = p.get("generatorLoss").floatValue();
            losses[2 * i + 1] = p.get("discriminatorLoss").floatValue();
        }
        return losses;
    }

    @Test
    void aDcganTrainsInEachPrecisionAndShowsTheOneItTrainedIn() {
        HttpApi api = new HttpApi(port);
        JsonNode bf16 = api.trainToSuccess("{" + SMALL_DCGAN + ",\"steps\":20,\"precision\":\"bfloat16\"}",
                Duration.ofMinutes(4));
        JsonNode f32 = api.trainToSuccess("{" + SMALL_DCGAN + ",\"steps\":20,\"precision\":\"float32\"}",
                Duration.ofMinutes(4));
        String bf16Id = bf16.get("id").asString();
        String f32Id = f32.get("id").asString();

        JsonNode bf16Job = api.json(api.get("/jobs/" + bf16Id));
        assertThat(bf16Job.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(bf16Job.get("config").get("precision").asString()).isEqualTo("bfloat16");
        assertThat(api.json(api.get("/jobs/" + f32Id)).get("config").get("precision").asString()).isEqualTo("float32");
        // evaluation runs in float32 whatever the job trained in, and scored the bfloat16 job all the same
        assertThat(bf16Job.get("quality").get("latest").get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(api.get("/samples?job=" + bf16Id + "&n=4").statusCode()).isEqualTo(200);

        // the same seed and data: only the arithmetic differs, so the losses must too, by little (bfloat16
        // keeps 8 bits of mantissa; the sums and the weights are float32)
        float[] a = firstLosses(api, bf16Id);
        float[] b = firstLosses(api, f32Id);
        double apart = 0;
        for (int i = 0; i < a.length; i++) {
            apart = Math.max(apart, Math.abs(a[i] - b[i]));
        }
        System.out.printf("DCGAN's first five steps' losses, bfloat16 against float32: at most %.2e apart%n", apart);
        assertThat(apart).as("bfloat16 products round differently").isGreaterThan(1e-5);
        assertThat(apart).isLessThan(0.1);
    }

    @Test
    void aJobThatNamesNoPrecisionTakesTheServiceDefaultAndAChildMayChooseItsOwn() {
        HttpApi api = new HttpApi(port);
        HttpResponse<String> preview = api.post("/jobs/preview", "{" + SMALL_DCGAN + "}");
        assertThat(preview.statusCode()).as(preview.body()).isEqualTo(200);
        assertThat(api.json(preview).get("precision").asString()).as("ganserve.engine.precision: float32")
                .isEqualTo("float32");
        assertThat(api.json(api.post("/jobs/preview", "{" + SMALL_DCGAN + ",\"precision\":\"auto\"}"))
                .get("precision").asString()).as("auto resolves to a precision, never stays auto")
                .isIn("float32", "bfloat16");

        JsonNode parent = api.trainToSuccess("{" + SMALL_DCGAN + ",\"steps\":10,\"evaluateAtEnd\":false}",
                Duration.ofMinutes(4));
        assertThat(parent.get("config").get("precision").asString()).isEqualTo("float32");
        // checkpoints hold the same float32 weights in both precisions: a child may train in the other
        JsonNode child = api.trainToSuccess("{" + SMALL_DCGAN + ",\"steps\":20,\"evaluateAtEnd\":false,"
                + "\"precision\":\"bfloat16\",\"parent\":\"" + parent.get("id").asString() + "\"}", Duration.ofMinutes(4));
        assertThat(child.get("config").get("precision").asString()).isEqualTo("bfloat16");
        assertThat(child.get("resumedFromStep").asLong()).isEqualTo(10);
        assertThat(child.get("progress").get("step").asLong()).isEqualTo(20);
    }
}
