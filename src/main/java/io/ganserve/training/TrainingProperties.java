package io.ganserve.training;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code ganserve.training.*}.
 *
 * @param dataDir the model registry's root: jobs, checkpoints and generators live below it
 * @param workers jobs trained at once; they take turns step by step, since libtorch autograd in
 *     DJL admits one gradient collector per process
 * @param queueCapacity queued jobs beyond which {@code POST /jobs} answers 429
 * @param keepCheckpoints newest checkpoints kept per job
 */
@Validated
@ConfigurationProperties("ganserve.training")
public record TrainingProperties(
        @DefaultValue("./data") Path dataDir,
        @DefaultValue("1") @Min(1) @Max(16) int workers,
        @DefaultValue("100") @Min(1) int queueCapacity,
        @DefaultValue("3") @Min(1) int keepCheckpoints) {}
