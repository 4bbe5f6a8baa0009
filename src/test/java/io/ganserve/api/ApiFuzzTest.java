package io.ganserve.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ganserve.GanServeApplication;
import io.ganserve.support.HttpApi;
import io.ganserve.support.UploadFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.Lifespan;
import net.jqwik.api.lifecycle.Store;
import net.jqwik.api.statistics.Statistics;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Throws random and malformed requests at the real service: job bodies with random fields, wrong
 * types, huge and negative numbers, unknown fields, truncated JSON, random bytes and wrong content
 * types; random query strings and ids at the read endpoints; random and malicious multipart
 * uploads. Every answer must be 2xx or 4xx, every 4xx problem+json, never a 5xx, and no upload may
 * leave an import folder behind; afterwards the service still trains and serves.
 *
 * <p>jqwik has no Spring extension for Boot 4, so the service is started by hand once for the
 * class and kept in a jqwik {@link Store}. Jobs the fuzzer gets accepted are cancelled at once,
 * and the values it draws for sizes are either tiny or out of range, so none hogs the trainer.
 */
class ApiFuzzTest {

    private static final String SERVICE = "ganserve-under-fuzz";
    private static final String JSON = "application/json";

    /** The running service and what the set-up made in it (jobs of each kind, an uploaded dataset). */
    record Service(ConfigurableApplicationContext context, Path data, HttpApi api, List<String> jobIds)
            implements AutoCloseable {

        static Service start() {
            try {
                Path data = Files.createTempDirectory("ganserve-fuzz");
                SpringApplication application = new SpringApplication(GanServeApplication.class);
                ConfigurableApplicationContext context = application.run("--server.port=0",
                        "--ganserve.training.data-dir=" + data,
                        "--ganserve.datasets.mnist-dir=" + data.resolve("no-mnist"),
                        "--ganserve.datasets.fashion-mnist-dir=" + data.resolve("no-fashion-mnist"),
                        "--spring.main.banner-mode=off");
                int port = ((WebServerApplicationContext) context).getWebServer().getPort();
                HttpApi api = new HttpApi(port);
                return new Service(context, data, api, trainModels(api));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Models of every kind the sampling endpoints treat differently, so the fuzz reaches past 404. */
        private static List<String> trainModels(HttpApi api) {
            Map<String, Object> parts = new LinkedHashMap<>();
            parts.put("name", "fuzz-shapes");
            parts.put("file", new HttpApi.FilePart("shapes.zip", UploadFiles.zip(
                    UploadFiles.shapeEntries(null, List.of("disc", "square"), 12, 12, 9))));
            HttpResponse<String> uploaded = api.postMultipart("/datasets", parts);
            assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
            String tinyRing = "\"dataset\":\"ring8\",\"hiddenUnits\":16,\"hiddenLayers\":1,\"latentDim\":4,"
                    + "\"batchSize\":64,\"steps\":20,\"seed\":3";
            List<String> ids = new ArrayList<>();
            for (String body : List.of(
                    "{" + tinyRing + "}",
                    "{" + tinyRing + ",\"conditional\":true}",
                    "{" + tinyRing + ",\"infoGan\":{\"categorical\":4,\"continuous\":1}}",
                    "{\"dataset\":\"fuzz-shapes\",\"architecture\":\"mlp\",\"imageSize\":8,\"hiddenUnits\":16,"
                            + "\"hiddenLayers\":1,\"latentDim\":4,\"steps\":5,\"batchSize\":8,\"conditional\":true,"
                            + "\"evaluateAtEnd\":false}")) {
                ids.add(api.trainToSuccess(body, Duration.ofMinutes(3)).get("id").asString());
            }
            return List.copyOf(ids);
        }

        @Override
        public void close() {
            context.close();
            deleteTree(data);
        }
    }

    @BeforeContainer
    static void startService() {
        Store.create(SERVICE, Lifespan.RUN, Service::start);
    }

    private static Service service() {
        return Store.<Service>get(SERVICE).get();
    }

    /** One request as the fuzzer makes it. */
    record Request(String method, String path, String contentType, String accept, byte[] body, boolean chunked) {
        @Override
        public String toString() {
            String shown = body == null ? "" : new String(body, StandardCharsets.UTF_8);
            return method + " " + path + " [" + contentType + ", accept " + accept + ", chunked " + chunked + "] "
                    + (shown.length() > 300 ? shown.substring(0, 300) + "…" : shown);
        }
    }

    @Property(tries = 300, seed = "6061", shrinking = ShrinkingMode.BOUNDED)
    void jobSubmissionsAreAnsweredWith2xxOr4xxProblems(@ForAll("jobPosts") Request request) {
        HttpResponse<String> response = send(request);
        if (response.statusCode() == 202) {
            // accepted: cancel at once so the trainer stays free (409 when it already finished)
            String id = service().api().json(response).get("id").asString();
            assertThat(service().api().delete("/jobs/" + id).statusCode()).isIn(202, 409);
        }
    }

    /** A body with one field of the wrong JSON type, or one key given twice, and the field it must be refused on. */
    record WrongType(String field, String body, String rule) {}

    @Property(tries = 60, seed = "6064", shrinking = ShrinkingMode.BOUNDED)
    void wrongTypesAndDuplicateKeysAre400sNamingTheField(@ForAll("wrongTypes") WrongType wrong) {
        HttpResponse<String> response = send(new Request("POST", "/jobs", JSON, null, utf8(wrong.body()), false));
        assertThat(response.statusCode()).as("%s answered %s", wrong, response.body()).isEqualTo(400);
        JsonNode problem = service().api().json(response);
        assertThat(problem.get("field").asString()).as(response.body()).isEqualTo(wrong.field());
        assertThat(problem.get("rule").asString()).as(response.body()).contains(wrong.rule());
    }

    @Property(tries = 400, seed = "6062", shrinking = ShrinkingMode.BOUNDED)
    void readsAndCancelsAreAnsweredWith2xxOr4xxProblems(@ForAll("reads") Request request) {
        send(request);
    }

    @Property(tries = 80, seed = "6063", shrinking = ShrinkingMode.BOUNDED)
    void uploadsAreAnsweredWith2xxOr4xxProblemsAndLeaveNoImportBehind(@ForAll("uploads") Request request)
            throws IOException {
        send(request);
        Path datasets = service().data().resolve("datasets");
        try (var entries = Files.list(datasets)) {
            assertThat(entries.map(p -> p.getFileName().toString())).noneMatch(name -> name.startsWith("."));
        }
    }

    /** Sends the request and checks the one promise: 2xx, or 4xx as problem+json; never 5xx. */
    private static HttpResponse<String> send(Request request) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (request.contentType() != null) {
            headers.put("Content-Type", request.contentType());
        }
        if (request.accept() != null) {
            headers.put("Accept", request.accept());
        }
        HttpResponse<String> response = service().api().raw(request.method(), request.path(), headers, request.body(),
                request.chunked());
        int status = response.statusCode();
        String endpoint = request.method() + " " + request.path().replaceAll("\\?.*", "").replaceAll("/jobs/.+", "/jobs/{id}")
                .replaceAll("/datasets/.+", "/datasets/{name}");
        Statistics.collect(endpoint, status / 100 + "xx");
        assertThat(status).as("%s answered %s", request, response.body()).isLessThan(500);
        if (status >= 400) {
            Optional<String> type = response.headers().firstValue("Content-Type");
            assertThat(type).as("%s answered %d %s", request, status, response.body())
                    .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
            JsonNode problem = service().api().json(response);
            assertThat(problem.get("status").asInt()).isEqualTo(status);
        } else {
            assertThat(status).as("%s answered %s", request, response.body()).isBetween(200, 299);
        }
        return response;
    }

    /** The service takes one more tiny job to SUCCEEDED and serves its samples. */
    @AfterContainer
    static void theServiceStillTrainsAndServes() {
        try (Service service = service()) {
            JsonNode done;
            try {
                done = service.api().trainToSuccess("{\"dataset\":\"ring8\",\"steps\":50,\"hiddenUnits\":16,"
                        + "\"hiddenLayers\":1,\"batchSize\":64,\"seed\":11}", Duration.ofMinutes(2));
            } catch (AssertionError e) {
                // most likely a job the fuzzer got queued and did not cancel: say which
                List<String> unfinished = new ArrayList<>();
                service.api().json(service.api().get("/jobs")).forEach(job -> {
                    String status = job.get("status").asString();
                    if (status.equals("QUEUED") || status.equals("RUNNING")) {
                        unfinished.add(status + " " + job.get("config"));
                    }
                });
                throw new AssertionError(e.getMessage() + "\nunfinished jobs: " + unfinished, e);
            }
            HttpResponse<byte[]> samples = service.api().getBytes("/samples?n=16&seed=1&job=" + done.get("id").asString());
            assertThat(samples.statusCode()).isEqualTo(200);
            assertThat(samples.headers().firstValue("Content-Type")).hasValue("image/png");
        }
    }

    // ---- job bodies ---------------------------------------------------------------------------

    private static final List<String> JOB_FIELDS = List.of("dataset", "architecture", "loss", "steps", "batchSize",
            "discriminatorSteps", "latentDim", "hiddenUnits", "hiddenLayers", "featureMaps", "imageSize",
            "generatorLearningRate", "discriminatorLearningRate", "beta1", "beta2", "learningRateSchedule", "seed",
            "checkpointEvery", "device", "optimizer", "clipValue", "gradientPenalty", "spectralNorm", "pack",
            "emaDecay", "conditional", "infoGan", "evaluateEvery", "evaluationSamples", "evaluateAtEnd", "stopWhen",
            "keepBestBy", "precision");

    @Provide
    Arbitrary<Request> jobPosts() {
        Arbitrary<byte[]> body = Arbitraries.frequencyOf(
                Tuple.of(4, jobObject().map(ApiFuzzTest::utf8)),
                Tuple.of(3, plausibleJob().map(ApiFuzzTest::utf8)),
                Tuple.of(2, jobObject().flatMap(json -> Arbitraries.integers().between(0, json.length())
                        .map(cut -> utf8(json.substring(0, cut))))),
                Tuple.of(1, anyJson(2).map(ApiFuzzTest::utf8)),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(300)));
        Arbitrary<String> contentType = Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.just(JSON)),
                Tuple.of(3, Arbitraries.of("application/json; charset=UTF-8", "application/json; charset=bogus",
                        "application/problem+json", "text/plain", "application/xml", "application/x-www-form-urlencoded",
                        "multipart/form-data", "multipart/form-data; boundary=zzz", "*/*", "image/png", "garbage",
                        "application/")),
                Tuple.of(1, Arbitraries.just((String) null)));
        return Combinators.combine(body, contentType, accepts(), Arbitraries.of(false, false, false, true))
                .as((b, type, accept, chunked) -> new Request("POST", "/jobs", type, accept, b, chunked));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A JSON object of known job fields (and some unknown ones) with values of every type and range. */
    private Arbitrary<String> jobObject() {
        Arbitrary<String> name = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.of(JOB_FIELDS)),
                Tuple.of(1, Arbitraries.of("stepz", "Dataset", "", "dataset ", "__proto__", "extra")));
        Arbitrary<String> member = Combinators.combine(name, fieldValue()).as((n, v) -> quote(n) + ":" + v);
        Arbitrary<String> dataset = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of("\"ring8\"", "\"grid25\"")),
                Tuple.of(2, Arbitraries.of("\"fuzz-shapes\"", "\"mnist\"", "\"fashion-mnist\"", "\"no-such-set\"",
                        "\"../etc\"", "\"\"", "null", "7", "[\"ring8\"]")),
                Tuple.of(1, strings().map(ApiFuzzTest::quote)));
        return Combinators.combine(dataset, member.list().ofMaxSize(6), Arbitraries.of(true, true, true, false))
                .as((d, members, withDataset) -> {
                    List<String> all = new ArrayList<>(members);
                    if (withDataset) {
                        all.addFirst("\"dataset\":" + d);
                    }
                    return "{" + String.join(",", all) + "}";
                });
    }

    /**
     * A request of in-range values in random combinations, so the fuzz also reaches past field
     * checks into defaults and the rules on how options fit together. Steps, evaluation samples and
     * DCGAN width are always small, since an accepted job may finish before it is cancelled.
     */
    private Arbitrary<String> plausibleJob() {
        Map<String, Arbitrary<String>> valid = new LinkedHashMap<>();
        valid.put("architecture", Arbitraries.of("\"mlp\"", "\"dcgan\""));
        valid.put("loss", Arbitraries.of("\"minimax\"", "\"non-saturating\"", "\"wgan\"", "\"wgan-gp\"", "\"hinge\""));
        valid.put("batchSize", Arbitraries.integers().between(1, 16).map(String::valueOf));
        valid.put("discriminatorSteps", Arbitraries.integers().between(1, 3).map(String::valueOf));
        valid.put("latentDim", Arbitraries.integers().between(1, 8).map(String::valueOf));
        valid.put("hiddenUnits", Arbitraries.integers().between(1, 16).map(String::valueOf));
        valid.put("hiddenLayers", Arbitraries.integers().between(1, 2).map(String::valueOf));
        valid.put("imageSize", Arbitraries.of("8", "16", "28", "32"));
        valid.put("generatorLearningRate", Arbitraries.of("0.0001", "0.001", "1"));
        valid.put("beta1", Arbitraries.of("0", "0.5", "0.99"));
        valid.put("learningRateSchedule", Arbitraries.of("\"constant\"", "\"linear\""));
        valid.put("seed", Arbitraries.longs().map(String::valueOf));
        valid.put("checkpointEvery", Arbitraries.integers().between(1, 5).map(String::valueOf));
        valid.put("device", Arbitraries.of("\"auto\"", "\"cpu\"", "\"gpu\""));
        valid.put("precision", Arbitraries.of("\"auto\"", "\"float32\"", "\"bfloat16\""));
        valid.put("optimizer", Arbitraries.of("\"adam\"", "\"rmsprop\""));
        valid.put("clipValue", Arbitraries.of("0", "0.01", "1"));
        valid.put("gradientPenalty", Arbitraries.of("0", "1", "10"));
        valid.put("spectralNorm", Arbitraries.of("true", "false"));
        valid.put("pack", Arbitraries.integers().between(1, 4).map(String::valueOf));
        valid.put("emaDecay", Arbitraries.of("0", "0.9"));
        valid.put("conditional", Arbitraries.of("true", "false"));
        valid.put("infoGan", Arbitraries.of("{}", "{\"categorical\":4}", "{\"categorical\":0,\"continuous\":2}",
                "{\"categorical\":3,\"continuous\":1,\"lambda\":0.5}"));
        valid.put("evaluateEvery", Arbitraries.integers().between(0, 5).map(String::valueOf));
        valid.put("evaluateAtEnd", Arbitraries.of("true", "false"));
        valid.put("stopWhen", Arbitraries.of("{\"metric\":\"modes\",\"above\":0.5}", "{\"metric\":\"kl\",\"below\":1}",
                "{\"metric\":\"parzen\",\"above\":0}", "{\"metric\":\"fd\",\"below\":100}"));
        valid.put("keepBestBy", Arbitraries.of("\"fd\"", "\"is\"", "\"parzen\"", "\"kl\"", "\"hq\""));
        Arbitrary<String> member = Arbitraries.of(List.copyOf(valid.keySet()))
                .flatMap(name -> valid.get(name).map(value -> quote(name) + ":" + value));
        return Combinators.combine(Arbitraries.of("\"ring8\"", "\"grid25\"", "\"fuzz-shapes\""),
                        Arbitraries.integers().between(1, 20), Arbitraries.integers().between(100, 200),
                        member.list().ofMaxSize(5))
                .as((dataset, steps, samples, members) -> "{\"dataset\":" + dataset + ",\"steps\":" + steps
                        + ",\"evaluationSamples\":" + samples + ",\"featureMaps\":4"
                        + members.stream().map(m -> "," + m).reduce("", String::concat) + "}");
    }

    private static final List<String> INTEGER_FIELDS = List.of("steps", "batchSize", "discriminatorSteps", "latentDim",
            "hiddenUnits", "hiddenLayers", "featureMaps", "imageSize", "seed", "checkpointEvery", "pack", "evaluateEvery",
            "evaluationSamples", "infoGan.categorical", "infoGan.continuous");
    private static final List<String> DECIMAL_FIELDS = List.of("generatorLearningRate", "discriminatorLearningRate",
            "beta1", "beta2", "clipValue", "gradientPenalty", "emaDecay", "infoGan.lambda");
    private static final List<String> BOOLEAN_FIELDS = List.of("spectralNorm", "conditional", "evaluateAtEnd");

    @Provide
    Arbitrary<WrongType> wrongTypes() {
        Arbitrary<String> decimal = Arbitraries.of("1.5", "0.5", "2.0", "1e2", "-0.25", "100.000001");
        Arbitrary<String> numeric = Arbitraries.of("1", "0", "300", "0.5", "-1", "1e3", "", " 7");
        Arbitrary<WrongType> floatForInt = Combinators.combine(Arbitraries.of(INTEGER_FIELDS), decimal)
                .as((field, value) -> wrongType(field, value, "must be an integer, not "));
        Arbitrary<WrongType> stringForInt = Combinators.combine(Arbitraries.of(INTEGER_FIELDS), numeric)
                .as((field, value) -> wrongType(field, quote(value), "must be an integer, not a string"));
        Arbitrary<WrongType> stringForNumber = Combinators.combine(Arbitraries.of(DECIMAL_FIELDS), numeric)
                .as((field, value) -> wrongType(field, quote(value), "must be a number, not a string"));
        Arbitrary<WrongType> notABoolean = Combinators.combine(Arbitraries.of(BOOLEAN_FIELDS),
                        Arbitraries.of("\"true\"", "\"false\"", "1", "0", "1.0", "\"yes\"", "\"\""))
                .as((field, value) -> wrongType(field, value, "must be a boolean"));
        List<String> all = new ArrayList<>(INTEGER_FIELDS);
        all.addAll(DECIMAL_FIELDS);
        all.addAll(BOOLEAN_FIELDS);
        Arbitrary<WrongType> duplicate = Arbitraries.of(all).map(field -> {
            String value = BOOLEAN_FIELDS.contains(field) ? "true" : "1";
            String key = quote(field.replace("infoGan.", ""));
            String pair = key + ":" + value + "," + key + ":" + value;
            String body = field.startsWith("infoGan.") ? "{\"dataset\":\"ring8\",\"infoGan\":{" + pair + "}}"
                    : "{\"dataset\":\"ring8\"," + pair + "}";
            return new WrongType(field, body, "duplicate key");
        });
        return Arbitraries.oneOf(floatForInt, stringForInt, stringForNumber, notABoolean, duplicate);
    }

    /** {@code {"dataset":"ring8","field":value}}, nesting {@code infoGan.x} as {@code "infoGan":{"x":value}}. */
    private static WrongType wrongType(String field, String value, String rule) {
        String body = field.startsWith("infoGan.")
                ? "{\"dataset\":\"ring8\",\"infoGan\":{" + quote(field.substring("infoGan.".length())) + ":" + value + "}}"
                : "{\"dataset\":\"ring8\"," + quote(field) + ":" + value + "}";
        return new WrongType(field, body, rule);
    }

    /**
     * Values that are out of range, of the wrong type, or valid and tiny: nothing valid and large,
     * so an accepted job is small even before it is cancelled.
     */
    private Arbitrary<String> fieldValue() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of("0", "-1", "1", "2", "3", "8", "16", "28", "100", "1000001", "2147483647",
                        "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
                        "123456789012345678901234567890", "1e400", "-1e400", "1e-400", "0.5", "1.5", "-0.0", "3.4e39",
                        "1e-50", "0.999999", "1.0", "4.9e-324")),
                Tuple.of(3, Arbitraries.of("\"mlp\"", "\"dcgan\"", "\"minimax\"", "\"non-saturating\"", "\"wgan\"",
                        "\"wgan-gp\"", "\"hinge\"", "\"constant\"", "\"linear\"", "\"auto\"", "\"cpu\"", "\"gpu\"",
                        "\"adam\"", "\"rmsprop\"", "\"fd\"", "\"kl\"", "\"modes\"", "\"parzen\"", "\"MLP\"", "\"\"",
                        "\"1\"", "\"NaN\"", "\"Infinity\"")),
                Tuple.of(2, Arbitraries.of("true", "false", "null", "[]", "{}", "[1,2]", "\"x\"")),
                Tuple.of(2, Arbitraries.of("{\"categorical\":4,\"continuous\":1}", "{\"categorical\":1}",
                        "{\"categorical\":0,\"continuous\":0}", "{\"categorical\":65}", "{\"lambda\":-1}",
                        "{\"metric\":\"modes\",\"above\":0.5}", "{\"metric\":\"fd\",\"below\":5}", "{\"metric\":\"kl\"}",
                        "{\"metric\":null,\"below\":1}", "{\"metric\":\"hq\",\"below\":\"x\"}", "{\"stepz\":1}")),
                Tuple.of(1, strings().map(ApiFuzzTest::quote)),
                Tuple.of(1, anyJson(2)));
    }

    /** Arbitrary JSON text of bounded depth. */
    private Arbitrary<String> anyJson(int depth) {
        Arbitrary<String> scalar = Arbitraries.oneOf(
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf).filter(s -> !s.contains("Infinity") && !s.contains("NaN")),
                strings().map(ApiFuzzTest::quote),
                Arbitraries.of("true", "false", "null"));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<String> inner = Arbitraries.lazy(() -> anyJson(depth - 1));
        return Arbitraries.oneOf(scalar,
                inner.list().ofMaxSize(4).map(items -> "[" + String.join(",", items) + "]"),
                Combinators.combine(strings(), inner).as((k, v) -> quote(k) + ":" + v).list().ofMaxSize(4)
                        .map(members -> "{" + String.join(",", members) + "}"));
    }

    private static Arbitrary<String> strings() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.strings().ofMaxLength(12)),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(6)),
                Tuple.of(1, Arbitraries.strings().withChars('a', 'x').ofMinLength(200).ofMaxLength(2000)));
    }

    /** A JSON string literal: quotes, backslashes and control characters escaped, the rest as is. */
    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || Character.isSurrogate(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static Arbitrary<String> accepts() {
        return Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.just((String) null)),
                Tuple.of(2, Arbitraries.of("application/json", "*/*", "image/png", "text/html", "application/xml",
                        "application/problem+json", "image/*", "garbage")));
    }

    // ---- reads and cancels --------------------------------------------------------------------

    private static final Map<String, List<String>> PARAMETERS = Map.of(
            "/samples", List.of("n", "seed", "job", "format", "label", "perClass", "code", "checkpoint"),
            "/interpolations", List.of("steps", "rows", "method", "seed", "job", "format", "label", "vary", "code"),
            "/samples/nearest", List.of("n", "seed", "job"),
            "/datasets", List.of("name", "n"),
            "/jobs/{id}", List.of("x"));

    @Provide
    Arbitrary<Request> reads() {
        Arbitrary<String> endpoint = Arbitraries.of("/samples", "/samples", "/interpolations", "/interpolations",
                "/samples/nearest", "/datasets", "/jobs/{id}");
        Arbitrary<Request> gets = endpoint.flatMap(e -> Combinators.combine(query(e), id(), accepts())
                .as((q, id, accept) -> new Request("GET", e.replace("{id}", id) + q, null, accept, null, false)));
        Arbitrary<Request> datasetGets = Combinators.combine(id(), accepts())
                .as((id, accept) -> new Request("GET", "/datasets/" + id, null, accept, null, false));
        Arbitrary<Request> deletes = Combinators.combine(id(), accepts())
                .as((id, accept) -> new Request("DELETE", "/jobs/" + id, null, accept, null, false));
        return Arbitraries.frequencyOf(Tuple.of(7, gets), Tuple.of(1, datasetGets), Tuple.of(2, deletes));
    }

    private Arbitrary<String> query(String endpoint) {
        Arbitrary<String> name = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of(PARAMETERS.get(endpoint))),
                Tuple.of(1, strings()));
        Arbitrary<String> pair = Combinators.combine(name, queryValue())
                .as((n, v) -> encode(n) + "=" + encode(v));
        return pair.list().ofMaxSize(5).map(pairs -> pairs.isEmpty() ? "" : "?" + String.join("&", pairs));
    }

    private Arbitrary<String> queryValue() {
        Arbitrary<String> jobs = Arbitraries.integers().between(0, 3).map(i -> service().jobIds().get(i));
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of("0", "1", "2", "3", "4", "7", "16", "-1", "65", "1025", "1000000",
                        "2147483648", "-9223372036854775809", "1e3", "0x10", "1.5", "")),
                Tuple.of(3, Arbitraries.of("png", "json", "zip", "gif", "slerp", "lerp", "cubic", "latest", "best",
                        "true", "false", "yes", "c1:3", "c1:0,c2:0.5", "c2:1e400", "c1:-1", "c9:1", "c1:abc",
                        "c1:1,c1:2", ",", ":", "c1", "c2", "c3", "c0", "%", "../")),
                Tuple.of(3, jobs),
                Tuple.of(1, strings()));
    }

    private Arbitrary<String> id() {
        Arbitrary<String> jobs = Arbitraries.integers().between(0, 3).map(i -> service().jobIds().get(i));
        return Arbitraries.frequencyOf(
                Tuple.of(2, jobs),
                Tuple.of(2, Arbitraries.of("no-such-job", "ring8", "fuzz-shapes", "mnist", "..", ".", "%2e%2e",
                        "a%2Fb", "%00", "%20", "x;y", "x%3By", "%E2%98%83", "%FF", "00000000-0000-0000-0000-000000000000",
                        "a".repeat(300))),
                Tuple.of(2, strings().filter(s -> !s.isEmpty()).map(ApiFuzzTest::encode)));
    }

    // ---- uploads ------------------------------------------------------------------------------

    private static final String BOUNDARY = "fuzz-boundary-7d1f";
    private static final byte[] PIXEL_BOMB = UploadFiles.zeroPng(4096, 4096, 6, 16);

    @Provide
    Arbitrary<Request> uploads() {
        Arbitrary<String> name = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.integers().between(0, 99999).map(i -> "fz-" + i)),
                Tuple.of(1, Arbitraries.of("mnist", "ring8", "fuzz-shapes", "", "Bad_Name", "../up", "a".repeat(65))),
                Tuple.of(1, strings()));
        Arbitrary<Map<String, Object>> parts = Combinators.combine(name, uploadFile(), Arbitraries.integers().between(0, 9))
                .as((n, file, shape) -> {
                    Map<String, Object> all = new LinkedHashMap<>();
                    if (shape != 0) {
                        all.put("name", n);
                    }
                    if (shape != 1) {
                        all.put("file", new HttpApi.FilePart("upload.bin", file));
                    }
                    if (shape == 2) {
                        all.put("labels", new HttpApi.FilePart("labels", UploadFiles.idxLabels(3, 2)));
                    }
                    return all;
                });
        Arbitrary<byte[]> body = Combinators.combine(parts, Arbitraries.integers().between(0, 9))
                .as((p, cut) -> {
                    byte[] whole = HttpApi.multipartBody(BOUNDARY, p);
                    // one in ten bodies is cut short: the multipart parser itself must fail cleanly
                    return cut == 0 ? java.util.Arrays.copyOf(whole, whole.length / 2) : whole;
                });
        return Combinators.combine(body, accepts())
                .as((b, accept) -> new Request("POST", "/datasets", "multipart/form-data; boundary=" + BOUNDARY, accept,
                        b, false));
    }

    private Arbitrary<byte[]> uploadFile() {
        Arbitrary<String> entryName = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of("a.png", "b.png", "disc/a.png", "square/b.png", "wrap/disc/c.png")),
                Tuple.of(2, Arbitraries.of("../x.png", "/abs.png", "C:\\x.png", "a/b/c/d.png", "__MACOSX/._a.png",
                        ".hidden.png", "dir/", "a.png/b.png", "x.txt")),
                // zip entry names must encode as UTF-8: no lone surrogates
                Tuple.of(1, strings().filter(s -> !s.isEmpty() && StandardCharsets.UTF_8.newEncoder().canEncode(s))));
        Arbitrary<byte[]> entryContent = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.integers().between(1, 20).map(side -> UploadFiles.png(side, side))),
                Tuple.of(1, Arbitraries.just(UploadFiles.pngClaiming(70_000, 3))),
                // a real 4096 x 4096 16-bit RGBA PNG of ~130 KB: 128 MB once decoded, refused from its header
                Tuple.of(1, Arbitraries.just(PIXEL_BOMB)),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(64)));
        Arbitrary<byte[]> zip = Combinators.combine(entryName, entryContent).as(Map::entry).list().ofMaxSize(6)
                .map(entries -> {
                    Map<String, byte[]> unique = new LinkedHashMap<>();
                    entries.forEach(e -> unique.putIfAbsent(e.getKey(), e.getValue()));
                    return UploadFiles.zip(unique);
                });
        Arbitrary<byte[]> idx = Combinators.combine(Arbitraries.of(UploadFiles.IDX_IMAGES_MAGIC, UploadFiles.IDX_LABELS_MAGIC,
                        0x0803, 0x0D03), Arbitraries.of(-1, 0, 1, 3, 70_000), Arbitraries.integers().between(0, 40))
                .as((magic, count, extra) -> UploadFiles.idx(magic, new int[] {count, 4, 4}, new byte[extra]));
        Arbitrary<byte[]> goodZip = Arbitraries.integers().between(1, 4).map(perClass -> UploadFiles.zip(
                UploadFiles.shapeEntries(null, List.of("disc", "square"), perClass, 8, perClass)));
        return Arbitraries.frequencyOf(
                Tuple.of(5, zip),
                Tuple.of(2, goodZip),
                Tuple.of(2, idx),
                Tuple.of(1, idx.map(UploadFiles::gzip)),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(200)),
                Tuple.of(1, zip.map(z -> java.util.Arrays.copyOf(z, Math.max(1, z.length * 2 / 3)))));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void deleteTree(Path folder) {
        try (var files = Files.walk(folder)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
