package io.ganserve.jobs;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code ganserve.encoder.*}.
 *
 * @param queueCapacity encoder runs that may wait behind the one training; beyond it
 *     {@code POST /jobs/{id}/encoder} answers 429 rather than piling them up (each waits with its
 *     memory reservation to come)
 */
@Validated
@ConfigurationProperties("ganserve.encoder")
public record EncoderProperties(@DefaultValue("4") @Min(0) int queueCapacity) {}
