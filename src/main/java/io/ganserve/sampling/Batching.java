package io.ganserve.sampling;

import java.time.Duration;

/**
 * How generator passes of concurrent requests for one model are run together, as Triton's and
 * TorchServe's dynamic batchers do: one forward over their concatenated inputs, split afterwards.
 *
 * @param window how long a pass waits for more requests to join it, and only while other requests
 *     are in flight: a lone client never waits
 * @param maxQueued requests waiting for a pass, per model, beyond which a request is answered 503
 * @param maxSamples the most samples one batched pass gathers; larger requests run alone, in chunks
 */
public record Batching(Duration window, int maxQueued, int maxSamples) {

    public static final Batching DEFAULT = new Batching(Duration.ofMillis(2), 256, GeneratorSnapshot.CHUNK);

    public Batching {
        if (window.isNegative() || maxQueued < 1 || maxSamples < 1) {
            throw new IllegalArgumentException("batching needs a window >= 0, maxQueued >= 1 and maxSamples >= 1, was "
                    + window + ", " + maxQueued + ", " + maxSamples);
        }
    }
}
