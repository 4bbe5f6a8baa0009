package io.ganserve.api;

import io.ganserve.jobs.EncoderTrainings;
import io.ganserve.registry.EncoderRecord;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/jobs/{id}/encoder")
@Tag(name = "inference", description = "From image to latent: a learned encoder, projection, morphs and inpainting")
class EncoderController {

    private final EncoderTrainings encoders;

    EncoderController(EncoderTrainings encoders) {
        this.encoders = encoders;
    }

    @Schema(description = "Optional settings of an encoder run; omitted fields take the defaults")
    record EncoderRequest(
            @Schema(description = "Adam updates; default 2000") @Min(1) @Max(100_000) Integer steps,
            @Schema(description = "generated pairs (G(z), z) per update; default 64") @Min(1) @Max(1024) Integer batchSize,
            @Schema(description = "default 0.0002") @DecimalMin(value = "0", inclusive = false) @DecimalMax("1")
            Float learningRate,
            @Schema(description = "initial weights and noise; default the job's seed") Long seed) {}

    @PostMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Train an encoder E(x) ≈ z for the job's finished generator, in the background",
            description = "The GAN paper's learned approximate inference: E is trained after G is fixed, on generated "
                    + "pairs, to minimise ‖E(G(z)) − z‖². Stored beside the generator; POST /projections, /morphs "
                    + "and /inpaintings then start from E(x). Unconditional image generators only.")
    @ApiResponse(responseCode = "202", description = "queued; Location follows the run")
    @ApiResponse(responseCode = "400", description = "an invalid field, malformed JSON, or a generator the encoder "
            + "cannot invert (field generator: points, conditional or InfoGAN)")
    @ApiResponse(responseCode = "404", description = "no such job")
    @ApiResponse(responseCode = "409", description = "the job has not SUCCEEDED, or its encoder is being trained")
    @ApiResponse(responseCode = "413", description = "the body is larger than ganserve.api.max-json-bytes")
    @ApiResponse(responseCode = "415", description = "the body is not JSON")
    @ApiResponse(responseCode = "422", description = "the run exceeds the service's whole memory budget "
            + "(estimateBytes, budgetBytes, pool)")
    @ApiResponse(responseCode = "429", description = "too many encoder runs wait already")
    @ApiResponse(responseCode = "503", description = "the job store cannot answer now")
    @ApiResponse(responseCode = "507", description = "no room on the disk for the run's record")
    ResponseEntity<EncoderRecord> start(@PathVariable String id, @Valid @RequestBody(required = false) EncoderRequest body) {
        EncoderRecord queued = encoders.request(id, body == null ? null
                : new EncoderTrainings.Request(body.steps(), body.batchSize(), body.learningRate(), body.seed()));
        return ResponseEntity.accepted().location(URI.create("/jobs/" + id + "/encoder")).body(queued);
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The job's encoder run: status, progress, held-out latent error")
    @ApiResponse(responseCode = "200", description = "the run's record")
    @ApiResponse(responseCode = "404", description = "no such job, or no encoder was requested for it")
    @ApiResponse(responseCode = "503", description = "the job store cannot answer now")
    ResponseEntity<EncoderRecord> get(@PathVariable String id) {
        return encoders.find(id).map(ResponseEntity::ok).orElseThrow(() -> new io.ganserve.sampling.NoModelException(
                "job " + id + " has no encoder: POST /jobs/" + id + "/encoder trains one"));
    }
}
