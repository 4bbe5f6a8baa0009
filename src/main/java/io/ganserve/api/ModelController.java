package io.ganserve.api;

import io.ganserve.gan.Architecture;
import io.ganserve.gan.LossKind;
import io.ganserve.sampling.ServingModels;
import io.ganserve.registry.ModelInfo;
import io.ganserve.registry.ModelRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "models", description = "Trained generators")
class ModelController {

    private final ModelRegistry registry;
    private final ServingModels serving;

    ModelController(ModelRegistry registry, ServingModels serving) {
        this.registry = registry;
        this.serving = serving;
    }

    /** @param latest the job id of the generator served by default; null before any job finished */
    record ModelList(String latest, List<ModelView> models) {}

    record ModelView(String jobId, String dataset, Architecture architecture, LossKind loss, Instant createdAt, long step,
                     boolean latest) {}

    @GetMapping("/models")
    @Operation(summary = "Trained generators, newest first, and which one is served by default")
    @ApiResponse(responseCode = "200", description = "the generators and the default one")
    ModelList models() {
        String latest = serving.latestModel().map(ModelInfo::jobId).orElse(null);
        List<ModelView> views = registry.models().stream()
                .sorted(Comparator.comparing(ModelInfo::createdAt).reversed())
                .map(m -> new ModelView(m.jobId(), m.dataset(), m.config().architecture(), m.config().loss(),
                        m.createdAt(), m.step(), m.jobId().equals(latest)))
                .toList();
        return new ModelList(latest, views);
    }
}
