package io.ganserve.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ganserve.data.GaussianMixture;
import io.ganserve.support.HttpApi;
import io.ganserve.support.ServiceOnTempData;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** InfoGAN over HTTP: trained with "infoGan", steered with GET /samples?code= and /interpolations?vary=. */
class InfoGanJobsTest extends ServiceOnTempData {

    private static final String SMALL_RING = "\"dataset\":\"ring8\",\"latentDim\":4,\"hiddenUnits\":128,"
            + "\"hiddenLayers\":2,\"batchSize\":256,\"seed\":7";

    private static JsonNode train(HttpApi api, String body) {
        return api.trainToSuccess(body, Duration.ofMinutes(3));
    }

    @Test
    void pinningTheCategoricalCodePicksAModeAndVaryingItWalksTheRing() throws IOException {
        HttpApi api = new HttpApi(port);
        JsonNode job = train(api, "{" + SMALL_RING + ",\"steps\":3000,\"infoGan\":{\"categorical\":8,\"continuous\":1}}");
        String id = job.get("id").asString();
        assertThat(job.get("config").get("variant").get("infoGan").get("codes").get("categorical").asInt()).isEqualTo(8);
        assertThat(job.get("phase").asString()).isEqualTo("done");
        assertThat(job.get("config").has("featureMaps")).as("a point job has no DCGAN width").isFalse();
        assertThat(job.get("config").has("imageSize")).as("nor an image size").isFalse();
        float information = job.get("variantFigures").get("mutualInformation").floatValue();
        assertThat(information).as("lower bound on I(c1; G) in nats, at most log 8 = 2.08").isGreaterThan(1.5f);

        GaussianMixture ring = GaussianMixture.ring8();
        java.util.Set<Integer> modes = new java.util.HashSet<>();
        int[] modeOf = new int[8];
        for (int value = 0; value < 8; value++) {
            JsonNode samples = api.json(api.get("/samples?job=" + id + "&n=40&seed=3&format=json&code=c1:" + value));
            assertThat(samples.get("shape").toString()).isEqualTo("[40,2]");
            int[] counts = new int[8];
            for (JsonNode p : samples.get("data")) {
                counts[ring.nearestMode(p.get(0).floatValue(), p.get(1).floatValue())]++;
            }
            int best = java.util.stream.IntStream.range(0, 8).reduce((a, b) -> counts[a] >= counts[b] ? a : b).orElseThrow();
            assertThat(counts[best]).as("samples with c1=%d at one mode", value).isGreaterThanOrEqualTo(32);
            modes.add(best);
            modeOf[value] = best;
        }
        assertThat(modes).as("modes the eight code values land on").hasSizeGreaterThanOrEqualTo(7);

        JsonNode sweep = api.json(api.get("/interpolations?job=" + id + "&vary=c1&rows=3&format=json&seed=1"));
        assertThat(sweep.get("shape").toString()).as("3 rows x the code's 8 values").isEqualTo("[24,2]");
        JsonNode continuous = api.json(api.get("/interpolations?job=" + id + "&vary=c2&rows=2&steps=5&code=c1:4"
                + "&format=json&seed=1"));
        assertThat(continuous.get("shape").toString()).isEqualTo("[10,2]");

        // without vary a strip moves codes and noise together, so it crosses the ring between modes
        JsonNode walks = api.json(api.get("/interpolations?job=" + id + "&rows=6&steps=10&format=json&seed=2"));
        int moving = 0;
        for (int r = 0; r < 6; r++) {
            JsonNode first = walks.get("data").get(r * 10);
            JsonNode last = walks.get("data").get(r * 10 + 9);
            if (ring.nearestMode(first.get(0).floatValue(), first.get(1).floatValue())
                    != ring.nearestMode(last.get(0).floatValue(), last.get(1).floatValue())) {
                moving++;
            }
        }
        assertThat(moving).as("strips of 6 whose ends lie at different modes (8 values drawn twice each)")
                .isGreaterThanOrEqualTo(4);
        // pinning c1 holds every point of every strip at that value's mode
        JsonNode pinned = api.json(api.get("/interpolations?job=" + id + "&rows=3&steps=10&format=json&seed=2&code=c1:5"));
        int atMode = 0;
        for (JsonNode p : pinned.get("data")) {
            atMode += ring.nearestMode(p.get(0).floatValue(), p.get(1).floatValue()) == modeOf[5] ? 1 : 0;
        }
        assertThat(atMode).as("points of 30 at c1=5's mode").isGreaterThanOrEqualTo(27);

        HttpResponse<byte[]> png = api.getBytes("/interpolations?job=" + id + "&vary=c1&rows=2");
        assertThat(png.statusCode()).isEqualTo(200);
        BufferedImage strips = ImageIO.read(new ByteArrayInputStream(png.body()));
        assertThat(strips).isNotNull();
    }

