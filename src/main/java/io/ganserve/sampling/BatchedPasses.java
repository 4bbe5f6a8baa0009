package io.ganserve.sampling;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One model's queue of generator passes. Each request queues its rows of generator input and
 * hands the inference threads a drain; a drain takes the oldest request and every request queued
 * behind it, up to {@link Batching#maxSamples} samples (waiting up to {@link Batching#window} for
 * more while other requests are in flight), runs them as one forward and gives each its outputs.
 * Every request queues one drain and a drain takes at least one request, so none is left behind.
 */
final class BatchedPasses {

    /** Runs {@code n} rows of generator input, concatenated, and returns their outputs in order. */
    interface Forward {
        float[] run(float[] inputs, int n);
    }

    private record Pending(float[] inputs, int n, CompletableFuture<float[]> result) {}

    private final String jobId;
    private final int inputDim;
    private final int outputLength;
    private final Batching batching;
    private final SamplingEvents events;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    /** Requests queued or running. */
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Drains waiting out their window for more requests, woken by each one queued. */
    private final Set<Thread> waiting = ConcurrentHashMap.newKeySet();

    BatchedPasses(String jobId, int inputDim, int outputLength, Batching batching, SamplingEvents events) {
        this.jobId = jobId;
        this.inputDim = inputDim;
        this.outputLength = outputLength;
        this.batching = batching;
        this.events = events;
    }

    /** The outputs of {@code n} rows of generator input, run with whatever else is queued for this model. */
    float[] run(float[] inputs, int n, Forward forward) {
        if (inFlight.incrementAndGet() > batching.maxQueued()) {
            inFlight.decrementAndGet();
            throw new InferenceQueueFullException(jobId, batching.maxQueued());
        }
        Pending request = new Pending(inputs, n, new CompletableFuture<>());
        try {
            queue.add(request);
            for (Thread drain : waiting) {
                LockSupport.unpark(drain); // a pass waiting for company takes this request now
            }
            InferenceThreads.execute(() -> drain(forward));
            return io.ganserve.engine.Futures.await(request.result(), "generating");
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void drain(Forward forward) {
        Pending first = queue.poll();
        if (first == null) {
            return; // another drain took it
        }
        List<Pending> batch = new ArrayList<>();
        batch.add(first);
        int samples = first.n();
        long deadline = System.nanoTime() + batching.window().toNanos();
        while (samples < batching.maxSamples()) {
            Pending next = queue.peek();
            if (next != null && samples + next.n() <= batching.maxSamples() && queue.remove(next)) {
                batch.add(next);
                samples += next.n();
            } else if (next == null && inFlight.get() > batch.size() && System.nanoTime() < deadline) {
                // others are in flight: some may join before the window closes, and each one queued wakes
                // this drain at once, where polling woke it every 50 µs for nothing
                Thread self = Thread.currentThread();
                waiting.add(self);
                if (queue.isEmpty()) { // a request queued after the add has unparked, or will: park returns at once
                    LockSupport.parkNanos(this, deadline - System.nanoTime());
                }
                waiting.remove(self);
            } else {
                break;
            }
        }
        try {
            float[] outputs = forward.run(concatenated(batch, samples), samples);
            events.batchRun(batch.size(), samples);
            int at = 0;
            for (Pending p : batch) {
                float[] own = new float[p.n() * outputLength];
                System.arraycopy(outputs, at * outputLength, own, 0, own.length);
                at += p.n();
                p.result().complete(own);
            }
        } catch (RuntimeException | Error e) {
            batch.forEach(p -> p.result().completeExceptionally(e));
        }
    }

    private float[] concatenated(List<Pending> batch, int samples) {
        if (batch.size() == 1) {
            return batch.getFirst().inputs();
        }
        float[] all = new float[samples * inputDim];
        int at = 0;
        for (Pending p : batch) {
            System.arraycopy(p.inputs(), 0, all, at, p.inputs().length);
            at += p.inputs().length;
        }
        return all;
    }
}
