package io.ganserve.api;

import io.ganserve.Roles;
import io.ganserve.inversion.InversionService;
import io.ganserve.jobs.JobService;
import io.ganserve.sampling.SampleRenderer;
import io.ganserve.sampling.Samples;
import io.ganserve.sampling.SamplingProperties;
import io.ganserve.sampling.latent.LatentPath;
import io.ganserve.sampling.render.PngEncoder;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** From image to latent: projection, morphs between uploads, and inpainting (docs/inference.md). */
@RestController
@ConditionalOnBooleanProperty(name = Roles.SERVING, matchIfMissing = true)
@Tag(name = "inference", description = "From image to latent: a learned encoder, projection, morphs and inpainting")
class InversionController {

    enum Format { JSON, PNG }

    private final InversionService inversion;
    private final JobService jobs;
    private final SampleRenderer renderer;
    private final SamplingProperties limits;

    InversionController(InversionService inversion, JobService jobs, SampleRenderer renderer, SamplingProperties limits) {
        this.inversion = inversion;
        this.jobs = jobs;
        this.renderer = renderer;
        this.limits = limits;
    }

    @Schema(description = "An image's projection onto the generator")
    record ProjectionJson(
            @Schema(description = "the job whose generator answered") String model,
            @Schema(description = "its generator step") long step,
            @Schema(description = "encoder or random: where the search started") String start,
            @Schema(description = "Adam steps taken on z") int steps,
            @Schema(description = "the latent z found") float[] latent,
            @Schema(description = "mean |G(z) − x| per pixel, pixels in [0, 1] (visible pixels only for inpainting)")
            double pixelL1,
            @Schema(description = "Euclidean distance of G(z) and x in the evaluation's feature network; null when the "
                    + "dataset has none stored yet (projection then used pixels alone)") Double featureDistance,
            @Schema(description = "pixelL1 at the start, before any step") double startPixelL1,
            double seconds,
            @Schema(description = "G(z) as a data:image/png;base64 URL, at the model's size") String reconstruction,
            @Schema(description = "conditional models: the class whose projection came closest; absent otherwise")
            Integer label,
            @Schema(description = "InfoGAN models: the codes found, named as GET /samples?code= names them (c1 the "
                    + "categorical value that came closest, then the continuous codes); absent otherwise")
            java.util.Map<String, Double> codes) {}

    @Schema(description = "An inpainting: the projection on the visible pixels, the completion and the composite")
    record InpaintingJson(ProjectionJson projection, int hiddenPixels,
            @Schema(description = "G(z*) in full, data:image/png;base64") String completion,
            @Schema(description = "the upload's visible pixels with G(z*)'s in the hidden ones, data:image/png;base64")
            String composite) {}

