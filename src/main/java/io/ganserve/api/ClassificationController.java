package io.ganserve.api;

import io.ganserve.Roles;
import io.ganserve.inversion.ClassificationService;
import io.ganserve.jobs.Job;
import io.ganserve.jobs.JobConflictException;
import io.ganserve.jobs.JobService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * Image classification with a semi-supervised job's classifier (docs/inference.md). A top-level
 * resource with an optional {@code job}, as {@code /translations} and {@code /projections} are, so
 * a client can classify with "the newest classifier" without knowing a job id.
 */
@RestController
@ConditionalOnBooleanProperty(name = Roles.SERVING, matchIfMissing = true)
@Tag(name = "classification", description = "Semi-supervised GAN: classify images with a job's K-class discriminator")
class ClassificationController {

    private final ClassificationService classifications;
    private final JobService jobs;

    ClassificationController(ClassificationService classifications, JobService jobs) {
        this.classifications = classifications;
        this.jobs = jobs;
    }

    @Schema(description = "One class's probability")
    record ClassProbability(
            @Schema(description = "the class's label, 0 to K-1") int label,
            @Schema(description = "its name where the dataset has names (class folders, Fashion-MNIST's garments, "
                    + "emoji categories); null otherwise") String name,
            @Schema(description = "softmax of the classifier's logits over the K real classes") double probability) {}

    @Schema(description = "An image's class as a semi-supervised job's classifier sees it")
    record ClassificationJson(
            @Schema(description = "the semi-supervised job whose classifier answered") String model,
            @Schema(description = "the classifier's training step") long step,
            @Schema(description = "the dataset it learnt its classes from") String dataset,
            @Schema(description = "labelled training images it learnt from") int labels,
            @Schema(description = "the most probable class") int label,
            @Schema(description = "its name, null where the dataset has none") String name,
            @Schema(description = "the most probable class's probability") double probability,
            @Schema(description = "D(x) = Z / (Z + 1), Z = the sum of exp(logit): the discriminator's belief that the "
                    + "image is real rather than generated (Salimans et al.'s implicit K+1-th class)") double real,
            @ArraySchema(schema = @Schema(implementation = ClassProbability.class),
                    arraySchema = @Schema(description = "every class in label order; the probabilities sum to 1"))
            List<ClassProbability> probabilities) {}

    @PostMapping(path = "/classifications", consumes = MediaType.MULTIPART_FORM_DATA_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Classify an uploaded image with a semi-supervised job's classifier",
            description = "The image must be a PNG or JPEG of the classifier's size and channels (nothing is resized "
                    + "or converted; an emoji classifier's transparent pixels are composited on white). A finished job "
                    + "classifies with its final classifier, a running one with its newest checkpoint's.")
    @ApiResponse(responseCode = "200", description = "the class probabilities and the most probable class",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = ClassificationJson.class)))
    @ApiResponse(responseCode = "400", description = "an upload that is missing, not a PNG or JPEG, of the wrong size or "
            + "channels (field names the part)")
    @ApiResponse(responseCode = "404", description = "no such job, no semi-supervised job finished yet, or no "
            + "checkpoint yet")
    @ApiResponse(responseCode = "409", description = "the job trains another kind of model (a generator or a "
            + "translator), or its classifier file is damaged (job, file)")
    @ApiResponse(responseCode = "413", description = "an upload larger than ganserve.inversion.max-upload-bytes")
    @ApiResponse(responseCode = "415", description = "the body is not multipart/form-data")
    @ApiResponse(responseCode = "503", description = "the request memory budget is held by others now")
    ResponseEntity<ClassificationJson> classify(
            @RequestPart(required = false) MultipartFile image,
            @Parameter(description = "the semi-supervised job; default the newest finished one")
            @RequestParam(required = false) String job) {
        if (job != null) {
            Job named = jobs.get(job); // 404 for an unknown job, before looking for its files
            if (!named.config().trainsClassifier()) {
                throw new JobConflictException("job " + job + " is architecture " + named.config().architecture().id()
                        + ", not semi-supervised: it has no classifier. Classify with a semi-supervised job (POST /jobs "
                        + "with architecture semi-supervised)");
            }
        }
        ClassificationService.Classified c = classifications.classify(job, InversionController.bytes(image));
        return ResponseEntity.ok().header(SampleController.MODEL_HEADER, c.classifier().jobId()).body(json(c));
    }

    private static ClassificationJson json(ClassificationService.Classified c) {
        var info = c.classifier();
        List<ClassProbability> all = new ArrayList<>();
        double[] p = c.probabilities();
        for (int k = 0; k < p.length; k++) {
            all.add(new ClassProbability(k, info.className(k), p[k]));
        }
        int best = c.predicted();
        return new ClassificationJson(info.jobId(), info.step(), info.dataset(), info.labels(), best,
                info.className(best), p[best], c.real(), all);
    }
}
