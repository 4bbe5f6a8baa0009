package io.ganserve.api;

import io.ganserve.evaluation.Evaluator;
import io.ganserve.sampling.CodeValues;
import io.ganserve.sampling.SampleRenderer;
import io.ganserve.sampling.SampleService;
import io.ganserve.sampling.Samples;
import io.ganserve.sampling.SamplingProperties;
import io.ganserve.sampling.latent.LatentPath;
import io.ganserve.jobs.JobService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import io.ganserve.Roles;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.ContentDisposition;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@ConditionalOnBooleanProperty(name = Roles.SERVING, matchIfMissing = true)
@Tag(name = "samples", description = "Images (or points) from trained generators")
class SampleController {

    /** Names the seed a response was drawn with, so an unseeded request can be repeated. */
    static final String SEED_HEADER = "X-Seed";
    /** Names the job whose generator answered. */
    static final String MODEL_HEADER = "X-Model";
    /** A figure's columns, left to right, comma-separated: what a page writes over them. */
    static final String COLUMNS_HEADER = "X-Columns";

    private static final MediaType ZIP_TYPE = MediaType.parseMediaType("application/zip");

    enum Format { PNG, JSON, ZIP }

    enum StripFormat { PNG, JSON }

    enum Checkpoint { LATEST, BEST }

    private final SampleService samples;
    private final SampleRenderer renderer;
    private final JobService jobs;
    private final SamplingProperties limits;
    private final Evaluator evaluator;
    private final tools.jackson.databind.ObjectMapper jsonMapper;

    SampleController(SampleService samples, SampleRenderer renderer, JobService jobs, SamplingProperties limits,
                     Evaluator evaluator, tools.jackson.databind.ObjectMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
        this.samples = samples;
        this.renderer = renderer;
        this.jobs = jobs;
        this.limits = limits;
        this.evaluator = evaluator;
    }

    /** {@code shape} is [n, 2] for points, [n, C, H, W] for images; data is nested the same way. */
    record SamplesJson(String model, long step, List<Integer> shape, Object data) {}

    @GetMapping("/samples")
    @Operation(summary = "Samples from the latest generator (or a job's)",
            description = "PNG grid with ceil(sqrt(n)) columns by default; for point datasets a scatter plot over the real data.")
    @ApiResponse(responseCode = "200", description = "the samples as format asks; X-Seed names the seed they were drawn with",
            content = {
                @Content(mediaType = "image/png", schema = @Schema(type = "string", format = "binary")),
                @Content(mediaType = "application/json", schema = @Schema(implementation = SamplesJson.class)),
                @Content(mediaType = "application/zip", schema = @Schema(type = "string", format = "binary"))})
    @ApiResponse(responseCode = "400", description = "a parameter out of range, or one the model does not take")
    @ApiResponse(responseCode = "404", description = "no trained generator yet, or no such job")
    @ApiResponse(responseCode = "409", description = "the generator's file is damaged (job, file)")
    @ApiResponse(responseCode = "422", description = "so many samples exceed the service's whole memory budget")
    @ApiResponse(responseCode = "429", description = "this client's sampling rate limit (ganserve.api.rate-limit)")
    @ApiResponse(responseCode = "503", description = "the memory budget is held by others now, or the job store cannot answer")
    ResponseEntity<?> samples(
            @Parameter(description = "number of samples, at most ganserve.sampling.max-samples (1024)")
            @RequestParam(defaultValue = "16") int n,
            @Parameter(description = "makes the answer reproducible; random when omitted (see the X-Seed header)")
            @RequestParam(required = false) Long seed,
            @Parameter(description = "a job id: its final generator, or while it trains, its newest checkpoint")
            @RequestParam(required = false) String job,
            @Parameter(description = "png: a grid (a scatter plot for points); json: the numbers; zip: one PNG per sample")
            @Choices(Format.class) @RequestParam(defaultValue = "png") String format,
            @Parameter(description = "conditional models only: the class every sample is drawn from, 0 to K-1; "
                    + "each sample's class is drawn with the seed when omitted")
            @RequestParam(required = false) Integer label,
            @Parameter(description = "conditional models only: n samples of every class, class after class "
                    + "(K x n; the PNG has one row per class); label is then not allowed")
            @RequestParam(defaultValue = "false") boolean perClass,
            @Parameter(description = "InfoGAN models only: code values every sample shares, as name:value pairs, "
                    + "e.g. c1:3,c2:0.5 (c1 is the categorical code, 0 to K-1; continuous codes lie in [-2, 2]); "
                    + "codes left out are drawn with the seed")
            @RequestParam(required = false) String code,
            @Parameter(description = "latest (the job's final generator, or its newest checkpoint while it trains) or "
                    + "best (the generator its evaluations scored best; needs job)")
            @Choices(Checkpoint.class) @RequestParam(defaultValue = "latest") String checkpoint,
            @Parameter(description = TRUNCATION)
            @RequestParam(defaultValue = "1") float truncation) {
        InvalidParameterException.checkRange("n", n, 1, limits.maxSamples());
        float psi = checkedTruncation(truncation);
        boolean best = InvalidParameterException.checkChoice("checkpoint", checkpoint, Checkpoint.class) == Checkpoint.BEST;
        if (best && (job == null || perClass)) {
            throw new InvalidParameterException("checkpoint", job == null
                    ? "best needs job: each job keeps its own best generator"
                    : "best is not available with perClass");
        }
        Format f = InvalidParameterException.checkChoice("format", format, Format.class);
        String jobId = checkedJob(job);
        int count = n;
        if (perClass) {
            if (label != null) {
                throw new InvalidParameterException("label", "must be omitted with perClass, which draws every class");
            }
            int k = checkedClasses("perClass", jobId);
            InvalidParameterException.checkRange("n", n * k, 1, limits.maxSamples()); // K·n samples are drawn
            count = n * k;
        } else {
            checkedLabel(label, jobId);
        }
        CodeValues codes = parsedCodes(code);
        long s = seedOrRandom(seed);
        String blamed = perClass ? "perClass" : codes.isEmpty() ? "label" : "code";
        try (var admitted = samples.admit(jobId, count, best)) {
            Samples result = labelled(blamed,
                    () -> perClass ? samples.samplePerClass(jobId, n, s, psi)
                            : samples.sample(jobId, n, s, label, codes, best, psi));
            return switch (f) {
                case PNG -> binary(result, s, MediaType.IMAGE_PNG,
                        perClass ? renderer.gridPng(result, n) : renderer.gridPng(result), null);
                case ZIP -> binary(result, s, ZIP_TYPE, renderer.zip(result), "samples.zip");
                case JSON -> jsonResponse(result, s);
            };
        }
    }

