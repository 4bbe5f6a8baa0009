package io.ganserve.engine;

import io.ganserve.engine.precision.PrecisionChoice;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code ganserve.engine.*}.
 *
 * @param device {@code auto} (a GPU when the engine sees one, else the CPU), {@code cpu} or {@code gpu}
 * @param intraOpThreads libtorch's threads per operation; 0 means half the cores (at least one).
 *     libtorch's OpenMP teams stall whenever another thread holds one of their cores, and this
 *     service trains and serves in one process: leaving cores to request threads keeps both fast
 *     (see docs/benchmarks.md)
 * @param precision what a training job that names no {@code precision} of its own trains in:
 *     {@code auto} (bfloat16 for convolutional networks on a device with native bfloat16, else
 *     float32), {@code float32} or {@code bfloat16}
 */
@ConfigurationProperties("ganserve.engine")
public record EngineProperties(@DefaultValue("auto") DeviceChoice device, @DefaultValue("0") int intraOpThreads,
                               @DefaultValue("auto") PrecisionChoice precision) {

    @ConstructorBinding
    public EngineProperties {
        precision = precision == null ? PrecisionChoice.AUTO : precision;
    }

    /** Device and threads alone, for the programs that load the engine without the service (the benchmarks). */
    public EngineProperties(DeviceChoice device, int intraOpThreads) {
        this(device, intraOpThreads, PrecisionChoice.AUTO);
    }

    /** The thread count to give libtorch on this machine. */
    public int resolvedIntraOpThreads() {
        return intraOpThreads > 0 ? intraOpThreads : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    /** Must run before the engine first loads: DJL reads it when it initialises libtorch. */
    public void applyToEngine() {
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(resolvedIntraOpThreads()));
    }

    public enum DeviceChoice { AUTO, CPU, GPU }
}
