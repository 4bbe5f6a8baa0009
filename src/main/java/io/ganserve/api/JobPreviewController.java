package io.ganserve.api;

import io.ganserve.jobs.JobPreview;
import io.ganserve.jobs.JobRequest;
import io.ganserve.registry.TrainingConfig;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** A job request's resolved configuration, without starting it: the console's form shows its defaults. */
@RestController
@Tag(name = "jobs", description = "Train GANs asynchronously")
class JobPreviewController {

    private final JobPreview preview;

    JobPreviewController(JobPreview preview) {
        this.preview = preview;
    }

    @PostMapping(path = "/jobs/preview", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Resolve and check a job request without queuing it",
            description = "The same body, defaults and validation as POST /jobs; answers the configuration the job "
                    + "would train with. Not priced against the memory or disk budget, and nothing is queued.")
    @ApiResponse(responseCode = "200", description = "the resolved configuration",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = TrainingConfig.class)))
    @ApiResponse(responseCode = "400", description = "invalid field, malformed JSON, or missing dataset (problem+json)")
    TrainingConfig preview(@Valid @RequestBody JobRequest request) {
        return preview.resolve(request);
    }
}
