package io.ganserve.gan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TransposedConv2dTest {

    /** PyTorch's definition, computed by scattering every input pixel through the kernel. */
    private static float[] bruteForce(float[] x, float[] w, float[] b, int n, int cin, int cout,
                                      int h, int k, int s, int p) {
        int out = (h - 1) * s - 2 * p + k;
        float[] y = new float[n * cout * out * out];
        for (int b0 = 0; b0 < n; b0++) {
            for (int o = 0; o < cout; o++) {
                for (int i = 0; i < out * out; i++) {
                    y[((b0 * cout + o) * out * out) + i] = b == null ? 0 : b[o];
                }
            }
            for (int c = 0; c < cin; c++) {
                for (int iy = 0; iy < h; iy++) {
                    for (int ix = 0; ix < h; ix++) {
                        float v = x[((b0 * cin + c) * h + iy) * h + ix];
                        for (int o = 0; o < cout; o++) {
                            for (int ky = 0; ky < k; ky++) {
                                for (int kx = 0; kx < k; kx++) {
                                    int oy = iy * s - p + ky;
                                    int ox = ix * s - p + kx;
                                    if (oy < 0 || ox < 0 || oy >= out || ox >= out) {
                                        continue;
                                    }
                                    y[((b0 * cout + o) * out + oy) * out + ox] +=
                                            v * w[((c * cout + o) * k + ky) * k + kx];
                                }
                            }
                        }
                    }
                }
            }
        }
        return y;
    }

    @ParameterizedTest
    @CsvSource({"7, 4, 2, 1, true", "4, 4, 2, 1, false", "5, 3, 1, 1, true", "3, 6, 3, 2, true", "6, 2, 2, 0, true"})
    void matchesTheDefinitionOfATransposedConvolution(int h, int k, int s, int p, boolean bias) {
        int n = 2;
        int cin = 3;
        int cout = 5;
        Random rng = new Random(7);
        try (NDManager manager = NDManager.newBaseManager()) {
            TransposedConv2d block = new TransposedConv2d(cout, k, s, p, bias);
            block.initialize(manager, DataType.FLOAT32, new Shape(n, cin, h, h));
            float[] w = block.getParameters().get("weight").getArray().toFloatArray();
            float[] b = bias ? randomInto(block.getParameters().get("bias").getArray(), rng) : null;
            float[] x = new float[n * cin * h * h];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rng.nextGaussian();
            }
            NDArray input = manager.create(x, new Shape(n, cin, h, h));
            NDArray y = block.forward(new ParameterStore(manager, false), new NDList(input), false).head();

            int out = block.outputSize(h);
            assertThat(y.getShape()).isEqualTo(new Shape(n, cout, out, out));
            float[] expected = bruteForce(x, w, b, n, cin, cout, h, k, s, p);
            float[] actual = y.toFloatArray();
            for (int i = 0; i < expected.length; i++) {
                assertThat(actual[i]).as("element %d", i).isCloseTo(expected[i], within(1e-4f));
            }
        }
    }

    /**
     * A frozen layer (a served generator's) answers inference forwards from the kernels it made
     * once, exactly as it did before, and training forwards from its weights as they are now.
     */
    @org.junit.jupiter.api.Test
    void aFrozenLayerKeepsItsInferenceOutputsAndTrainsOnItsCurrentWeights() {
        int n = 2;
        int cin = 3;
        int cout = 5;
        int h = 7;
        Random rng = new Random(11);
        try (NDManager manager = NDManager.newBaseManager()) {
            TransposedConv2d block = new TransposedConv2d(cout, 4, 2, 1, true);
            block.initialize(manager, DataType.FLOAT32, new Shape(n, cin, h, h));
            randomInto(block.getParameters().get("bias").getArray(), rng);
            float[] x = new float[n * cin * h * h];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rng.nextGaussian();
            }
            NDArray input = manager.create(x, new Shape(n, cin, h, h));
            float[] before = block.forward(new ParameterStore(manager, false), new NDList(input), false).head().toFloatArray();

            long bytes = block.freeze(manager);
            assertThat(bytes).as("one phase kernel per weight").isEqualTo((long) cin * cout * 4 * 4 * Float.BYTES);
            float[] frozen = block.forward(new ParameterStore(manager, false), new NDList(input), false).head().toFloatArray();
            assertThat(frozen).containsExactly(before);

            float[] w = randomInto(block.getParameters().get("weight").getArray(), rng);
            float[] b = block.getParameters().get("bias").getArray().toFloatArray();
            float[] training = block.forward(new ParameterStore(manager, false), new NDList(input), true).head().toFloatArray();
            float[] expected = bruteForce(x, w, b, n, cin, cout, h, 4, 2, 1);
            for (int i = 0; i < expected.length; i++) {
                assertThat(training[i]).as("training element %d", i).isCloseTo(expected[i], within(1e-4f));
            }
            assertThat(block.forward(new ParameterStore(manager, false), new NDList(input), false).head().toFloatArray())
                    .as("inference still answers from the frozen kernels").containsExactly(before);
        }
    }

    private static float[] randomInto(NDArray param, Random rng) {
        float[] values = new float[(int) param.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) rng.nextGaussian();
        }
        param.set(values);
        return values;
    }
}