    @Test
    void codesThatDoNotFitAreRefusedNamingTheParameter() {
        HttpApi api = new HttpApi(port);
        String info = train(api, "{" + SMALL_RING + ",\"steps\":10,\"infoGan\":{\"categorical\":4,\"continuous\":1}}")
                .get("id").asString();
        // naming the loss turns off the InfoGAN a point job otherwise gets by default
        String plain = train(api, "{" + SMALL_RING + ",\"loss\":\"non-saturating\",\"steps\":10}").get("id").asString();

        assertProblem(api.get("/samples?job=" + info + "&code=c1:4"), "code", "0 to 3");
        assertProblem(api.get("/samples?job=" + info + "&code=c1:1.5"), "code", "whole number");
        assertProblem(api.get("/samples?job=" + info + "&code=c2:3"), "code", "[-2.0, 2.0]");
        assertProblem(api.get("/samples?job=" + info + "&code=c3:0"), "code", "c1 to c2");
        assertProblem(api.get("/samples?job=" + info + "&code=rotation"), "code", "name:value");
        assertProblem(api.get("/samples?job=" + plain + "&code=c1:0"), "code", "no latent codes");
        assertProblem(api.get("/interpolations?job=" + plain + "&vary=c1"), "vary", "no latent codes");
        assertProblem(api.get("/interpolations?job=" + info + "&vary=c7"), "vary", "c1 to c2");
        assertProblem(api.get("/interpolations?job=" + info + "&code=c1:4"), "code", "0 to 3");
        assertProblem(api.get("/interpolations?job=" + plain + "&code=c1:0"), "code", "no latent codes");
        assertThat(api.get("/samples?job=" + info + "&code=c1:3,c2:-0.5&n=4").statusCode()).isEqualTo(200);
    }

    @Test
    void infoGanJobsThatCannotWorkAreRefused() {
        HttpApi api = new HttpApi(port);
        assertProblem(api.post("/jobs", "{\"dataset\":\"ring8\",\"infoGan\":{\"categorical\":1}}"),
                "infoGan.categorical", "at least 2");
        assertProblem(api.post("/jobs", "{\"dataset\":\"ring8\",\"infoGan\":{\"categorical\":99}}"),
                "infoGan.categorical", "");
        assertProblem(api.post("/jobs", "{\"dataset\":\"ring8\",\"pack\":2,\"infoGan\":{}}"), "infoGan", "pack");
        assertProblem(api.post("/jobs", "{\"dataset\":\"ring8\",\"loss\":\"wgan-gp\",\"infoGan\":{}}"),
                "infoGan", "gradient penalty");
    }

    private static void assertProblem(HttpResponse<String> response, String field, String ruleContains) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        JsonNode problem = new HttpApi(0).json(response);
        assertThat(problem.get("field").asString()).isEqualTo(field);
        assertThat(problem.get("rule").asString()).contains(ruleContains);
    }
}
