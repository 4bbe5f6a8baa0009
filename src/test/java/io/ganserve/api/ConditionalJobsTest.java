package io.ganserve.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ganserve.data.GaussianMixture;
import io.ganserve.support.HttpApi;
import io.ganserve.support.ServiceOnTempData;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** A conditional GAN over HTTP: trained with "conditional": true, sampled by class with label and perClass. */
class ConditionalJobsTest extends ServiceOnTempData {

    private static final String SMALL_RING = "\"dataset\":\"ring8\",\"latentDim\":4,\"hiddenUnits\":64,"
            + "\"hiddenLayers\":2,\"batchSize\":256,\"seed\":7";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        // images straight in the folder, no class subfolders: a dataset without labels
        Path flat = Files.createDirectories(data.resolve("datasets").resolve("flat"));
        for (int i = 0; i < 4; i++) {
            ImageIO.write(new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY), "png",
                    flat.resolve("image-" + i + ".png").toFile());
        }
    }

    private static String train(HttpApi api, String body) {
        HttpResponse<String> created = api.post("/jobs", body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        JsonNode done = api.awaitFinished(api.json(created).get("id").asString(), Duration.ofMinutes(3));
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        return done.get("id").asString();
    }

    @Test
    void aConditionalJobServesTheClassItIsAskedFor() throws IOException {
        HttpApi api = new HttpApi(port);
        String id = train(api, "{" + SMALL_RING + ",\"conditional\":true,\"steps\":2000}");

        JsonNode samples = api.json(api.get("/samples?job=" + id + "&label=2&n=50&seed=3&format=json"));
        assertThat(samples.get("shape").toString()).isEqualTo("[50,2]");
        GaussianMixture ring = GaussianMixture.ring8();
        int atMode = 0;
        for (JsonNode p : samples.get("data")) {
            if (ring.nearestMode(p.get(0).floatValue(), p.get(1).floatValue()) == 2) {
                atMode++;
            }
        }
        assertThat(atMode).as("samples of class 2 nearest mode 2").isGreaterThanOrEqualTo(40);

        HttpResponse<byte[]> grid = api.getBytes("/samples?job=" + id + "&perClass=true&n=4");
        assertThat(grid.statusCode()).isEqualTo(200);
        assertThat(grid.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(ImageIO.read(new ByteArrayInputStream(grid.body()))).isNotNull();

        JsonNode perClass = api.json(api.get("/samples?job=" + id + "&perClass=true&n=4&seed=1&format=json"));
        assertThat(perClass.get("shape").toString()).isEqualTo("[32,2]");
        JsonNode lastRow = perClass.get("data").get(31);
        assertThat(ring.nearestMode(lastRow.get(0).floatValue(), lastRow.get(1).floatValue())).isEqualTo(7);

        JsonNode strip = api.json(api.get("/interpolations?job=" + id + "&label=3&steps=5&format=json"));
        assertThat(strip.get("shape").toString()).isEqualTo("[5,2]");

        JsonNode outOfRange = api.json(api.get("/samples?job=" + id + "&label=8"));
        assertThat(outOfRange.get("field").asString()).isEqualTo("label");
        assertThat(outOfRange.get("status").asInt()).isEqualTo(400);
        HttpResponse<String> negative = api.get("/interpolations?job=" + id + "&label=-1");
        assertThat(negative.statusCode()).isEqualTo(400);
        assertThat(api.json(negative).get("field").asString()).isEqualTo("label");
    }

    @Test
    void anUnconditionalModelRefusesLabels() {
        HttpApi api = new HttpApi(port);
        String id = train(api, "{" + SMALL_RING + ",\"steps\":20}");
        HttpResponse<String> label = api.get("/samples?job=" + id + "&label=1");
        assertThat(label.statusCode()).isEqualTo(400);
        assertThat(api.json(label).get("field").asString()).isEqualTo("label");
        HttpResponse<String> perClass = api.get("/samples?job=" + id + "&perClass=true");
        assertThat(perClass.statusCode()).isEqualTo(400);
        assertThat(api.json(perClass).get("field").asString()).isEqualTo("perClass");
        assertThat(api.get("/samples?job=" + id + "&n=4").statusCode()).isEqualTo(200);
    }

    @Test
    void conditionalJobsThatCannotWorkAreRefused() {
        HttpApi api = new HttpApi(port);
        HttpResponse<String> unlabelled = api.post("/jobs", "{\"dataset\":\"flat\",\"conditional\":true}");
        assertThat(unlabelled.statusCode()).isEqualTo(400);
        assertThat(api.json(unlabelled).get("field").asString()).isEqualTo("conditional");
        assertThat(api.json(unlabelled).get("rule").asString()).contains("no labels");

        JsonNode packed = api.json(api.post("/jobs", "{\"dataset\":\"ring8\",\"conditional\":true,\"pack\":2}"));
        assertThat(packed.get("field").asString()).isEqualTo("conditional");
        assertThat(packed.get("rule").asString()).contains("pack");
        JsonNode penalty = api.json(api.post("/jobs",
                "{\"dataset\":\"ring8\",\"conditional\":true,\"loss\":\"wgan-gp\"}"));
        assertThat(penalty.get("field").asString()).isEqualTo("conditional");
        assertThat(penalty.get("rule").asString()).contains("gradient penalty");
    }
}
