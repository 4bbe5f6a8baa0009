package io.ganserve.engine;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code ganserve.engine.*}.
 *
 * @param device {@code auto} (a GPU when the engine sees one, else the CPU), {@code cpu} or {@code gpu}
 * @param intraOpThreads libtorch's threads per operation; 0 keeps the engine's default (one per core).
 *     On a small machine shared by training and serving, 1 avoids OpenMP teams stalling on a
 *     busy core, at the cost of single-job convolution speed (see README, Performance)
 */
@ConfigurationProperties("ganserve.engine")
public record EngineProperties(@DefaultValue("auto") DeviceChoice device, @DefaultValue("0") int intraOpThreads) {

    public enum DeviceChoice { AUTO, CPU, GPU }
}
