package io.ganserve.engine;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Arrays whose memory libtorch owns, and scalars autograd may keep.
 *
 * <p>DJL 0.35's PyTorch engine wraps Java data without copying: {@code create(float[])},
 * {@code decode} (so every {@code loadParameters}), {@code set(Buffer)} and the scalar that
 * {@code x.mul(2f)} makes all hand libtorch a direct ByteBuffer that only the Java array object
 * keeps alive. libtorch does not know that. When the Java object goes (closed, or replaced by
 * {@code set}) while libtorch still holds the tensor — autograd keeps {@code x.mul(2f)}'s scalar
 * for the backward pass, a loaded weight is updated in place for the rest of a job — the buffer is
 * freed at the next garbage collection and libtorch reads or writes memory that has since been
 * given to something else: NaN losses that came and went with GC timing.
 *
 * <p>So scalars in a differentiable expression are made by libtorch ({@link #times}, {@link #plus}),
 * and values are copied between arrays by libtorch ({@link #copy}), never through {@code set}.
 */
public final class NativeArrays {

    private NativeArrays() {}

    /** A 0-d float32 array made by libtorch, safe to keep in an autograd graph. */
    public static NDArray scalar(NDManager manager, float value) {
        return manager.full(new Shape(), value);
    }

    /** {@code array} times {@code factor}, differentiable, with a scalar libtorch owns on {@code array}'s manager. */
    public static NDArray times(NDArray array, float factor) {
        return array.mul(scalar(array.getManager(), factor));
    }

    /** {@code array} plus {@code term}, with a scalar libtorch owns on {@code array}'s manager. */
    public static NDArray plus(NDArray array, float term) {
        return array.add(scalar(array.getManager(), term));
    }

    /**
     * Overwrites {@code target}'s values with a libtorch-owned copy of {@code source}'s (same shape).
     * Not {@code target.set(source.toByteBuffer())}: that makes {@code target} wrap a Java buffer and
     * lets the one it wrapped before be freed while libtorch may still hold it.
     */
    public static void copy(NDArray source, NDArray target) {
        if (!source.getShape().equals(target.getShape())) {
            throw new IllegalArgumentException("shape " + source.getShape() + " != " + target.getShape());
        }
        boolean grad = target.hasGradient();
        target.intern(source.duplicate());
        if (grad) {
            target.setRequiresGradient(true);
        }
    }

    /**
     * {@code block.loadParameters}, and the arrays it replaced freed: DJL leaves them on their
     * manager until that closes, a second copy of the model for as long as the model is used.
     * The loaded arrays wrap Java buffers that they themselves keep alive, which is safe as long as
     * nothing replaces them with {@code set}; use {@link #copy} to change their values. Parameters
     * come back without gradients; callers that train turn them on.
     */
    public static void loadParameters(Block block, NDManager manager, DataInputStream in)
            throws IOException, MalformedModelException {
        List<NDArray> before = new ArrayList<>();
        for (Parameter p : block.getParameters().values()) {
            if (p.isInitialized()) {
                before.add(p.getArray());
            }
        }
        block.loadParameters(manager, in);
        for (NDArray old : before) {
            old.close();
        }
    }

    /** Loaded parameters are fresh arrays that no longer ask autograd for gradients: turn them back on for training. */
    public static void restoreGradients(Block block) {
        for (Parameter p : block.getParameters().values()) {
            if (p.requiresGradient()) {
                p.getArray().setRequiresGradient(true);
            }
        }
    }
}
