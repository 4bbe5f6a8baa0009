package io.ganserve.training;

/** Told when a job's final generator is on disk, so serving can swap it in without a restart. */
@FunctionalInterface
public interface JobListener {
    void modelReady(ModelInfo model);
}