    @GetMapping("/samples/nearest")
    @Operation(summary = "Each sample beside its nearest training images (the GAN paper's Figure 2)",
            description = "A PNG with one row per sample: the sample, its nearest training image by L2 distance in "
                    + "pixels, and (when the dataset has labels for a feature network) by L2 distance in the feature "
                    + "network's space. Shows whether the generator copies its training set. Image models only. "
                    + "X-Columns names the columns, left to right.")
    @ApiResponse(responseCode = "200", description = "the rows as one PNG",
            content = @Content(mediaType = "image/png", schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "400", description = "a parameter out of range, or a point model")
    @ApiResponse(responseCode = "404", description = "no trained generator yet, or no such job")
    @ApiResponse(responseCode = "409", description = "the generator's file is damaged (job, file)")
    @ApiResponse(responseCode = "422", description = "so many rows exceed the service's whole memory budget")
    @ApiResponse(responseCode = "429", description = "this client's sampling rate limit (ganserve.api.rate-limit)")
    @ApiResponse(responseCode = "503", description = "the memory budget is held by others now, or the job store cannot answer")
    ResponseEntity<byte[]> nearest(
            @Parameter(description = "samples (rows), at most ganserve.sampling.max-rows (16)")
            @RequestParam(defaultValue = "8") int n,
            @RequestParam(required = false) Long seed,
            @RequestParam(required = false) String job) {
        InvalidParameterException.checkRange("n", n, 1, limits.maxRows());
        String jobId = checkedJob(job);
        long s = seedOrRandom(seed);
        try (var admitted = samples.admit(jobId, 3 * n, false)) {
            return nearestGrid(jobId, n, s);
        }
    }

    private ResponseEntity<byte[]> nearestGrid(String jobId, int n, long s) {
        Samples drawn = samples.sample(jobId, n, s);
        if (!drawn.isImage()) {
            throw new InvalidParameterException("job", "nearest neighbours are shown for image models; this one "
                    + "generates points (see GET /samples, which plots them over the data)");
        }
        io.ganserve.registry.TrainingConfig config = drawn.model().config();
        Evaluator.Neighbours found = evaluator.nearest(config.dataset(), config.imageSize(), drawn.data(), n);
        int columns = found.byFeatures() == null ? 2 : 3;
        int length = drawn.sampleLength();
        float[] rows = new float[n * columns * length];
        for (int i = 0; i < n; i++) {
            System.arraycopy(drawn.data(), i * length, rows, (i * columns) * length, length);
            System.arraycopy(found.byPixels(), i * length, rows, (i * columns + 1) * length, length);
            if (found.byFeatures() != null) {
                System.arraycopy(found.byFeatures(), i * length, rows, (i * columns + 2) * length, length);
            }
        }
        Samples grid = new Samples(drawn.model(), drawn.step(), n * columns, drawn.sampleShape(), rows);
        return answer(grid, s, MediaType.IMAGE_PNG, null)
                .header(COLUMNS_HEADER, columns == 2 ? "sample, nearest by pixels"
                        : "sample, nearest by pixels, nearest by features")
                .body(renderer.gridPng(grid, columns));
    }

    @GetMapping("/interpolations")
    @Operation(summary = "Latent interpolation strips (the GAN paper's Figure 3)",
            description = "Each row walks from one random latent input to another in `steps` outputs: the noise, "
                    + "and for an InfoGAN model its codes too, unless `code` pins them.")
    @ApiResponse(responseCode = "200", description = "the strips as format asks; X-Seed names the seed they were drawn with",
            content = {
                @Content(mediaType = "image/png", schema = @Schema(type = "string", format = "binary")),
                @Content(mediaType = "application/json", schema = @Schema(implementation = SamplesJson.class))})
    @ApiResponse(responseCode = "400", description = "a parameter out of range, or one the model does not take")
    @ApiResponse(responseCode = "404", description = "no trained generator yet, or no such job")
    @ApiResponse(responseCode = "409", description = "the generator's file is damaged (job, file)")
    @ApiResponse(responseCode = "422", description = "so many outputs exceed the service's whole memory budget")
    @ApiResponse(responseCode = "429", description = "this client's sampling rate limit (ganserve.api.rate-limit)")
    @ApiResponse(responseCode = "503", description = "the memory budget is held by others now, or the job store cannot answer")
    ResponseEntity<?> interpolations(
            @Parameter(description = "outputs per strip, 2 to ganserve.sampling.max-steps (64)")
            @RequestParam(defaultValue = "10") int steps,
            @Parameter(description = "strips stacked in the image, at most ganserve.sampling.max-rows (16)")
            @RequestParam(defaultValue = "1") int rows,
            @Parameter(description = "slerp (spherical, the default for Gaussian latents) or lerp (straight line)")
            @Choices(LatentPath.Method.class) @RequestParam(defaultValue = "slerp") String method,
            @RequestParam(required = false) Long seed,
            @RequestParam(required = false) String job,
            @Parameter(description = "png: the strips as rows of one image; json: the numbers")
            @Choices(StripFormat.class) @RequestParam(defaultValue = "png") String format,
            @Parameter(description = "conditional models only: the class held along every strip, 0 to K-1; "
                    + "a class per strip drawn with the seed when omitted")
            @RequestParam(required = false) Integer label,
            @Parameter(description = "InfoGAN models only: the code each row sweeps while its noise and other codes "
                    + "stay fixed (the InfoGAN paper's Figure 2): c1, the categorical code, through all its K values; "
                    + "a continuous code in `steps` even steps over [-1, 1]. method is then unused")
            @RequestParam(required = false) String vary,
            @Parameter(description = "InfoGAN models: codes held at a value along every strip, e.g. c1:3 (see /samples); "
                    + "without vary, the codes left out move in a straight line between two drawn sets with the noise; "
                    + "with vary, they keep one drawn value per row")
            @RequestParam(required = false) String code,
            @Parameter(description = TRUNCATION)
            @RequestParam(defaultValue = "1") float truncation) {
        float psi = checkedTruncation(truncation);
        InvalidParameterException.checkRange("steps", steps, 2, limits.maxSteps());
        InvalidParameterException.checkRange("rows", rows, 1, limits.maxRows());
        LatentPath.Method m = InvalidParameterException.checkChoice("method", method, LatentPath.Method.class);
        StripFormat f = InvalidParameterException.checkChoice("format", format, StripFormat.class);
        String jobId = checkedJob(job);
        checkedLabel(label, jobId);
        CodeValues codes = parsedCodes(code);
        long s = seedOrRandom(seed);
        // a sweep of the categorical code has K columns instead of steps; ten covers the usual K
        try (var admitted = samples.admit(jobId, rows * Math.max(steps, vary != null ? 10 : steps), false)) {
            Samples result = vary != null
                    ? labelled("vary", () -> samples.sweep(jobId, vary, steps, rows, s, codes, psi))
                    : labelled(codes.isEmpty() ? "label" : "code",
                            () -> samples.interpolate(jobId, steps, rows, m, s, label, codes, psi));
            if (f == StripFormat.JSON) {
                return jsonResponse(result, s);
            }
            return binary(result, s, MediaType.IMAGE_PNG, renderer.stripsPng(result, rows, result.count() / rows), null);
        }
    }

    static final String TRUNCATION = "the truncation trick's psi, 0 to 1: each noise vector is pulled towards the "
            + "latent mean (z = psi * z, as StyleGAN's psi * (w - mean) + mean with N(0, I)'s mean 0); 1, the default, "
            + "is no truncation, 0 the mean image for every sample. Classes and InfoGAN codes are not truncated";

    private static float checkedTruncation(float truncation) {
        if (!(truncation >= 0 && truncation <= 1)) {
            throw new InvalidParameterException("truncation", "must be between 0 and 1, was " + truncation);
        }
        return truncation;
    }

    @io.swagger.v3.oas.annotations.media.Schema(description = "Latent vectors to generate from, and what else the model takes")
    record LatentBatch(
            @Schema(description = "a job id: its final generator (or newest checkpoint while it trains); "
                    + "default the model served by default")
            String job,
            @Schema(description = "the latent vectors, one row per output, each as long as the model's latentDim "
                    + "(GET /models); at most ganserve.sampling.max-samples rows", requiredMode = Schema.RequiredMode.REQUIRED)
            float[][] latents,
            @Schema(description = "conditional models only, and required there: one class per row, 0 to K-1")
            int[] labels,
            @Schema(description = "InfoGAN models only, and required there: one row per latent vector of the codes "
                    + "c1 to cN: c1, the categorical code, a whole number from 0 to K-1; continuous codes in [-2, 2]")
            double[][] codes) {}

    @org.springframework.web.bind.annotation.PostMapping("/samples")
    @Operation(summary = "The generator's outputs for latent vectors you send",
            description = "The same latent vector gives the same output as GET /samples drew from it with a seed. "
                    + "Costs what GET /samples with n = the number of rows costs; the body is capped by "
                    + "ganserve.api.max-json-bytes (64 KB: about 5,000 numbers).")
    @ApiResponse(responseCode = "200", description = "the outputs as format asks, in the order of the rows",
            content = {
                @Content(mediaType = "image/png", schema = @Schema(type = "string", format = "binary")),
                @Content(mediaType = "application/json", schema = @Schema(implementation = SamplesJson.class)),
                @Content(mediaType = "application/zip", schema = @Schema(type = "string", format = "binary"))})
    @ApiResponse(responseCode = "400", description = "a row of the wrong length or not finite, labels or codes "
            + "missing, extra or out of range (the field names the row), malformed JSON")
    @ApiResponse(responseCode = "404", description = "no trained generator yet, or no such job")
    @ApiResponse(responseCode = "409", description = "the generator's file is damaged (job, file)")
    @ApiResponse(responseCode = "413", description = "the body is larger than ganserve.api.max-json-bytes")
    @ApiResponse(responseCode = "415", description = "the body is not JSON")
    @ApiResponse(responseCode = "422", description = "so many outputs exceed the service's whole memory budget")
    @ApiResponse(responseCode = "503", description = "the memory budget is held by others now, or the job store cannot answer")
    ResponseEntity<byte[]> fromLatents(
            @org.springframework.web.bind.annotation.RequestBody LatentBatch batch,
            @Parameter(description = "png: a grid (a scatter plot for points); json: the numbers; zip: one PNG per output")
            @Choices(Format.class) @RequestParam(defaultValue = "png") String format) {
        Format f = InvalidParameterException.checkChoice("format", format, Format.class);
        if (batch.latents() == null || batch.latents().length == 0) {
            throw new InvalidParameterException("latents", "is required: at least one latent vector");
        }
        int n = batch.latents().length;
        if (n > limits.maxSamples()) {
            throw new InvalidParameterException("latents", "at most " + limits.maxSamples()
                    + " rows (ganserve.sampling.max-samples), had " + n);
        }
        String jobId = checkedJob(batch.job());
        try (var admitted = samples.admit(jobId, n, false)) {
            Samples result;
            try {
                result = samples.fromLatents(jobId, batch.latents(), batch.labels(), batch.codes());
            } catch (io.ganserve.sampling.InvalidInputException e) {
                throw new InvalidParameterException(e.field(), e.getMessage());
            }
            ResponseEntity.BodyBuilder ok = ResponseEntity.ok().header(MODEL_HEADER, result.model().jobId());
            return switch (f) {
                case PNG -> ok.contentType(MediaType.IMAGE_PNG).body(renderer.gridPng(result));
                case ZIP -> ok.contentType(ZIP_TYPE).headers(h -> h.setContentDisposition(
                        ContentDisposition.attachment().filename("samples.zip").build())).body(renderer.zip(result));
                case JSON -> ok.contentType(MediaType.APPLICATION_JSON).body(jsonMapper.writeValueAsBytes(json(result)));
            };
        }
    }

    private static CodeValues parsedCodes(String code) {
        try {
            return CodeValues.parse(code);
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterException("code", e.getMessage());
        }
    }

    private String checkedJob(String job) {
        if (job != null) {
            jobs.get(job); // 404 for an unknown job, before looking for its files
        }
        return job;
    }

    /** The classes of the model that would answer; 400 naming {@code parameter} when it has none. */
    private int checkedClasses(String parameter, String jobId) {
        int k = samples.numClasses(jobId);
        if (k == 0) {
            throw new InvalidParameterException(parameter, "needs a conditional model, and this one is unconditional "
                    + "(train one with \"conditional\": true)");
        }
        return k;
    }

    /**
     * The service refuses a label that does not fit the model it leased; the checks above ran
     * against the model of a moment earlier, which a newly finished job may have replaced since.
     */
    private static Samples labelled(String parameter, java.util.function.Supplier<Samples> draw) {
        try {
            return draw.get();
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterException(parameter, e.getMessage());
        }
    }

    private void checkedLabel(Integer label, String jobId) {
        if (label != null) {
            InvalidParameterException.checkRange("label", label, 0, checkedClasses("label", jobId) - 1);
        }
    }

    /** Written while the request's memory is still reserved, not by the framework after it was given back. */
    private ResponseEntity<byte[]> jsonResponse(Samples result, long seed) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).header(SEED_HEADER, Long.toString(seed))
                .body(jsonMapper.writeValueAsBytes(json(result)));
    }

    private static ResponseEntity<byte[]> binary(Samples result, long seed, MediaType type, byte[] body,
                                                 String attachmentName) {
        return answer(result, seed, type, attachmentName).body(body);
    }

    private static ResponseEntity.BodyBuilder answer(Samples result, long seed, MediaType type, String attachmentName) {
        ResponseEntity.BodyBuilder response = ResponseEntity.ok()
                .contentType(type)
                .header(SEED_HEADER, Long.toString(seed))
                .header(MODEL_HEADER, result.model().jobId());
        if (attachmentName != null) {
            response.headers(h -> h.setContentDisposition(ContentDisposition.attachment().filename(attachmentName).build()));
        }
        return response;
    }

    private static long seedOrRandom(Long seed) {
        return seed != null ? seed : ThreadLocalRandom.current().nextLong(1L << 53);
    }

    static SamplesJson json(Samples result) {
        List<Integer> shape = new ArrayList<>();
        shape.add(result.count());
        shape.addAll(result.sampleShape());
        List<Object> data = new ArrayList<>(result.count());
        for (int i = 0; i < result.count(); i++) {
            data.add(nest(result.sample(i), result.sampleShape(), 0, 0));
        }
        return new SamplesJson(result.model().jobId(), result.step(), shape, data);
    }

    /** Nests a flat row-major vector by {@code shape}: [C, H, W] becomes C lists of H lists of W numbers. */
    private static Object nest(float[] flat, List<Integer> shape, int dim, int offset) {
        if (dim == shape.size() - 1) {
            float[] row = new float[shape.get(dim)];
            System.arraycopy(flat, offset, row, 0, row.length);
            return row;
        }
        int stride = shape.subList(dim + 1, shape.size()).stream().reduce(1, (a, b) -> a * b);
        List<Object> nested = new ArrayList<>(shape.get(dim));
        for (int i = 0; i < shape.get(dim); i++) {
            nested.add(nest(flat, shape, dim + 1, offset + i * stride));
        }
        return nested;
    }
}
