package io.ganserve.api;

import io.ganserve.gan.Architecture;
import io.ganserve.gan.LossKind;
import io.ganserve.jobs.JobNotFoundException;
import io.ganserve.jobs.ModelLifecycle;
import io.ganserve.sampling.ServingModels;
import io.ganserve.registry.ModelInfo;
import io.ganserve.registry.ModelRegistry;
import io.ganserve.registry.TranslatorInfo;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "models", description = "Trained generators")
class ModelController {

    private final ModelRegistry registry;
    private final ServingModels serving;
    private final ModelLifecycle lifecycle;

    ModelController(ModelRegistry registry, ServingModels serving, ModelLifecycle lifecycle) {
        this.registry = registry;
        this.serving = serving;
        this.lifecycle = lifecycle;
    }

    /**
     * @param latest the job id of the generator served by default (the pinned one, else the newest); null before any job finished
     * @param pinned the job id pinned as the default with {@code PUT /models/default}; null while the newest is served
     * @param translating the CycleGAN job whose generators {@code POST /translations} uses without {@code job}
     *     (the newest finished one); null before any finished
     * @param translators finished CycleGAN jobs, newest first: they translate images and draw no samples, so
     *     they are listed apart from the generators and cannot be pinned
     */
    record ModelList(String latest, String pinned, List<ModelView> models, String translating,
                     List<TranslatorView> translators) {}

    /**
     * @param source the domain G translates from (the job's dataset); F translates back from {@code target}
     * @param imageSize the side of the images it translates (an upload must have it)
     * @param latest whether {@code POST /translations} uses it without {@code job}
     */
    record TranslatorView(String jobId, String source, String target, int imageSize, long step, Instant createdAt,
                          boolean latest) {}

    /**
     * @param latest whether GET /samples serves it by default; {@code pinned}: because it is pinned
     * @param kept whether it is kept from retention and deletion ({@code PUT /models/{id}/keep})
     * @param latentDim the length of a latent vector for {@code POST /samples}
     * @param classes a conditional model's classes (labels 0 to classes-1), 0 for an unconditional one
     * @param codes an InfoGAN model's codes, c1 to cN: N, 0 for other models
     */
    record ModelView(String jobId, String dataset, Architecture architecture, LossKind loss, Instant createdAt, long step,
                     boolean latest, boolean pinned, boolean kept, int latentDim, int classes, int codes) {}

    @Schema(description = "The model to serve by default")
    record PinRequest(@Schema(description = "the id of a job with a finished model", requiredMode = Schema.RequiredMode.REQUIRED)
                      String job) {}

    /** What a deletion freed. */
    record DeletedModel(String jobId, long freedBytes) {}

    @GetMapping("/models")
    @Operation(summary = "Trained generators, newest first, and which one is served by default; translators apart")
    @ApiResponse(responseCode = "200", description = "the generators and the default one")
    ModelList models() {
        String latest = serving.latestModel().map(ModelInfo::jobId).orElse(null);
        String pinned = serving.pinnedJob().orElse(null);
        Set<String> kept = registry.keptJobs();
        List<ModelView> views = registry.models().stream()
                .sorted(Comparator.comparing(ModelInfo::createdAt).reversed())
                .map(m -> new ModelView(m.jobId(), m.dataset(), m.config().architecture(), m.config().loss(),
                        m.createdAt(), m.step(), m.jobId().equals(latest), m.jobId().equals(pinned),
                        kept.contains(m.jobId()), m.network().latentDim(), m.network().numClasses(), m.network().codes().count()))
                .toList();
        List<TranslatorInfo> translators = registry.translators();
        String translating = translators.isEmpty() ? null : translators.getFirst().jobId();
        List<TranslatorView> translatorViews = translators.stream()
                .map(t -> new TranslatorView(t.jobId(), t.source(), t.target(), t.spec().side(), t.step(),
                        t.createdAt(), t.jobId().equals(translating)))
                .toList();
        return new ModelList(latest, pinned, views, translating, translatorViews);
    }

    @PutMapping(path = "/models/default", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Pin a model as the one served by default",
            description = "GET /samples and /interpolations without job= serve it from now on, whatever finishes "
                    + "later, until DELETE /models/default. The swap is atomic: a request gets the old default or "
                    + "the new one. Kept in the registry across restarts and for every instance sharing it.")
    @ApiResponse(responseCode = "200", description = "pinned; the models and the default one")
    @ApiResponse(responseCode = "400", description = "job missing or malformed")
    @ApiResponse(responseCode = "404", description = "no finished model for that job")
    @ApiResponse(responseCode = "413", description = "the body is larger than ganserve.api.max-json-bytes")
    @ApiResponse(responseCode = "415", description = "the body is not JSON")
    @ApiResponse(responseCode = "503", description = "no memory to load it now; retry after Retry-After")
    ModelList pin(@RequestBody PinRequest request) {
        if (request.job() == null || request.job().isBlank()) {
            throw new InvalidParameterException("job", "is required: the id of a job with a finished model");
        }
        if (!request.job().matches("[A-Za-z0-9-]{1,64}")) {
            throw new InvalidParameterException("job", "must be a job id (letters, digits and '-'), was " + request.job());
        }
        lifecycle.pin(request.job());
        return models();
    }

    @DeleteMapping(path = "/models/default", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Unpin: serve the newest finished model by default again")
    @ApiResponse(responseCode = "200", description = "unpinned (or nothing was pinned); the models and the default one")
    ModelList unpin() {
        lifecycle.unpin();
        return models();
    }

    @PutMapping(path = "/models/{id}/keep", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Keep a model from retention and deletion",
            description = "Retention (ganserve.retention.keep-models and max-bytes) passes over it and DELETE "
                    + "/models/{id} answers 409 until DELETE /models/{id}/keep. Kept in the registry across restarts "
                    + "and for every instance sharing it. No body.")
    @ApiResponse(responseCode = "200", description = "kept (or already kept); the models and the default one")
    @ApiResponse(responseCode = "404", description = "no finished model for that job")
    ModelList keep(@PathVariable String id) {
        lifecycle.keep(jobId(id));
        return models();
    }

    @DeleteMapping(path = "/models/{id}/keep", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Stop keeping a model: retention and DELETE /models/{id} may remove it again")
    @ApiResponse(responseCode = "200", description = "no longer kept (or was not); the models and the default one")
    @ApiResponse(responseCode = "404", description = "no finished model for that job")
    ModelList unkeep(@PathVariable String id) {
        lifecycle.unkeep(jobId(id));
        return models();
    }

    private static String jobId(String id) {
        if (!id.matches("[A-Za-z0-9-]{1,64}")) {
            throw new JobNotFoundException(id);
        }
        return id;
    }

    @DeleteMapping(path = "/models/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Delete a finished job's model and every file the job kept",
            description = "Checkpoints, final and best generators, history, progress grids and evaluations go; the "
                    + "job's record stays (GET /jobs/{id}). Deleting the default served model serves the newest "
                    + "other one.")
    @ApiResponse(responseCode = "200", description = "deleted; the bytes freed")
    @ApiResponse(responseCode = "404", description = "no such job")
    @ApiResponse(responseCode = "409", description = "the job is queued or training, the model is pinned or kept, "
            + "or a request in flight is using it")
    DeletedModel delete(@PathVariable String id) {
        ModelLifecycle.Deleted deleted = lifecycle.delete(jobId(id));
        return new DeletedModel(deleted.jobId(), deleted.freedBytes());
    }
}
