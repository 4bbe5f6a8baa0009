package io.ganserve.engine;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code ganserve.engine.*}.
 *
 * @param device {@code auto} (a GPU when the engine sees one, else the CPU), {@code cpu} or {@code gpu}
 */
@ConfigurationProperties("ganserve.engine")
public record EngineProperties(@DefaultValue("auto") DeviceChoice device) {

    public enum DeviceChoice { AUTO, CPU, GPU }
}
