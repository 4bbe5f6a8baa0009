package io.ganserve.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ganserve.support.HttpApi;
import io.ganserve.support.ServiceOnTempData;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Each GAN variant is a job a user can start over HTTP, with its paper's defaults and its own figures. */
class VariantJobsTest extends ServiceOnTempData {

    private JsonNode train(HttpApi api, String body) {
        HttpResponse<String> created = api.post("/jobs", body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        JsonNode done = api.awaitFinished(api.json(created).get("id").asString(), Duration.ofMinutes(2));
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        return done;
    }

    @Test
    void wganUsesRmsPropClippingAndFiveCriticStepsAndReportsItsEstimate() {
        HttpApi api = new HttpApi(port);
        JsonNode job = train(api, "{\"dataset\":\"ring8\",\"loss\":\"wgan\",\"steps\":40,\"seed\":1}");
        JsonNode config = job.get("config");
        assertThat(config.get("variant").get("optimizer").asString()).isEqualTo("rmsprop");
        assertThat(config.get("variant").get("clipValue").floatValue()).isEqualTo(0.01f);
        assertThat(config.get("discriminatorSteps").asInt()).isEqualTo(5);
        assertThat(config.get("generatorLearningRate").floatValue()).isEqualTo(5e-5f);
        assertThat(job.get("variantFigures").get("wassersteinEstimate").isNumber()).isTrue();
        assertThat(job.get("variantFigures").get("gradientPenalty").isNull()).isTrue();
    }

    @Test
    void wganGpReportsItsPenaltyAndHingeTrainsWithSpectralNorm() {
        HttpApi api = new HttpApi(port);
        JsonNode gp = train(api, "{\"dataset\":\"ring8\",\"loss\":\"wgan-gp\",\"steps\":40,\"seed\":1}");
        assertThat(gp.get("config").get("variant").get("gradientPenalty").floatValue()).isEqualTo(10f);
        assertThat(gp.get("config").get("beta1").floatValue()).isZero();
        assertThat(gp.get("variantFigures").get("gradientPenalty").floatValue()).isPositive();

        JsonNode hinge = train(api, "{\"dataset\":\"ring8\",\"loss\":\"hinge\",\"spectralNorm\":true,\"steps\":40,\"seed\":1}");
        assertThat(hinge.get("config").get("variant").get("spectralNorm").asBoolean()).isTrue();
        assertThat(hinge.get("losses").get("discriminator").floatValue()).isFinite();
    }

    @Test
    void packedAndAveragedGeneratorsAreServed() {
        HttpApi api = new HttpApi(port);
        JsonNode job = train(api, "{\"dataset\":\"ring8\",\"pack\":4,\"emaDecay\":0.99,\"steps\":60,\"seed\":1}");
        String id = job.get("id").asString();
        JsonNode samples = api.json(api.get("/samples?n=8&seed=1&format=json&job=" + id));
        assertThat(samples.get("shape").toString()).isEqualTo("[8,2]");
    }

    @Test
    void combinationsThatDoNotFitAreRefusedNamingTheField() {
        HttpApi api = new HttpApi(port);
        int jobsBefore = api.json(api.get("/jobs")).size();
        JsonNode clipAndNorm = api.json(api.post("/jobs", "{\"dataset\":\"ring8\",\"loss\":\"wgan\",\"spectralNorm\":true}"));
        assertThat(clipAndNorm.get("field").asString()).isEqualTo("spectralNorm");
        JsonNode packNotDividing = api.json(api.post("/jobs", "{\"dataset\":\"ring8\",\"pack\":3,\"batchSize\":64}"));
        assertThat(packNotDividing.get("field").asString()).isEqualTo("pack");
        assertThat(packNotDividing.get("rule").asString()).contains("divide batchSize");
        JsonNode packTooLarge = api.json(api.post("/jobs", "{\"dataset\":\"ring8\",\"pack\":5}"));
        assertThat(packTooLarge.get("field").asString()).isEqualTo("pack");
        JsonNode clipAndPenalty = api.json(api.post("/jobs",
                "{\"dataset\":\"ring8\",\"loss\":\"wgan-gp\",\"clipValue\":0.01}"));
        assertThat(clipAndPenalty.get("field").asString()).isEqualTo("clipValue");
        assertThat(api.json(api.get("/jobs")).size()).as("nothing refused was queued").isEqualTo(jobsBefore);
    }
}
