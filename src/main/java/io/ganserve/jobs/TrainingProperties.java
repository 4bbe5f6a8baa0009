package io.ganserve.jobs;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code ganserve.training.*}.
 *
 * @param dataDir the model registry's root: checkpoints and generators live below it; instances that
 *     share a database share this directory too
 * @param workers jobs trained at once; they take turns step by step, since libtorch autograd in
 *     DJL admits one gradient collector per process
 * @param queueCapacity queued jobs beyond which {@code POST /jobs} answers 429
 * @param keepCheckpoints newest checkpoints kept per job
 * @param workerId this instance's name on the leases it holds; it must differ between live instances
 *     and stay the same across restarts of one (so a restart takes its jobs back at once). Empty:
 *     the host name and server port
 * @param leaseDuration how long a job stays with a worker that stopped renewing before another takes it over
 * @param heartbeat how often a worker renews its leases and publishes its jobs' progress to the store
 * @param pollInterval how often an idle worker looks for queued jobs submitted to other instances
 * @param maxAttempts how many times in a row a job may be found with its worker dead (killed, out of
 *     memory) before it is failed instead of claimed again: a job that kills its worker would otherwise
 *     kill every worker that takes it, forever
 */
@Validated
@ConfigurationProperties("ganserve.training")
public record TrainingProperties(
        @DefaultValue("./data") Path dataDir,
        @DefaultValue("1") @Min(1) @Max(16) int workers,
        @DefaultValue("100") @Min(1) int queueCapacity,
        @DefaultValue("3") @Min(1) int keepCheckpoints,
        @DefaultValue("") String workerId,
        @DefaultValue("30s") Duration leaseDuration,
        @DefaultValue("5s") Duration heartbeat,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("3") @Min(1) int maxAttempts) {

    @ConstructorBinding
    public TrainingProperties {
        if (heartbeat.compareTo(leaseDuration) >= 0) {
            throw new IllegalArgumentException("ganserve.training.heartbeat (" + heartbeat
                    + ") must be shorter than ganserve.training.lease-duration (" + leaseDuration + ")");
        }
    }

    /** One instance's defaults for everything but the queue. */
    public TrainingProperties(Path dataDir, int workers, int queueCapacity, int keepCheckpoints) {
        this(dataDir, workers, queueCapacity, keepCheckpoints, "", Duration.ofSeconds(30), Duration.ofSeconds(5),
                Duration.ofSeconds(1), 3);
    }
}
