package io.ganserve.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ganserve.support.HttpApi;
import io.ganserve.support.ServiceOnTempData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A client's own latent vectors (POST /samples) and the truncation trick (truncation=ψ), over real
 * HTTP. The seeded path draws z as {@code new Random(seed).nextGaussian()}, n rows of latentDim
 * values in order, rounded to float (docs/api.md); the tests rebuild z that way.
 */
class LatentInputsTest extends ServiceOnTempData {

    private static final String TINY = "\"dataset\":\"ring8\",\"steps\":30,\"hiddenUnits\":16,\"hiddenLayers\":1,"
            + "\"batchSize\":64,\"evaluateAtEnd\":false,\"seed\":3";
    private static final String NO_CODES = "\"infoGan\":{\"categorical\":0,\"continuous\":0}";

    private static String plain;

    private String plainModel(HttpApi api) {
        if (plain == null) {
            plain = api.trainToSuccess("{" + TINY + "," + NO_CODES + "}", Duration.ofMinutes(2)).get("id").asString();
        }
        return plain;
    }

    private static JsonNode model(HttpApi api, String job) {
        for (JsonNode m : api.json(api.get("/models")).get("models")) {
            if (m.get("jobId").asString().equals(job)) {
                return m;
            }
        }
        throw new AssertionError("no model " + job);
    }

