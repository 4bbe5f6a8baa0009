package io.ganserve.evaluation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Squared Euclidean distances from chunks of rows to a fixed reference set, on the engine, by
 * ‖x − r‖² = ‖x‖² + ‖r‖² − 2x·r so that the work is one matrix multiply per chunk. The reference
 * side is prepared once, in the manager given to the constructor.
 *
 * <p>The matrix it returns leaves out ‖x‖²: that term is constant along each row, so the row-wise
 * minimum, top-k and differences that callers need are unchanged, and callers add it to their
 * per-row results. Everything else is folded into the multiply as an extra column of ones against
 * a row of ‖r‖², so building the matrix takes no pass over it besides the multiply; on CPU those
 * passes (each a fresh 64 MiB allocation) cost as much as the multiply itself.
 */
final class PairwiseDistances {

    /**
     * Elements of one chunk's distance matrix: 2²⁴ floats are 64 MiB, so the few matrices of that
     * size that a chunk creates stay within about 256 MiB however large the sets are.
     */
    static final long CHUNK_ELEMENTS = 1L << 24;

    /** [−2Rᵀ; ‖r‖² − offsets], (d + 1) × M. */
    private final NDArray augmented;
    private final NDArray reference;
    private final NDArray squaredNorms;
    private final long size;

    PairwiseDistances(NDArray points, NDManager manager) {
        requireRows(points, "reference");
        size = points.getShape().get(0);
        reference = rows(points, manager, 0, size);
        squaredNorms = rowSquaredNorms(reference);
        augmented = augment(reference, squaredNorms);
    }

    private PairwiseDistances(PairwiseDistances base, NDArray bottomRow) {
        size = base.size;
        reference = base.reference;
        squaredNorms = base.squaredNorms;
        augmented = augment(reference, bottomRow);
    }

    private static NDArray augment(NDArray reference, NDArray bottomRow) {
        try (NDArray transposed = reference.transpose(); NDArray scaled = transposed.mul(-2f)) {
            return scaled.concat(bottomRow.reshape(1, reference.getShape().get(0)), 0);
        }
    }

    /**
     * The same reference set with {@code offsets[j]} (a vector of M) subtracted from every
     * distance to r_j, in the same single multiply.
     */
    PairwiseDistances lessOffsets(NDArray offsets) {
        try (NDArray bottom = squaredNorms.sub(offsets.reshape(size))) {
            return new PairwiseDistances(this, bottom);
        }
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
     * ‖r_j‖² − 2x_i·r_j (less the offsets, if any) for the rows x_i of {@code chunk}: the squared
     * distance less ‖x_i‖². The result takes the chunk's manager.
     *
     * @param chunk float32 rows, as from {@link #rows}
     */
    NDArray lessRowNormsFrom(NDArray chunk) {
        long rows = chunk.getShape().get(0);
        try (NDArray ones = chunk.getManager().ones(new Shape(rows, 1), DataType.FLOAT32);
                NDArray withOnes = chunk.concat(ones, 1)) {
            return withOnes.matMul(augmented);
        }
    }

    /** ‖x_i‖² for each row, a vector, in the rows' manager. */
    static NDArray rowSquaredNorms(NDArray rows) {
        try (NDArray squares = rows.square()) {
            return squares.sum(new int[] {1});
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
