package io.ganserve.api;

import io.ganserve.Roles;
import io.ganserve.inversion.TranslationGrid;
import io.ganserve.inversion.TranslationService;
import io.ganserve.jobs.JobService;
import io.ganserve.sampling.render.ImageBatch;
import io.ganserve.sampling.render.PngEncoder;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** Image-to-image translation with a CycleGAN job's generators (docs/translation.md). */
@RestController
@ConditionalOnBooleanProperty(name = Roles.SERVING, matchIfMissing = true)
@Tag(name = "translation", description = "CycleGAN: translate images between a job's two domains")
class TranslationController {

    enum Format { JSON, PNG }

    /** Held-out examples a grid shows at most. */
    static final int MAX_EXAMPLES = 64;

    private final TranslationService translations;
    private final JobService jobs;

    TranslationController(TranslationService translations, JobService jobs) {
        this.translations = translations;
        this.jobs = jobs;
    }

    @Schema(description = "One translation: the image as read, its translation and the round trip back")
    record TranslationJson(
            @Schema(description = "the CycleGAN job whose generators answered") String model,
            @Schema(description = "the generators' step") long step,
            @Schema(description = "forward (dataset to target) or backward") String direction,
            @Schema(description = "the domain translated from") String from,
            @Schema(description = "the domain translated to") String to,
            @Schema(description = "the input as the generator saw it (composited on white, data:image/png;base64)")
            String input,
            @Schema(description = "the translation, data:image/png;base64") String translation,
            @Schema(description = "the translation translated back (F(G(x)) forward), data:image/png;base64")
            String reconstruction) {}

    @PostMapping(path = "/translations", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(summary = "Translate an uploaded image with a CycleGAN job's generators",
            description = "The image must be a PNG or JPEG of the translator's size (32 or 64 px; nothing is resized) "
                    + "with 3 colour channels; a transparent image is composited on white, as the emoji data sets are. "
                    + "A finished job translates with its final generators, a running one with its newest checkpoint's.")
    @ApiResponse(responseCode = "200", description = "the translation as format asks",
            content = {
                @Content(mediaType = "application/json", schema = @Schema(implementation = TranslationJson.class)),
                @Content(mediaType = "image/png", schema = @Schema(type = "string", format = "binary"))})
    @ApiResponse(responseCode = "400", description = "a parameter out of range; an upload that is missing, not a PNG or "
            + "JPEG, of the wrong size or channels (field names the part)")
    @ApiResponse(responseCode = "404", description = "no such job, not a CycleGAN job, or no checkpoint yet")
    @ApiResponse(responseCode = "409", description = "the generators' file is damaged (job, file)")
    @ApiResponse(responseCode = "413", description = "an upload larger than ganserve.inversion.max-upload-bytes")
    @ApiResponse(responseCode = "415", description = "the body is not multipart/form-data")
    @ApiResponse(responseCode = "503", description = "the request memory budget is held by others now")
    ResponseEntity<?> translate(
            @RequestPart(required = false) MultipartFile image,
            @Parameter(description = "the CycleGAN job; default the newest finished one")
            @RequestParam(required = false) String job,
            @Parameter(description = "forward: the job's dataset to its target; backward: target to dataset")
            @Choices(TranslationService.Direction.class) @RequestParam(defaultValue = "forward") String direction,
            @Parameter(description = "json: input, translation and round trip; png: the translation alone")
            @Choices(Format.class) @RequestParam(defaultValue = "json") String format) {
        Format f = InvalidParameterException.checkChoice("format", format, Format.class);
        TranslationService.Direction d = InvalidParameterException.checkChoice("direction", direction,
                TranslationService.Direction.class);
        if (job != null) {
            jobs.get(job); // 404 for an unknown job, before looking for its files
        }
        TranslationService.Translated t = translations.translate(job, d, InversionController.bytes(image));
        String jobId = t.translator().jobId();
        if (f == Format.PNG) {
            return ResponseEntity.ok().contentType(MediaType.IMAGE_PNG).header(SampleController.MODEL_HEADER, jobId)
                    .body(png(t, t.output(), 0));
        }
        return ResponseEntity.ok().header(SampleController.MODEL_HEADER, jobId).body(json(t, 0));
    }

    @GetMapping(path = "/jobs/{id}/translations")
    @Operation(summary = "Held-out images of a CycleGAN job, translated and back",
            description = "The first n held-out images of the direction's source domain (never seen in training). "
                    + "png: a grid, one example a row: source | translation | reconstruction, as in the CycleGAN "
                    + "paper's figures, its columns named in X-Columns; json: the same images as data URLs.")
    @ApiResponse(responseCode = "200", description = "the grid or the list",
            content = {
                @Content(mediaType = "image/png", schema = @Schema(type = "string", format = "binary")),
                @Content(mediaType = "application/json",
                        array = @io.swagger.v3.oas.annotations.media.ArraySchema(
                                schema = @Schema(implementation = TranslationJson.class)))})
    @ApiResponse(responseCode = "400", description = "n, direction or format out of range")
    @ApiResponse(responseCode = "404", description = "no such job, not a CycleGAN job, or no checkpoint yet")
    ResponseEntity<?> heldOut(
            @PathVariable String id,
            @Choices(TranslationService.Direction.class) @RequestParam(defaultValue = "forward") String direction,
            @Parameter(description = "examples, 1 to 64") @RequestParam(defaultValue = "8") int n,
            @Choices(Format.class) @RequestParam(defaultValue = "png") String format) {
        Format f = InvalidParameterException.checkChoice("format", format, Format.class);
        TranslationService.Direction d = InvalidParameterException.checkChoice("direction", direction,
                TranslationService.Direction.class);
        InvalidParameterException.checkRange("n", n, 1, MAX_EXAMPLES);
        jobs.get(id);
        TranslationService.Translated t = translations.heldOut(id, d, n);
        if (f == Format.JSON) {
            List<TranslationJson> list = new ArrayList<>();
            for (int i = 0; i < t.count(); i++) {
                list.add(json(t, i));
            }
            return ResponseEntity.ok().header(SampleController.MODEL_HEADER, id).body(list);
        }
        return ResponseEntity.ok().contentType(MediaType.IMAGE_PNG).header(SampleController.MODEL_HEADER, id)
                .header(SampleController.COLUMNS_HEADER, String.join(", ", TranslationGrid.COLUMNS))
                .body(TranslationGrid.png(t));
    }

    private static TranslationJson json(TranslationService.Translated t, int i) {
        return new TranslationJson(t.translator().jobId(), t.translator().step(), t.direction().name().toLowerCase(),
                t.from(), t.to(), InversionController.dataUrl(png(t, t.input(), i)),
                InversionController.dataUrl(png(t, t.output(), i)), InversionController.dataUrl(png(t, t.roundTrip(), i)));
    }

    private static byte[] png(TranslationService.Translated t, float[] images, int i) {
        int length = t.translator().spec().imageLength();
        float[] one = new float[length];
        TranslationGrid.toUnit(images, i, one, 0, length);
        int side = t.translator().spec().side();
        return PngEncoder.encode(new ImageBatch(1, t.translator().spec().channels(), side, side, one).toImage(0));
    }
}
