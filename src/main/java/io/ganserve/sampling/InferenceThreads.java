package io.ganserve.sampling;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The few threads every generator forward pass of a request runs on, whatever the number of HTTP
 * threads. glibc gives each allocating thread an arena of its own and does not hand memory freed
 * in one arena to another: with the forward passes on the request threads, 8 clients stranded
 * tensors in 8 arenas and the process peaked past a memory limit its budget respected. The cores
 * bound what passes can run at once anyway.
 */
final class InferenceThreads {

    static final int THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final ExecutorService POOL = Executors.newFixedThreadPool(THREADS, r -> {
        // grad mode is thread-local in libtorch and set by each pass: setting it here, before the engine is
        // loaded, would kill the thread and lose the task it was made for
        Thread t = new Thread(r, "gan-inference-" + NAMES.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private InferenceThreads() {}

    /** Runs {@code work} on an inference thread, returning at once. */
    static void execute(Runnable work) {
        POOL.execute(work);
    }
}
