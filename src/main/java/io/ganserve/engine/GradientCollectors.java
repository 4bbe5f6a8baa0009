package io.ganserve.engine;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The one lock around gradient collection in this JVM. DJL's PyTorch engine allows a single open
 * GradientCollector per process (a static flag in PtGradientCollector), so the guard must be
 * process-wide too: every trainer, in every JobService the process holds (tests start several
 * application contexts side by side), takes turns through it. Fair, so concurrent jobs alternate
 * step by step instead of one starving the others.
 */
public final class GradientCollectors {

    private static final ReentrantLock LOCK = new ReentrantLock(true);

    private GradientCollectors() {}

    public static ReentrantLock lock() {
        return LOCK;
    }
}
