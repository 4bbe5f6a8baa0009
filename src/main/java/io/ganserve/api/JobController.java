package io.ganserve.api;

import io.ganserve.jobs.JobRequest;
import io.ganserve.jobs.JobService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/jobs")
@Tag(name = "jobs", description = "Train GANs asynchronously")
class JobController {

    private final JobService jobs;
    private final java.time.Clock clock = java.time.Clock.systemUTC();

    JobController(JobService jobs) {
        this.jobs = jobs;
    }

    // produces: a client that cannot read JSON is refused before the job is queued, not after
    @PostMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Start a training job", description = "Validates the request, queues the job and answers at once.")
    @ApiResponse(responseCode = "202", description = "queued; Location names the job")
    @ApiResponse(responseCode = "400", description = "an invalid field, malformed JSON, or a dataset that is not there")
    @ApiResponse(responseCode = "413", description = "the body is larger than ganserve.api.max-json-bytes")
    @ApiResponse(responseCode = "415", description = "the body is not JSON")
    @ApiResponse(responseCode = "422", description = "the job's memory estimate exceeds the service's whole budget "
            + "(estimateBytes, budgetBytes, pool)")
    @ApiResponse(responseCode = "429", description = "the job queue is full")
    @ApiResponse(responseCode = "503", description = "the job store cannot answer now; nothing was queued")
    @ApiResponse(responseCode = "507", description = "its checkpoints and generators would not fit the free disk")
    ResponseEntity<JobView> submit(@Valid @RequestBody JobRequest request) {
        JobView job = view(jobs.submit(request));
        return ResponseEntity.accepted().location(URI.create("/jobs/" + job.id())).body(job);
    }

    @GetMapping
    @Operation(summary = "List jobs, newest first")
    @ApiResponse(responseCode = "200", description = "every job, newest first")
    @ApiResponse(responseCode = "503", description = "the job store cannot answer now")
    List<JobView> list() {
        return jobs.list().stream().map(this::view).toList();
    }

    @GetMapping("/{id}")
    @Operation(summary = "A job's status, progress, losses, throughput and resolved configuration")
    @ApiResponse(responseCode = "200", description = "the job")
    @ApiResponse(responseCode = "404", description = "no such job")
    @ApiResponse(responseCode = "503", description = "the job store cannot answer now")
    JobView get(@PathVariable String id) {
        return view(jobs.get(id));
    }

    @DeleteMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Cancel a queued or running job",
            description = "A running job stops at its next step, keeps its last checkpoint and ends CANCELLED.")
    @ApiResponse(responseCode = "202", description = "cancelled, or cancellation requested")
    @ApiResponse(responseCode = "404", description = "no such job")
    @ApiResponse(responseCode = "409", description = "the job has already finished")
    @ApiResponse(responseCode = "503", description = "the job store cannot answer now; nothing was changed")
    ResponseEntity<JobView> cancel(@PathVariable String id) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(view(jobs.cancel(id)));
    }

    private JobView view(io.ganserve.jobs.Job job) {
        return JobView.of(job, jobs.estimate(job.config()), jobs.keepCheckpoints(), jobs.damagedFiles(job.id()),
                clock.instant());
    }
}
