package io.ganserve.jobs;

import io.ganserve.data.DataKind;
import io.ganserve.data.DatasetInfo;
import io.ganserve.gan.Architecture;
import io.ganserve.gan.NetworkSpec;
import io.ganserve.registry.Checkpoint;
import io.ganserve.registry.ModelInfo;
import io.ganserve.registry.ModelRegistry;
import io.ganserve.registry.TrainingConfig;
import io.ganserve.registry.Variant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Checks a fine-tuning request against its parent: a SUCCEEDED job whose final checkpoint is on
 * disk, with the same networks (architecture, every size, the variant parts that add parameters)
 * and the same training state (optimiser, EMA), so the parent's checkpoint loads as the child's
 * own at the parent's last step. The data set may differ if its samples have the same shape.
 */
final class FineTuning {

    /** The child's configuration and the parent checkpoint it starts from. */
    record Start(TrainingConfig config, Checkpoint checkpoint) {}

    private final ModelRegistry registry;

    FineTuning(ModelRegistry registry) {
        this.registry = registry;
    }

    /**
     * @param requestedSteps the request's steps, null when omitted: the child then trains the
     *     dataset's default number of steps beyond the parent's last
     * @param planned the networks the child would train, as far as the catalog knows before loading
     * @throws InvalidJobException naming the request field that does not fit the parent
     */
    Start check(String parentId, Integer requestedSteps, TrainingConfig config, DatasetInfo dataset, NetworkSpec planned,
                Function<String, Optional<Job>> jobs) {
        Job parent = jobs.apply(parentId).orElseThrow(() -> new InvalidJobException("parent",
                "no job with id '" + parentId + "'"));
        if (parent.status() != JobStatus.SUCCEEDED) {
            throw new InvalidJobException("parent", "job " + parentId + " is " + parent.status()
                    + ": only a SUCCEEDED job's final state can be fine-tuned");
        }
        ModelInfo model = registry.model(parentId).orElseThrow(() -> new InvalidJobException("parent",
                "job " + parentId + " has no model any more: it was deleted"));
        Checkpoint last = registry.latestCheckpoint(parentId).filter(c -> c.step() == model.step())
                .orElseThrow(() -> new InvalidJobException("parent", "job " + parentId
                        + " no longer has its final checkpoint (step " + model.step() + ") to start from"));
        sameNetworks(parentId, model, config, dataset, planned);
        long from = last.step();
        int steps = requestedSteps == null ? Math.toIntExact(Math.min(Integer.MAX_VALUE, from + config.steps()))
                : config.steps();
        if (steps <= from) {
            throw new InvalidJobException("steps", "must be more than " + from + ", the last step of job " + parentId
                    + ": a fine-tuning job's steps count from its parent's start, so " + (from + 1000)
                    + " trains 1000 more");
        }
        return new Start(config.fineTuning(parentId, steps), last);
    }

    private static void sameNetworks(String parentId, ModelInfo model, TrainingConfig child, DatasetInfo dataset,
                                     NetworkSpec planned) {
        TrainingConfig p = model.config();
        NetworkSpec spec = model.network();
        require("architecture", p.architecture(), child.architecture(), parentId);
        require("latentDim", p.latentDim(), child.latentDim(), parentId);
        if (child.architecture() == Architecture.MLP) {
            require("hiddenUnits", p.hiddenUnits(), child.hiddenUnits(), parentId);
            require("hiddenLayers", p.hiddenLayers(), child.hiddenLayers(), parentId);
        } else {
            require("featureMaps", p.featureMaps(), child.featureMaps(), parentId);
        }
        require("imageSize", p.imageSize(), child.imageSize(), parentId);
        Variant pv = p.variant();
        Variant cv = child.variant();
        require("pack", pv.pack(), cv.pack(), parentId);
        require("spectralNorm", pv.spectralNorm(), cv.spectralNorm(), parentId);
        require("conditional", pv.conditional(), cv.conditional(), parentId);
        require("infoGan", codes(pv), codes(cv), parentId);
        require("optimizer", pv.optimizer(), cv.optimizer(), parentId);
        require("emaDecay", pv.emaDecay() > 0 ? "on" : "off", cv.emaDecay() > 0 ? "on" : "off", parentId);
        boolean images = dataset.kind() == DataKind.IMAGES;
        if (model.dataKind() != dataset.kind()) {
            throw new InvalidJobException("dataset", dataset.name() + " holds " + dataset.kind().name().toLowerCase()
                    + ", job " + parentId + " was trained on " + model.dataKind().name().toLowerCase());
        }
        // an image folder's channels are known only once decoded: then loading the checkpoint is the check
        boolean shapeKnown = !images || dataset.channels() > 0;
        if (shapeKnown && !spec.sampleShape().equals(planned.sampleShape())) {
            throw new InvalidJobException("dataset", dataset.name() + "'s samples are " + planned.sampleShape()
                    + ", job " + parentId + " generates " + spec.sampleShape());
        }
    }

    private static String codes(Variant v) {
        io.ganserve.gan.LatentCodes c = v.infoGan().codes();
        return c.isPresent() ? "InfoGAN codes (" + c.categorical() + " categorical, " + c.continuous() + " continuous)"
                : "no InfoGAN codes";
    }

    private static void require(String field, Object parent, Object child, String parentId) {
        if (!Objects.equals(parent, child)) {
            throw new InvalidJobException(field, "must match job " + parentId + ", whose weights this job starts from: "
                    + "it has " + parent + ", this job " + child);
        }
    }
}
