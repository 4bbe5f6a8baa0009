package io.ganserve.api;

import io.ganserve.jobs.JobEvaluations;
import io.ganserve.registry.Evaluation;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/jobs/{id}/evaluations")
@Tag(name = "evaluations", description = "Score a job's generator: FD, IS, precision/recall, Parzen, mode coverage")
class EvaluationController {

    private final JobEvaluations evaluations;

    EvaluationController(JobEvaluations evaluations) {
        this.evaluations = evaluations;
    }

    @Schema(description = "Optional settings of an evaluation; the job's own evaluation settings fill the gaps")
    record EvaluationRequest(
            @Schema(description = "generated samples to score; default the job's (10000 images, 2500 points)")
            @Min(100) @Max(50_000) Integer samples,
            @Schema(description = "seed of the samples; default the job's seed") Long seed) {}

    @PostMapping(produces = org.springframework.http.MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Score the job's generator in the background",
            description = "Its final generator, or while it trains its newest checkpoint. The first evaluation of an "
                    + "image dataset also trains the dataset's feature network (once; it is stored).")
    @ApiResponse(responseCode = "202", description = "started; Location lists the job's evaluations")
    @ApiResponse(responseCode = "400", description = "an invalid field or malformed JSON")
    @ApiResponse(responseCode = "404", description = "no such job, or it has no generator yet")
    @ApiResponse(responseCode = "409", description = "the generator's file is damaged (job, file)")
    @ApiResponse(responseCode = "413", description = "the body is larger than ganserve.api.max-json-bytes")
    @ApiResponse(responseCode = "415", description = "the body is not JSON")
    @ApiResponse(responseCode = "422", description = "scoring that many samples exceeds the service's whole memory budget "
            + "(estimateBytes, budgetBytes, pool)")
    @ApiResponse(responseCode = "429", description = "too many evaluations wait already")
    @ApiResponse(responseCode = "503", description = "the job store cannot answer now")
    @ApiResponse(responseCode = "507", description = "no room on the disk for the evaluation's record")
    ResponseEntity<Evaluation> start(@PathVariable String id, @Valid @RequestBody(required = false) EvaluationRequest body) {
        Evaluation started = evaluations.request(id, body == null ? null : body.samples(), body == null ? null : body.seed());
        return ResponseEntity.accepted().location(URI.create("/jobs/" + id + "/evaluations")).body(started);
    }

    @GetMapping
    @Operation(summary = "The job's evaluations, oldest first, with sample count, seed, timestamps and scores")
    @ApiResponse(responseCode = "200", description = "the job's evaluations, oldest first")
    @ApiResponse(responseCode = "404", description = "no such job")
    @ApiResponse(responseCode = "503", description = "the job store cannot answer now")
    List<Evaluation> list(@PathVariable String id) {
        return evaluations.list(id);
    }
}
