package io.ganserve.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ganserve.support.HttpApi;
import io.ganserve.support.ServiceOnTempData;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Fine-tuning over real HTTP. The exact check: a child of a 40-step parent, trained to step 60 on
 * the same data and seed, must be the run that never stopped. Its first step (41) sees the batch
 * the uninterrupted 60-step reference saw at step 41, so its loss there equals the reference's,
 * which holds only if the child starts from the parent's final weights and optimiser state; its
 * starting checkpoint is the parent's final one byte for byte, and its final generator the reference's.
 */
class FineTuningTest extends ServiceOnTempData {

    /** Constant rates: a linear decay would depend on the run's length, which differs between parent and reference. */
    private static final String RUN = "\"dataset\":\"ring8\",\"hiddenUnits\":16,\"hiddenLayers\":1,\"batchSize\":64,"
            + "\"evaluateAtEnd\":false,\"seed\":5,\"checkpointEvery\":20,\"learningRateSchedule\":\"constant\"";

    private static JsonNode history(HttpApi api, String job) {
        HttpResponse<String> r = api.get("/jobs/" + job + "/history");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return api.json(r).get("points");
    }

    private static JsonNode pointAt(JsonNode points, long step) {
        for (JsonNode p : points) {
            if (p.get("step").asLong() == step) {
                assertThat(p.get("steps").asLong()).as("a point of one step").isEqualTo(1);
                return p;
            }
        }
        throw new AssertionError("no history point at step " + step + ": " + points);
    }

    private static float[] samples(HttpApi api, String job) {
        JsonNode data = api.json(api.get("/samples?format=json&n=32&seed=3&job=" + job)).get("data");
        float[] out = new float[data.size() * 2];
        for (int i = 0; i < data.size(); i++) {
            out[2 * i] = data.get(i).get(0).floatValue();
            out[2 * i + 1] = data.get(i).get(1).floatValue();
        }
        return out;
    }

    @Test
    void aChildStartsFromItsParentsFinalStateAndContinuesAsTheRunThatNeverStopped() throws IOException {
        HttpApi api = new HttpApi(port);
        String parent = api.trainToSuccess("{" + RUN + ",\"steps\":40}", Duration.ofMinutes(2)).get("id").asString();
        String reference = api.trainToSuccess("{" + RUN + ",\"steps\":60}", Duration.ofMinutes(2)).get("id").asString();
        Path parentFinal = data.resolve("jobs/" + parent + "/checkpoints/step-000000040.ckpt");
        byte[] parentState = Files.readAllBytes(parentFinal);

        HttpResponse<String> created = api.post("/jobs", "{" + RUN + ",\"steps\":60,\"parent\":\"" + parent + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        assertThat(api.json(created).get("parent").asString()).isEqualTo(parent);
        String child = api.json(created).get("id").asString();
        JsonNode done = api.awaitFinished(child, Duration.ofMinutes(2));
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.get("parent").asString()).isEqualTo(parent);
        assertThat(done.get("config").get("parent").asString()).isEqualTo(parent);
        assertThat(done.get("resumedFromStep").asLong()).isEqualTo(40);
        assertThat(done.get("progress").get("step").asLong()).isEqualTo(60);

        // the state it started from is the parent's final state, byte for byte (kept: only 40 and 60 exist)
        assertThat(Files.readAllBytes(data.resolve("jobs/" + child + "/checkpoints/step-000000040.ckpt")))
                .isEqualTo(parentState);

        JsonNode childHistory = history(api, child);
        assertThat(childHistory.get(0).get("step").asLong()).as("the child's first step").isEqualTo(41);
        JsonNode first = pointAt(childHistory, 41);
        JsonNode uninterrupted = pointAt(history(api, reference), 41);
        for (String loss : new String[] {"generatorLoss", "discriminatorLoss"}) {
            assertThat(first.get(loss).floatValue()).as(loss + " at step 41")
                    .isCloseTo(uninterrupted.get(loss).floatValue(), within(1e-5f));
        }
        assertThat(samples(api, child)).containsExactly(samples(api, reference), within(1e-4f));
        assertThat(samples(api, child)).isNotEqualTo(samples(api, parent));
    }

    @Test
    void aChildTrainsOnAnotherDataSetOfTheSameShapeAndIsRefusedWhatCannotLoad() {
        HttpApi api = new HttpApi(port);
        // a point data set's default InfoGAN codes follow its modes (8 here, 25 on grid25): the same codes on both
        String codes = ",\"infoGan\":{\"categorical\":8,\"continuous\":0}";
        String parent = api.trainToSuccess("{" + RUN + codes + ",\"steps\":20}", Duration.ofMinutes(2)).get("id").asString();
        refused(api, "{" + RUN.replace("ring8", "grid25") + ",\"steps\":30,\"parent\":\"" + parent + "\"}", "infoGan",
                "it has InfoGAN codes (8 categorical, 0 continuous), this job InfoGAN codes (25 categorical");

        JsonNode other = api.trainToSuccess("{" + RUN.replace("ring8", "grid25") + codes + ",\"steps\":30,\"parent\":\""
                + parent + "\"}", Duration.ofMinutes(2));
        assertThat(other.get("parent").asString()).isEqualTo(parent);
        assertThat(other.get("config").get("dataset").asString()).isEqualTo("grid25");
        assertThat(other.get("resumedFromStep").asLong()).isEqualTo(20);

        JsonNode defaulted = api.json(api.post("/jobs", "{" + RUN + codes + ",\"parent\":\"" + parent + "\"}"));
        assertThat(defaulted.get("config").get("steps").asLong()).as("steps omitted: the default beyond the parent's")
                .isGreaterThan(20);
        api.delete("/jobs/" + defaulted.get("id").asString());

        refused(api, "{" + RUN + codes + ",\"steps\":20,\"parent\":\"" + parent + "\"}", "steps", "must be more than 20");
        refused(api, "{" + RUN + codes + ",\"steps\":40,\"latentDim\":3,\"parent\":\"" + parent + "\"}", "latentDim",
                "must match job " + parent);
        refused(api, "{" + RUN.replace("\"hiddenUnits\":16", "\"hiddenUnits\":32") + codes + ",\"steps\":40,\"parent\":\""
                + parent + "\"}", "hiddenUnits",
                "must match");
        refused(api, "{" + RUN + codes + ",\"steps\":40,\"optimizer\":\"rmsprop\",\"parent\":\"" + parent + "\"}", "optimizer",
                "must match");
        refused(api, "{" + RUN + ",\"steps\":40,\"parent\":\"no-such-job\"}", "parent", "no job");
        String running = api.json(api.post("/jobs", "{" + RUN + ",\"steps\":100000}")).get("id").asString();
        refused(api, "{" + RUN + ",\"steps\":200000,\"parent\":\"" + running + "\"}", "parent", "SUCCEEDED");
        api.delete("/jobs/" + running);
        assertThat(api.post("/jobs", "{" + RUN + ",\"steps\":40,\"parent\":\"../x\"}").statusCode()).isEqualTo(400);
    }

    private static void refused(HttpApi api, String body, String field, String rule) {
        HttpResponse<String> r = api.post("/jobs", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(api.json(r).get("field").asString()).as(r.body()).isEqualTo(field);
        assertThat(api.json(r).get("detail").asString()).contains(rule);
    }
}
