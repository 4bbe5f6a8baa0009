package io.ganserve.jobs;

import io.ganserve.registry.TrainingHistory;
import io.ganserve.registry.TrainingHistory.Point;
import io.ganserve.training.StepResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds one job's {@link TrainingHistory} step by step in bounded memory: steps are summed into a
 * pending point until it covers {@code stepsPerPoint} steps; when the points reach the bound,
 * neighbours merge in pairs and {@code stepsPerPoint} doubles. Adding a step is O(1) amortised.
 * Not thread-safe: its owner serialises access.
 */
final class HistoryAccumulator {

    private final String jobId;
    private final int maxPoints;
    private final List<Point> points;
    private long stepsPerPoint;
    private long recordedSteps;
    private Sums pending = new Sums();

    private HistoryAccumulator(String jobId, int maxPoints, long stepsPerPoint, long recordedSteps, List<Point> points) {
        if (maxPoints < 2 || maxPoints % 2 != 0) {
            throw new IllegalArgumentException("maxPoints must be even and at least 2, was " + maxPoints);
        }
        this.jobId = jobId;
        this.maxPoints = maxPoints;
        this.stepsPerPoint = Math.max(1, stepsPerPoint);
        this.recordedSteps = recordedSteps;
        this.points = new ArrayList<>(points);
    }

    static HistoryAccumulator empty(String jobId, int maxPoints) {
        return new HistoryAccumulator(jobId, maxPoints, 1, 0, List.of());
    }

    /** Goes on from a stored history; one stored under another bound is merged down to this one. */
    static HistoryAccumulator resume(TrainingHistory stored, int maxPoints) {
        HistoryAccumulator acc = new HistoryAccumulator(stored.jobId(), maxPoints, stored.stepsPerPoint(),
                stored.recordedSteps(), stored.points());
        while (acc.points.size() >= maxPoints) {
            acc.mergeNeighbours();
        }
        return acc;
    }

    /** One step's figures; a figure the job does not have is null in {@code losses} and in the points. */
    void add(long step, StepResult losses, double samplesPerSecond) {
        pending.add(step, 1, new Float[] {losses.generatorLoss(), losses.discriminatorLoss(),
                losses.wassersteinEstimate(), losses.gradientPenalty(), losses.mutualInformation(),
                losses.adversarialLoss(), losses.cycleLoss(), losses.identityLoss()},
                samplesPerSecond > 0 && Double.isFinite(samplesPerSecond) ? samplesPerSecond : null);
        recordedSteps++;
        if (pending.steps >= stepsPerPoint) {
            points.add(pending.point());
            pending = new Sums();
            if (points.size() >= maxPoints) {
                mergeNeighbours();
            }
        }
    }

    /**
     * Forgets every step after {@code step}: a run resumed from a checkpoint (after a restart, or to
     * replay a divergence) trains those steps again. A point that straddles {@code step} goes too,
     * so a few steps before it may be missing from the curve; none is counted twice.
     */
    void truncateAfter(long step) {
        points.removeIf(p -> p.step() > step);
        if (pending.steps > 0 && pending.lastStep > step) {
            pending = new Sums();
        }
        recordedSteps = points.stream().mapToLong(Point::steps).sum() + pending.steps;
    }

    /** What has been recorded so far, the pending partial point included so a live curve reaches the newest step. */
    TrainingHistory snapshot() {
        List<Point> all = new ArrayList<>(points.size() + 1);
        all.addAll(points);
        if (pending.steps > 0) {
            all.add(pending.point());
        }
        return new TrainingHistory(jobId, maxPoints, stepsPerPoint, recordedSteps, all);
    }

    private void mergeNeighbours() {
        List<Point> merged = new ArrayList<>(points.size() / 2 + 1);
        for (int i = 0; i < points.size(); i += 2) {
            if (i + 1 == points.size()) {
                merged.add(points.get(i));
                break;
            }
            Sums pair = new Sums();
            pair.add(points.get(i));
            pair.add(points.get(i + 1));
            merged.add(pair.point());
        }
        points.clear();
        points.addAll(merged);
        stepsPerPoint *= 2;
    }

    /**
     * Step-weighted sums; each figure counts only the steps that had it. The figures in
     * {@link Point}'s order: G, D, Wasserstein estimate, gradient penalty, mutual information, and a
     * CycleGAN's adversarial, cycle and identity terms.
     */
    private static final class Sums {
        static final int FIGURES = 8;
        long steps;
        long lastStep;
        final Mean[] figures = new Mean[FIGURES];
        final Mean rate = new Mean();

        Sums() {
            for (int i = 0; i < FIGURES; i++) {
                figures[i] = new Mean();
            }
        }

        void add(Point p) {
            add(p.step(), p.steps(), new Float[] {p.generatorLoss(), p.discriminatorLoss(), p.wassersteinEstimate(),
                    p.gradientPenalty(), p.mutualInformation(), p.adversarialLoss(), p.cycleLoss(), p.identityLoss()},
                    p.samplesPerSecond());
        }

        void add(long step, long weight, Float[] values, Double perSecond) {
            steps += weight;
            lastStep = Math.max(lastStep, step);
            for (int i = 0; i < FIGURES; i++) {
                figures[i].add(values[i], weight);
            }
            rate.add(perSecond, weight);
        }

        Point point() {
            return new Point(lastStep, steps, figures[0].meanFloat(), figures[1].meanFloat(), figures[2].meanFloat(),
                    figures[3].meanFloat(), figures[4].meanFloat(), figures[5].meanFloat(), figures[6].meanFloat(),
                    figures[7].meanFloat(), rate.mean());
        }
    }

    private static final class Mean {
        double sum;
        long weight;

        void add(Number value, long w) {
            if (value != null && Double.isFinite(value.doubleValue())) {
                sum += value.doubleValue() * w;
                weight += w;
            }
        }

        Double mean() {
            return weight == 0 ? null : sum / weight;
        }

        Float meanFloat() {
            return weight == 0 ? null : (float) (sum / weight);
        }
    }
}
