package io.ganserve.evaluation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Squared Euclidean distances from chunks of rows to a fixed reference set, on the engine, as
 * ‖a‖² + ‖b‖² − 2a·bᵀ so that the work is one matrix multiply per chunk. The reference's transpose
 * and squared norms are computed once and live in the manager given to the constructor.
 */
final class PairwiseDistances {

    /**
     * Elements of one chunk's distance matrix: 2²⁴ floats are 64 MiB, so the few matrices of that
     * size that a chunk creates stay within about 256 MiB however large the sets are.
     */
    static final long CHUNK_ELEMENTS = 1L << 24;

    private final NDArray transposed;
    private final NDArray squaredNorms;
    private final long size;

    PairwiseDistances(NDArray reference, NDManager manager) {
        requireRows(reference, "reference");
        size = reference.getShape().get(0);
        NDArray local = rows(reference, manager, 0, size);
        transposed = local.transpose();
        squaredNorms = local.square().sum(new int[] {1}).reshape(1, size);
    }

    long size() {
        return size;
    }

    /** Rows per chunk so that a chunk-by-reference matrix holds at most {@link #CHUNK_ELEMENTS}. */
    long rowsPerChunk() {
        return rowsPerChunk(size);
    }

    static long rowsPerChunk(long columns) {
        return Math.max(1, CHUNK_ELEMENTS / Math.max(1, columns));
    }

    /**
     * @param chunk float32 rows owned by the manager the result should live in
     * @return (rows × reference size), never negative
     */
    NDArray squaredFrom(NDArray chunk) {
        try (NDArray squares = chunk.square();
                NDArray rowNorms = squares.sum(new int[] {1}, true);
                NDArray expanded = chunk.matMul(transposed).muli(-2).addi(rowNorms).addi(squaredNorms)) {
            // The expansion cancels for near-identical points and can go slightly below zero.
            // Closing the unclamped matrix at once halves the chunk's peak memory.
            return expanded.maximum(0f);
        }
    }

    /** Rows [from, to) of {@code points} as float32, owned by {@code manager}; see {@link #slice}. */
    static NDArray rows(NDArray points, NDManager manager, long from, long to) {
        return slice(points, manager, from, to).toType(DataType.FLOAT32, false);
    }

    /**
     * Rows [from, to) of {@code points}, owned by {@code manager}: ops take the manager of their
     * first operand, so slicing into a scratch manager keeps every later temporary out of the
     * caller's own manager. The slice may share memory with {@code points}: never modify it in place.
     */
    static NDArray slice(NDArray points, NDManager manager, long from, long to) {
        return points.get(manager, new NDIndex("{}:{}", from, to));
    }

    static void requireRows(NDArray points, String name) {
        Shape shape = points.getShape();
        if (shape.dimension() != 2) {
            throw new IllegalArgumentException(name + " must be 2-D (rows are samples), got shape " + shape);
        }
        if (shape.get(1) < 1) {
            throw new IllegalArgumentException(name + " must have at least one feature, got shape " + shape);
        }
    }

    static void requireSameWidth(NDArray a, String aName, NDArray b, String bName) {
        if (a.getShape().get(1) != b.getShape().get(1)) {
            throw new IllegalArgumentException(aName + " and " + bName + " differ in dimension: " + a.getShape()
                    + " vs " + b.getShape());
        }
    }
}
