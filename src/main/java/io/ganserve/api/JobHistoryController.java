package io.ganserve.api;

import io.ganserve.jobs.Job;
import io.ganserve.jobs.JobPhase;
import io.ganserve.inversion.TranslationGrid;
import io.ganserve.jobs.ProgressGridRecorder;
import io.ganserve.registry.ModelRegistry;
import io.ganserve.jobs.JobService;
import io.ganserve.jobs.TrainingHistoryRecorder;
import io.ganserve.registry.TrainingHistory;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * What a person watching a job wants beside its snapshot: the curves of the whole run, where the job
 * is (phase, ETA), and how its samples changed (progress grids). Kept apart from {@code GET /jobs/{id}} so that answer stays as it is.
 */
@RestController
@Tag(name = "jobs", description = "Train GANs asynchronously")
class JobHistoryController {

    private final JobService jobs;
    private final TrainingHistoryRecorder histories;
    private final ModelRegistry registry;
    private final Clock clock = Clock.systemUTC();

    JobHistoryController(JobService jobs, TrainingHistoryRecorder histories, ModelRegistry registry) {
        this.jobs = jobs;
        this.histories = histories;
        this.registry = registry;
    }

    @GetMapping("/jobs/{id}/history")
    @Operation(summary = "A job's losses and variant figures over the whole run",
            description = "At most ganserve.training.history.max-points points (1000): each the mean of the steps "
                    + "it covers (stepsPerPoint), merged in pairs as the run grows. Empty before the first step.")
    @ApiResponse(responseCode = "404", description = "no such job")
    @ApiResponse(responseCode = "200", description = "the history, oldest point first",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = TrainingHistory.class)))
    TrainingHistory history(@PathVariable String id) {
        return histories.history(jobs.get(id).id());
    }

    @GetMapping("/jobs/{id}/phase")
    @Operation(summary = "Where a job is (queued, starting, training, evaluating, finishing, done) and its ETA")
    @ApiResponse(responseCode = "404", description = "no such job")
    @ApiResponse(responseCode = "200", description = "the phase and ETA",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = JobPhase.class)))
    JobPhase phase(@PathVariable String id) {
        return JobPhase.of(jobs.get(id), clock.instant());
    }

    /**
     * @param seed the seed of the fixed noise every grid is drawn from (a translator's: its seed, unused)
     * @param samples samples in each grid (a translator's: held-out images, one a row)
     * @param steps the checkpoint steps with a grid, oldest first; GET /jobs/{id}/progress/{step}.png
     * @param shows what each grid shows, in words
     */
    public record ProgressGrids(String jobId, long seed, int samples, List<Long> steps, String shows) {}

    @GetMapping("/jobs/{id}/progress")
    @Operation(summary = "The checkpoints with a progress grid: samples from the same fixed noise at each",
            description = "At most ganserve.training.progress.max-grids (100), spread evenly over the run. A "
                    + "translator's grids show the same held-out images at each: source | translation | reconstruction.")
    @ApiResponse(responseCode = "200", description = "the steps with a grid",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ProgressGrids.class)))
    @ApiResponse(responseCode = "404", description = "no such job")
    ProgressGrids progress(@PathVariable String id) {
        Job job = jobs.get(id);
        return new ProgressGrids(job.id(), ProgressGridRecorder.seedFor(job), ProgressGridRecorder.samplesFor(job),
                registry.progressSteps(job.id()), ProgressGridRecorder.describe(job));
    }

    @GetMapping("/jobs/{id}/progress/{step}.png")
    @Operation(summary = "The progress grid at a checkpoint (a PNG: an image grid, or a scatter plot for points)",
            description = "A translator's grid names its columns in X-Columns.")
    @ApiResponse(responseCode = "200", description = "a PNG",
            content = @Content(mediaType = "image/png", schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "404", description = "no such job, or no grid at that step")
    ResponseEntity<byte[]> progressGrid(@PathVariable String id, @PathVariable long step) {
        Job job = jobs.get(id);
        byte[] png = registry.progressGrid(job.id(), step).orElseThrow(() -> new ErrorResponseException(
                HttpStatus.NOT_FOUND, ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "job " + job.id()
                        + " has no progress grid at step " + step + "; GET /jobs/" + job.id()
                        + "/progress lists the steps that have one"), null));
        // a grid never changes once drawn (a resumed run draws the same noise through the same weights)
        ResponseEntity.BodyBuilder answer = ResponseEntity.ok().contentType(MediaType.IMAGE_PNG)
                .cacheControl(CacheControl.maxAge(Duration.ofHours(1)).cachePrivate());
        if (job.config().trainsTranslator()) {
            answer.header(SampleController.COLUMNS_HEADER, String.join(", ", TranslationGrid.COLUMNS));
        }
        return answer.body(png);
    }

    @GetMapping("/jobs/phases")
    @Operation(summary = "Every job's phase and ETA, newest first (one request for a list page)")
    List<JobPhase> phases() {
        var now = clock.instant();
        return jobs.list().stream().map(job -> JobPhase.of(job, now)).toList();
    }
}
