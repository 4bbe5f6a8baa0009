package io.ganserve.data;

/** What a dataset's samples are, which decides the model family that can train on it. */
public enum DataKind {
    POINTS,
    IMAGES
}
