package io.ganserve.jobs;

import io.ganserve.engine.precision.PrecisionChoice;
import io.ganserve.registry.DeviceKind;
import io.ganserve.registry.LearningRateSchedule;
import io.ganserve.registry.OptimizerKind;
import io.ganserve.registry.StopCondition;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import io.ganserve.gan.Architecture;
import io.ganserve.gan.LossKind;

/**
 * What a user asks for in {@code POST /jobs}. Only {@code dataset} is required; every omitted field
 * takes the default for the dataset's kind (see {@link JobDefaults}).
 */
@Schema(description = "A GAN training job. Omitted fields take the defaults for the dataset's kind.")
public record JobRequest(
        @Schema(description = "ring8, grid25, mnist, fashion-mnist, or the name of an image folder under the dataset root",
                example = "ring8", requiredMode = Schema.RequiredMode.REQUIRED)
        @NotBlank @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}", message = "must be a dataset name: letters, digits, '.', '_' or '-', at most 64")
        String dataset,
        @Schema(description = "mlp, dcgan or cyclegan (translation to target); default mlp for points, dcgan for images")
        Architecture architecture,
        @Schema(description = "default non-saturating")
        LossKind loss,
        @Schema(description = "generator updates") @Min(1) @Max(1_000_000) Integer steps,
        @Min(1) @Max(1024) Integer batchSize,
        @Schema(description = "discriminator updates per generator update (the GAN paper's k)") @Min(1) @Max(10)
        Integer discriminatorSteps,
        @Min(1) @Max(512) Integer latentDim,
        @Schema(description = "MLP hidden layer width") @Min(1) @Max(4096) Integer hiddenUnits,
        @Schema(description = "MLP hidden layers") @Min(1) @Max(8) Integer hiddenLayers,
        @Schema(description = "DCGAN base feature maps") @Min(4) @Max(256) Integer featureMaps,
        @Schema(description = "images are resized to imageSize x imageSize; DCGAN supports 28, 32 and 64")
        @Min(8) @Max(128) Integer imageSize,
        @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") Float generatorLearningRate,
        @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") Float discriminatorLearningRate,
        @DecimalMin("0") @DecimalMax(value = "1", inclusive = false) Float beta1,
        @DecimalMin("0") @DecimalMax(value = "1", inclusive = false) Float beta2,
        @Schema(description = "constant or linear (decay to 0 at the last step); default linear for points, constant for images")
        LearningRateSchedule learningRateSchedule,
        @Schema(description = "makes the run reproducible on CPU") Long seed,
        @Schema(description = "generator steps between checkpoints") @Min(1) @Max(1_000_000) Integer checkpointEvery,
        @Schema(description = "auto (the service's device, ganserve.engine.device), cpu or gpu")
        DeviceKind device,
        @Schema(description = "adam or rmsprop; default rmsprop for wgan, adam otherwise")
        OptimizerKind optimizer,
        @Schema(description = "WGAN weight clipping c (critic parameters clipped to [-c, c]); default 0.01 for wgan, else off")
        @DecimalMin("0") @DecimalMax("1") Float clipValue,
        @Schema(description = "gradient-penalty weight λ; default 10 for wgan-gp, else off")
        @DecimalMin("0") @DecimalMax("100") Float gradientPenalty,
        @Schema(description = "spectrally normalise every discriminator weight (Miyato et al.); default false")
        Boolean spectralNorm,
        @Schema(description = "PacGAN: the discriminator judges this many samples at once; 1 is off") @Min(1) @Max(4)
        Integer pack,
        @Schema(description = "decay of the moving average of G's weights served instead of G; 0 (default) is off")
        @DecimalMin("0") @DecimalMax(value = "1", inclusive = false) Float emaDecay,
        @Schema(description = "conditional GAN (Mirza & Osindero): G and D also take the class as a one-hot vector, "
                + "and GET /samples can ask for a class with label; needs a labelled dataset; default false")
        Boolean conditional,
        @Schema(description = "InfoGAN: latent codes whose values G must make recoverable from its samples; "
                + "GET /samples?code=c1:3 and GET /interpolations?vary=c2 then steer them")
        @jakarta.validation.Valid InfoGanRequest infoGan,
        @Schema(description = "score the generator every this many steps while training (0, the default: only at the end)")
        @Min(0) @Max(1_000_000) Integer evaluateEvery,
        @Schema(description = "generated samples per evaluation; default 10000 for images, 2500 for points")
        @Min(100) @Max(50_000) Integer evaluationSamples,
        @Schema(description = "score the finished generator; default true")
        Boolean evaluateAtEnd,
        @Schema(description = "stop early, as succeeded, at the first evaluation meeting this condition")
        @jakarta.validation.Valid StopCondition stopWhen,
        @Schema(description = "the score the best generator is kept by (GET /samples?checkpoint=best); default the "
                + "stopWhen metric, else fd for images and kl for points")
        io.ganserve.registry.Metric keepBestBy,
        @Schema(description = "fine-tune: start from this finished job's final weights and optimiser state, at its "
                + "last step, on this request's dataset; the architecture and shape must match. steps counts from the "
                + "parent's start (default: the parent's steps plus the dataset's default)")
        @Pattern(regexp = "[A-Za-z0-9-]{1,64}", message = "must be a job id") String parent,
        @Schema(description = "architecture cyclegan only: the dataset to translate to (domain B); the job's dataset is "
                + "domain A. Both must be emoji-google or emoji-twitter today", example = "emoji-twitter")
        @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}", message = "must be a dataset name: letters, digits, '.', '_' or '-', at most 64")
        String target,
        @Schema(description = "architecture cyclegan only: its networks and loss weights")
        @jakarta.validation.Valid CycleGanRequest cycleGan,
        @Schema(description = "architecture semi-supervised only: training images that keep their labels, an equal "
                + "share of each class drawn with the seed (a multiple of the dataset's classes); default 10 per class",
                example = "100")
        @Min(1) @Max(1_000_000) Integer labels,
        @Schema(description = "what the training steps' convolutions and matrix products multiply in: bfloat16 "
                + "(float32 weights, sums and outputs) or float32. auto, the default unless the service's "
                + "ganserve.engine.precision says otherwise, is bfloat16 for convolutional networks (dcgan, cyclegan, "
                + "semi-supervised) on a device with native bfloat16 arithmetic and float32 otherwise. Evaluation "
                + "always runs in float32", example = "auto")
        PrecisionChoice precision) {

    /** A request that names no precision: the service default applies. */
    public JobRequest(String dataset, Architecture architecture, LossKind loss, Integer steps, Integer batchSize,
                      Integer discriminatorSteps, Integer latentDim, Integer hiddenUnits, Integer hiddenLayers,
                      Integer featureMaps, Integer imageSize, Float generatorLearningRate,
                      Float discriminatorLearningRate, Float beta1, Float beta2,
                      LearningRateSchedule learningRateSchedule, Long seed, Integer checkpointEvery, DeviceKind device,
                      OptimizerKind optimizer, Float clipValue, Float gradientPenalty, Boolean spectralNorm,
                      Integer pack, Float emaDecay, Boolean conditional, InfoGanRequest infoGan, Integer evaluateEvery,
                      Integer evaluationSamples, Boolean evaluateAtEnd, StopCondition stopWhen,
                      io.ganserve.registry.Metric keepBestBy, String parent, String target, CycleGanRequest cycleGan,
                      Integer labels) {
        this(dataset, architecture, loss, steps, batchSize, discriminatorSteps, latentDim, hiddenUnits, hiddenLayers,
                featureMaps, imageSize, generatorLearningRate, discriminatorLearningRate, beta1, beta2,
                learningRateSchedule, seed, checkpointEvery, device, optimizer, clipValue, gradientPenalty, spectralNorm,
                pack, emaDecay, conditional, infoGan, evaluateEvery, evaluationSamples, evaluateAtEnd, stopWhen,
                keepBestBy, parent, target, cycleGan, labels, null);
    }

    public static JobRequest forDataset(String dataset) {
        return new JobRequest(dataset, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null);
    }
}
