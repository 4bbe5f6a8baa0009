package io.ganserve.registry;

import io.ganserve.data.DataKind;
import io.ganserve.gan.NetworkSpec;
import java.time.Instant;

/** What the registry knows about a trained generator: enough to rebuild and describe it. */
public record ModelInfo(
        String jobId,
        String dataset,
        DataKind dataKind,
        TrainingConfig config,
        NetworkSpec network,
        long step,
        Instant createdAt) {}
