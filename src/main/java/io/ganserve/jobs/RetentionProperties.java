package io.ganserve.jobs;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code ganserve.retention.*}: which finished jobs' files the registry keeps. The defaults keep
 * everything, as versions before retention did; see docs/operations.md "Model lifecycle".
 *
 * @param keepModels the newest finished models kept (by finish time); older ones are deleted with
 *     their job's files, except the pinned one, the kept ones ({@code PUT /models/{id}/keep}) and the
 *     default served one. 0 keeps all
 * @param maxBytes a quota on the registry's job folders: past it the oldest finished jobs' files are
 *     deleted, whatever {@code keepModels} says, until it fits; the pinned model, the kept ones, the
 *     default served one and jobs still queued or training are never deleted. 0 is no quota
 */
@Validated
@ConfigurationProperties("ganserve.retention")
public record RetentionProperties(
        @DefaultValue("0") @Min(0) int keepModels,
        @DefaultValue("0B") DataSize maxBytes) {

    public static final RetentionProperties KEEP_ALL = new RetentionProperties(0, DataSize.ofBytes(0));
}
