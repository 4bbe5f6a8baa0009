package io.ganserve.api;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code ganserve.api.*}.
 *
 * @param maxJsonBytes the largest request body outside {@code POST /datasets} (whose limits are
 *     {@code ganserve.datasets.upload.*}); a job request is well under 2 KB
 */
@ConfigurationProperties("ganserve.api")
public record ApiProperties(@DefaultValue("64KB") DataSize maxJsonBytes) {

    public ApiProperties {
        if (maxJsonBytes.toBytes() <= 0 || maxJsonBytes.toBytes() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("ganserve.api.max-json-bytes must be between 1 byte and 2 GB, was "
                    + maxJsonBytes);
        }
    }
}
