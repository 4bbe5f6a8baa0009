package io.ganserve.jobs;

/**
 * Seconds per training step over a window restarted every few seconds, so that a job's rate and
 * ETA follow the machine's current load rather than its average since the start. Every run kind's
 * loop (GAN, CycleGAN, semi-supervised) reports its rate through one of these.
 */
final class StepRate {

    private static final double WINDOW_SECONDS = 5;

    private long windowStart = System.nanoTime();
    private long windowSteps;

    /** Counts a finished step; answers the seconds per step in the current window. */
    double stepDone() {
        windowSteps++;
        double seconds = (System.nanoTime() - windowStart) / 1e9;
        double perStep = seconds / windowSteps;
        if (seconds > WINDOW_SECONDS) {
            windowStart = System.nanoTime();
            windowSteps = 0;
        }
        return perStep;
    }
}
