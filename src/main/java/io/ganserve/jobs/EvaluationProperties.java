package io.ganserve.jobs;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code ganserve.evaluation.*}.
 *
 * @param queueCapacity requested evaluations that may wait behind the one being scored; beyond it
 *     {@code POST /jobs/{id}/evaluations} answers 429. Each waiting one holds a generator in memory
 */
@Validated
@ConfigurationProperties("ganserve.evaluation")
public record EvaluationProperties(@DefaultValue("4") @Min(0) int queueCapacity) {}
