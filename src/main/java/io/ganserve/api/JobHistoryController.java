package io.ganserve.api;

import io.ganserve.jobs.JobPhase;
import io.ganserve.jobs.JobService;
import io.ganserve.jobs.TrainingHistoryRecorder;
import io.ganserve.registry.TrainingHistory;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * What a person watching a job wants beside its snapshot: the curves of the whole run and where the
 * job is (phase, ETA). Kept apart from {@code GET /jobs/{id}} so that answer stays as it is.
 */
@RestController
@Tag(name = "jobs", description = "Train GANs asynchronously")
class JobHistoryController {

    private final JobService jobs;
    private final TrainingHistoryRecorder histories;
    private final Clock clock = Clock.systemUTC();

    JobHistoryController(JobService jobs, TrainingHistoryRecorder histories) {
        this.jobs = jobs;
        this.histories = histories;
    }

    @GetMapping("/jobs/{id}/history")
    @Operation(summary = "A job's losses and variant figures over the whole run",
            description = "At most ganserve.training.history.max-points points (1000): each the mean of the steps "
                    + "it covers (stepsPerPoint), merged in pairs as the run grows. Empty before the first step.")
    @ApiResponse(responseCode = "404", description = "no such job")
    TrainingHistory history(@PathVariable String id) {
        return histories.history(jobs.get(id).id());
    }

    @GetMapping("/jobs/{id}/phase")
    @Operation(summary = "Where a job is (queued, starting, training, evaluating, finishing, done) and its ETA")
    @ApiResponse(responseCode = "404", description = "no such job")
    JobPhase phase(@PathVariable String id) {
        return JobPhase.of(jobs.get(id), clock.instant());
    }

    @GetMapping("/jobs/phases")
    @Operation(summary = "Every job's phase and ETA, newest first (one request for a list page)")
    List<JobPhase> phases() {
        var now = clock.instant();
        return jobs.list().stream().map(job -> JobPhase.of(job, now)).toList();
    }
}