    private static float[][] seededLatents(long seed, int n, int d, float psi) {
        Random rng = new Random(seed);
        float[][] z = new float[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                z[i][j] = (float) rng.nextGaussian() * psi;
            }
        }
        return z;
    }

    private static String rows(float[][] z) {
        List<String> rows = new ArrayList<>();
        for (float[] row : z) {
            List<String> values = new ArrayList<>();
            for (float v : row) {
                values.add(Float.toString(v));
            }
            rows.add("[" + String.join(",", values) + "]");
        }
        return "[" + String.join(",", rows) + "]";
    }

    private static float[] flat(JsonNode samples) {
        List<Float> values = new ArrayList<>();
        collect(samples.get("data"), values);
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    private static void collect(JsonNode node, List<Float> into) {
        if (node.isNumber()) {
            into.add(node.floatValue());
        } else {
            node.forEach(child -> collect(child, into));
        }
    }

    private static JsonNode ok(HttpApi api, HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return api.json(r);
    }

    private static void refused(HttpApi api, HttpResponse<String> r, String field, String ruleFragment) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(api.json(r).get("field").asString()).as(r.body()).isEqualTo(field);
        assertThat(api.json(r).get("detail").asString()).contains(ruleFragment);
    }

    @Test
    void theSameLatentGivesTheSameOutputAsTheSeededPathInEveryFormat() throws IOException {
        HttpApi api = new HttpApi(port);
        String job = plainModel(api);
        int d = model(api, job).get("latentDim").asInt();
        JsonNode seeded = ok(api, api.get("/samples?format=json&n=5&seed=9&job=" + job));
        String body = "{\"job\":\"" + job + "\",\"latents\":" + rows(seededLatents(9, 5, d, 1)) + "}";
        JsonNode sent = ok(api, api.post("/samples?format=json", body));
        assertThat(sent.get("shape")).isEqualTo(seeded.get("shape"));
        assertThat(sent.get("model").asString()).isEqualTo(job);
        assertThat(flat(sent)).containsExactly(flat(seeded), within(1e-6f));

        HttpResponse<byte[]> png = api.postForBytes("/samples?format=png", body);
        assertThat(png.statusCode()).isEqualTo(200);
        assertThat(png.headers().firstValue("Content-Type")).contains("image/png");
        assertThat(png.body()).isEqualTo(api.getBytes("/samples?format=png&n=5&seed=9&job=" + job).body());

        HttpResponse<byte[]> zip = api.postForBytes("/samples?format=zip", body);
        assertThat(zip.statusCode()).isEqualTo(200);
        int entries = 0;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip.body()))) {
            while (in.getNextEntry() != null) {
                entries++;
            }
        }
        assertThat(entries).isEqualTo(5);
    }

    @Test
    void latentsThatDoNotFitTheModelAreRefusedNamingTheRowAndTheRule() {
        HttpApi api = new HttpApi(port);
        String job = plainModel(api);
        int d = model(api, job).get("latentDim").asInt();
        float[][] z = seededLatents(1, 3, d, 1);
        z[1] = new float[d + 1];
        refused(api, api.post("/samples", "{\"job\":\"" + job + "\",\"latents\":" + rows(z) + "}"), "latents[1]",
                "must hold " + d + " numbers");
        String good = rows(seededLatents(1, 2, d, 1));
        refused(api, api.post("/samples", "{\"job\":\"" + job + "\",\"latents\":" + good + ",\"labels\":[0,1]}"),
                "labels", "unconditional");
        refused(api, api.post("/samples", "{\"job\":\"" + job + "\",\"latents\":" + good + ",\"codes\":[[1],[1]]}"),
                "codes", "no latent codes");
        refused(api, api.post("/samples", "{\"job\":\"" + job + "\",\"latents\":[]}"), "latents", "at least one");
        refused(api, api.post("/samples", "{\"job\":\"" + job + "\"}"), "latents", "required");
        assertThat(api.post("/samples", "{\"job\":\"" + job + "\",\"latents\":[[\"a\"]]}").statusCode()).isEqualTo(400);
        assertThat(api.post("/samples", "{\"job\":\"no-such-job\",\"latents\":" + good + "}").statusCode()).isEqualTo(404);
        assertThat(api.anonymous().post("/samples", "{\"latents\":" + good + "}").statusCode()).isEqualTo(401);
    }

    @Test
    void truncationZeroGivesTheMeanImageAndOneChangesNothing() {
        HttpApi api = new HttpApi(port);
        String job = plainModel(api);
        int d = model(api, job).get("latentDim").asInt();
        float[] mean = flat(ok(api, api.post("/samples?format=json", "{\"job\":\"" + job + "\",\"latents\":"
                + rows(new float[1][d]) + "}")));
        for (long seed : new long[] {1, 2}) {
            float[] truncated = flat(ok(api, api.get("/samples?format=json&n=4&truncation=0&seed=" + seed + "&job=" + job)));
            for (int i = 0; i < 4; i++) {
                assertThat(java.util.Arrays.copyOfRange(truncated, i * mean.length, (i + 1) * mean.length))
                        .as("sample %d of seed %d at psi 0", i, seed).containsExactly(mean, within(1e-6f));
            }
        }
        float[] strips = flat(ok(api, api.get("/interpolations?format=json&steps=4&rows=2&truncation=0&seed=5&job=" + job)));
        for (int i = 0; i < 8; i++) {
            assertThat(java.util.Arrays.copyOfRange(strips, i * mean.length, (i + 1) * mean.length))
                    .as("interpolation output %d at psi 0", i).containsExactly(mean, within(1e-6f));
        }

        assertThat(flat(ok(api, api.get("/samples?format=json&n=4&seed=7&truncation=1&job=" + job))))
                .containsExactly(flat(ok(api, api.get("/samples?format=json&n=4&seed=7&job=" + job))));
        float[] half = flat(ok(api, api.get("/samples?format=json&n=4&seed=7&truncation=0.5&job=" + job)));
        assertThat(half).containsExactly(flat(ok(api, api.post("/samples?format=json", "{\"job\":\"" + job
                + "\",\"latents\":" + rows(seededLatents(7, 4, d, 0.5f)) + "}"))), within(1e-6f));
        assertThat(half).isNotEqualTo(flat(ok(api, api.get("/samples?format=json&n=4&seed=7&job=" + job))));

        refused(api, api.get("/samples?truncation=1.5&job=" + job), "truncation", "between 0 and 1");
        refused(api, api.get("/interpolations?truncation=-0.1&job=" + job), "truncation", "between 0 and 1");
    }

    @Test
    void aConditionalModelTakesAClassPerRowAndAnInfoGanModelItsCodes() {
        HttpApi api = new HttpApi(port);
        String conditional = api.trainToSuccess("{" + TINY + "," + NO_CODES + ",\"conditional\":true}",
                Duration.ofMinutes(2)).get("id").asString();
        int d = model(api, conditional).get("latentDim").asInt();
        int k = model(api, conditional).get("classes").asInt();
        assertThat(k).isEqualTo(8);
        String z = rows(seededLatents(9, 3, d, 1));
        JsonNode seeded = ok(api, api.get("/samples?format=json&n=3&seed=9&label=5&job=" + conditional));
        JsonNode sent = ok(api, api.post("/samples?format=json", "{\"job\":\"" + conditional + "\",\"latents\":" + z
                + ",\"labels\":[5,5,5]}"));
        assertThat(flat(sent)).containsExactly(flat(seeded), within(1e-6f));
        refused(api, api.post("/samples", "{\"job\":\"" + conditional + "\",\"latents\":" + z + "}"), "labels",
                "one class per latent vector");
        refused(api, api.post("/samples", "{\"job\":\"" + conditional + "\",\"latents\":" + z + ",\"labels\":[0,1,8]}"),
                "labels[2]", "between 0 and 7");

        String info = api.trainToSuccess("{" + TINY + ",\"infoGan\":{\"categorical\":4,\"continuous\":1}}",
                Duration.ofMinutes(2)).get("id").asString();
        assertThat(model(api, info).get("codes").asInt()).isEqualTo(2);
        int di = model(api, info).get("latentDim").asInt();
        String zi = rows(seededLatents(9, 3, di, 1));
        JsonNode pinned = ok(api, api.get("/samples?format=json&n=3&seed=9&code=c1:3,c2:0.5&job=" + info));
        JsonNode given = ok(api, api.post("/samples?format=json", "{\"job\":\"" + info + "\",\"latents\":" + zi
                + ",\"codes\":[[3,0.5],[3,0.5],[3,0.5]]}"));
        assertThat(flat(given)).containsExactly(flat(pinned), within(1e-6f));
        refused(api, api.post("/samples", "{\"job\":\"" + info + "\",\"latents\":" + zi + "}"), "codes", "c1 to c2");
        refused(api, api.post("/samples", "{\"job\":\"" + info + "\",\"latents\":" + zi
                + ",\"codes\":[[3,0.5],[4,0.5],[3,0.5]]}"), "codes[1]", "categorical");
        refused(api, api.post("/samples", "{\"job\":\"" + info + "\",\"latents\":" + zi
                + ",\"codes\":[[3,0.5],[3,0.5],[3]]}"), "codes[2]", "must hold 2 values");
    }
}