    @PostMapping(path = "/projections", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(summary = "Project an image onto a generator: its latent, reconstruction and error",
            description = "Starts from the job's encoder E(x) when it has one (POST /jobs/{id}/encoder), else from "
                    + "random noise, then takes `steps` Adam steps on z minimising pixel L2 plus the evaluation feature "
                    + "network's squared distance. The image must be a PNG or JPEG of the model's size and channels. "
                    + "A conditional generator is projected once per class and answers the closest class too; an "
                    + "InfoGAN one once per categorical value, its continuous codes found with z.")
    @ApiResponse(responseCode = "200", description = "the projection as format asks",
            content = {
                @Content(mediaType = "application/json", schema = @Schema(implementation = ProjectionJson.class)),
                @Content(mediaType = "image/png", schema = @Schema(type = "string", format = "binary"))})
    @ApiResponse(responseCode = "400", description = "a parameter out of range; an upload that is missing, not a PNG or "
            + "JPEG, or of the wrong size or channels (field names the part); a model projection cannot invert "
            + "(field job: points); start=encoder for a job without one")
    @ApiResponse(responseCode = "404", description = "no trained generator yet, or no such job")
    @ApiResponse(responseCode = "409", description = "the generator's or encoder's file is damaged (job, file)")
    @ApiResponse(responseCode = "413", description = "an upload larger than ganserve.inversion.max-upload-bytes")
    @ApiResponse(responseCode = "415", description = "the body is not multipart/form-data")
    @ApiResponse(responseCode = "422", description = "the request exceeds the service's whole memory budget")
    @ApiResponse(responseCode = "503", description = "the memory budget is held by others now, or the job store cannot answer")
    ResponseEntity<?> project(
            @RequestPart(required = false) MultipartFile image,
            @Parameter(description = "the job whose generator to use; default the latest finished")
            @RequestParam(required = false) String job,
            @Parameter(description = "Adam steps on z, 0 to ganserve.inversion.max-steps (500); default 100")
            @RequestParam(required = false) Integer steps,
            @Parameter(description = "auto (encoder when the job has one, else random), encoder or random")
            @Choices(InversionService.Start.class) @RequestParam(defaultValue = "auto") String start,
            @Parameter(description = "seed of a random start") @RequestParam(required = false) Long seed,
            @Parameter(description = "json: latent, errors and reconstruction; png: the reconstruction alone")
            @Choices(Format.class) @RequestParam(defaultValue = "json") String format) {
        Format f = InvalidParameterException.checkChoice("format", format, Format.class);
        InversionService.Options options = options(job, steps, start, seed);
        InversionService.Projection p = inversion.project(job, bytes(image), options);
        if (f == Format.PNG) {
            return png(p.model().jobId(), encode(p.reconstruction(), p.model().network().sampleShape()));
        }
        return ResponseEntity.ok().header(SampleController.MODEL_HEADER, p.model().jobId()).body(json(p));
    }

    @PostMapping(path = "/morphs", consumes = MediaType.MULTIPART_FORM_DATA_VALUE, produces = MediaType.IMAGE_PNG_VALUE)
    @Operation(summary = "Morph between two uploaded images",
            description = "Projects a and b (as POST /projections does), then walks between their latents like "
                    + "GET /interpolations: one strip with a, the `steps` generated outputs, and b.")
    @ApiResponse(responseCode = "200", description = "the strip as one PNG",
            content = @Content(mediaType = "image/png", schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "400", description = "a parameter out of range; an upload that is missing, not a PNG or "
            + "JPEG, or of the wrong size or channels (field a or b); a model projection cannot invert")
    @ApiResponse(responseCode = "404", description = "no trained generator yet, or no such job")
    @ApiResponse(responseCode = "409", description = "the generator's or encoder's file is damaged (job, file)")
    @ApiResponse(responseCode = "413", description = "an upload larger than ganserve.inversion.max-upload-bytes")
    @ApiResponse(responseCode = "415", description = "the body is not multipart/form-data")
    @ApiResponse(responseCode = "422", description = "the request exceeds the service's whole memory budget")
    @ApiResponse(responseCode = "503", description = "the memory budget is held by others now, or the job store cannot answer")
    ResponseEntity<byte[]> morph(
            @RequestPart(required = false) MultipartFile a,
            @RequestPart(required = false) MultipartFile b,
            @RequestParam(required = false) String job,
            @Parameter(description = "generated outputs between a and b, 2 to ganserve.sampling.max-steps (64)")
            @RequestParam(defaultValue = "8") int steps,
            @Parameter(description = "slerp (spherical, the default for Gaussian latents) or lerp (straight line)")
            @Choices(LatentPath.Method.class) @RequestParam(defaultValue = "slerp") String method,
            @Parameter(description = "Adam steps of each projection; default 100")
            @RequestParam(required = false) Integer projectionSteps,
            @Choices(InversionService.Start.class) @RequestParam(defaultValue = "auto") String start,
            @RequestParam(required = false) Long seed) {
        InvalidParameterException.checkRange("steps", steps, 2, limits.maxSteps());
        LatentPath.Method m = InvalidParameterException.checkChoice("method", method, LatentPath.Method.class);
        InversionService.Options options = options(job, projectionSteps, start, seed, "projectionSteps");
        InversionService.Morph morph = inversion.morph(job, bytes(a), bytes(b), steps, m, options);
        Samples strip = new Samples(morph.model(), morph.step(), morph.count(), morph.model().network().sampleShape(),
                morph.images());
        return png(morph.model().jobId(), renderer.stripsPng(strip, 1, morph.count()));
    }

    @PostMapping(path = "/inpaintings", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(summary = "Fill the hidden part of an image from the generator (the GAN paper's p(x_S | x_S'))",
            description = "Projects on the visible pixels only, then fills the hidden ones from G(z*). What is hidden: "
                    + "a mask image of the same size (white = hidden), or the rectangle x, y, width, height.")
    @ApiResponse(responseCode = "200", description = "the inpainting as format asks",
            content = {
                @Content(mediaType = "application/json", schema = @Schema(implementation = InpaintingJson.class)),
                @Content(mediaType = "image/png", schema = @Schema(type = "string", format = "binary"))})
    @ApiResponse(responseCode = "400", description = "a parameter out of range; an upload that is missing, not a PNG or "
            + "JPEG, of the wrong size or channels, a mask of the wrong size (field image or mask), a rectangle outside "
            + "the image, or a mask hiding everything; a model projection cannot invert")
    @ApiResponse(responseCode = "404", description = "no trained generator yet, or no such job")
    @ApiResponse(responseCode = "409", description = "the generator's or encoder's file is damaged (job, file)")
    @ApiResponse(responseCode = "413", description = "an upload larger than ganserve.inversion.max-upload-bytes")
    @ApiResponse(responseCode = "415", description = "the body is not multipart/form-data")
    @ApiResponse(responseCode = "422", description = "the request exceeds the service's whole memory budget")
    @ApiResponse(responseCode = "503", description = "the memory budget is held by others now, or the job store cannot answer")
    ResponseEntity<?> inpaint(
            @RequestPart(required = false) MultipartFile image,
            @Parameter(description = "same size as image; white (128 or more) where the image is hidden")
            @RequestPart(required = false) MultipartFile mask,
            @Parameter(description = "without a mask: the hidden rectangle's left column") @RequestParam(required = false) Integer x,
            @Parameter(description = "its top row") @RequestParam(required = false) Integer y,
            @RequestParam(required = false) Integer width,
            @RequestParam(required = false) Integer height,
            @RequestParam(required = false) String job,
            @RequestParam(required = false) Integer steps,
            @Choices(InversionService.Start.class) @RequestParam(defaultValue = "auto") String start,
            @RequestParam(required = false) Long seed,
            @Parameter(description = "json: projection, completion and composite; png: the composite alone")
            @Choices(Format.class) @RequestParam(defaultValue = "json") String format) {
        Format f = InvalidParameterException.checkChoice("format", format, Format.class);
        InversionService.Options options = options(job, steps, start, seed);
        InversionService.Rectangle rectangle = null;
        boolean anyEdge = x != null || y != null || width != null || height != null;
        if (anyEdge) {
            if (mask != null) {
                throw new InvalidParameterException("mask", "give either a mask or x, y, width and height, not both");
            }
            if (x == null || y == null || width == null || height == null) {
                throw new InvalidParameterException(x == null ? "x" : y == null ? "y" : width == null ? "width" : "height",
                        "is required with the other edges of the hidden rectangle");
            }
            rectangle = new InversionService.Rectangle(x, y, width, height);
        }
        InversionService.Inpainting done = inversion.inpaint(job, bytes(image), mask == null ? null : bytes(mask),
                rectangle, options);
        List<Integer> shape = done.projection().model().network().sampleShape();
        String jobId = done.projection().model().jobId();
        if (f == Format.PNG) {
            return png(jobId, encode(done.composite(), shape));
        }
        return ResponseEntity.ok().header(SampleController.MODEL_HEADER, jobId).body(new InpaintingJson(
                json(done.projection()), done.hiddenPixels(), dataUrl(encode(done.completion(), shape)),
                dataUrl(encode(done.composite(), shape))));
    }

    private InversionService.Options options(String job, Integer steps, String start, Long seed) {
        return options(job, steps, start, seed, "steps");
    }

    private InversionService.Options options(String job, Integer steps, String start, Long seed, String stepsName) {
        int max = inversion.properties().maxSteps();
        int n = steps == null ? Math.min(inversion.properties().defaultSteps(), max) : steps;
        InvalidParameterException.checkRange(stepsName, n, 0, max);
        InversionService.Start s = InvalidParameterException.checkChoice("start", start, InversionService.Start.class);
        if (job != null) {
            jobs.get(job); // 404 for an unknown job, before looking for its files
            if (s == InversionService.Start.ENCODER && !inversion.hasEncoder(job)) {
                throw new InvalidParameterException("start", "encoder needs a trained encoder, and job " + job
                        + " has none: POST /jobs/" + job + "/encoder trains one");
            }
        }
        return new InversionService.Options(n, s, seed != null ? seed : ThreadLocalRandom.current().nextLong(1L << 53));
    }

    static byte[] bytes(MultipartFile part) {
        if (part == null) {
            return null;
        }
        try {
            return part.getBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the uploaded part " + part.getName(), e);
        }
    }

    private static ProjectionJson json(InversionService.Projection p) {
        return new ProjectionJson(p.model().jobId(), p.step(), p.start(), p.steps(), p.latent(), p.pixelL1(),
                p.featureDistance(), p.startPixelL1(), p.seconds(),
                dataUrl(encode(p.reconstruction(), p.model().network().sampleShape())), p.label(), p.codes());
    }

    private static ResponseEntity<byte[]> png(String jobId, byte[] body) {
        return ResponseEntity.ok().contentType(MediaType.IMAGE_PNG).header(SampleController.MODEL_HEADER, jobId)
                .body(body);
    }

    static String dataUrl(byte[] png) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
    }

    /** One C x H x W image in [0, 1] as a PNG at its own size: grey for one channel, RGB for three. */
    static byte[] encode(float[] pixels, List<Integer> shape) {
        int c = shape.get(0);
        int h = shape.get(1);
        int w = shape.get(2);
        BufferedImage image = new BufferedImage(w, h, c == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        var raster = image.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int band = 0; band < Math.min(c, 3); band++) {
                    raster.setSample(x, y, band, Math.round(255 * pixels[(band * h + y) * w + x]));
                }
            }
        }
        return PngEncoder.encode(image);
    }
}
