package io.ganserve.evaluation;

import java.util.Arrays;
import java.util.Objects;

/**
 * Eigen-decomposition of a real symmetric matrix in double precision: Householder reduction to
 * tridiagonal form, then the implicit QL iteration (the EISPACK tred2/tql2 pair). It is O(n³) with
 * a small constant, where cyclic Jacobi needs several O(n³) sweeps, which matters for the 512-dim
 * covariance matrices of the Fréchet distance.
 */
public final class SymmetricEigen {

    private static final double EPS = Math.ulp(1.0);
    // QL converges cubically: a handful of sweeps per eigenvalue is normal, this many means a bug or bad input.
    private static final int MAX_ITERATIONS_PER_EIGENVALUE = 64;

    private SymmetricEigen() {
    }

    /**
     * @param values eigenvalues in ascending order
     * @param vectors {@code vectors[i]} is the unit eigenvector of {@code values[i]}, so A = Σ λᵢ vᵢ vᵢᵀ
     */
    public record Decomposition(double[] values, double[][] vectors) {

        public Decomposition {
            values = values.clone();
            vectors = deepCopy(vectors);
        }

        @Override
        public double[] values() {
            return values.clone();
        }

        @Override
        public double[][] vectors() {
            return deepCopy(vectors);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Decomposition that
                    && Arrays.equals(values, that.values)
                    && Arrays.deepEquals(vectors, that.vectors);
        }

        @Override
        public int hashCode() {
            return Objects.hash(Arrays.hashCode(values), Arrays.deepHashCode(vectors));
        }

        @Override
        public String toString() {
            return "Decomposition[values=" + Arrays.toString(values) + ", vectors=" + Arrays.deepToString(vectors) + "]";
        }
    }

    /** Eigenvalues and eigenvectors of a symmetric matrix; only the lower triangle is read. */
    public static Decomposition of(double[][] symmetric) {
        Tridiagonal t = reduce(symmetric, true);
        double[][] rows = transpose(t.q);
        ql(t.diagonal, t.offDiagonal, rows);
        sort(t.diagonal, rows);
        return new Decomposition(t.diagonal, rows);
    }

    /** Eigenvalues only, ascending: skips accumulating the eigenvectors, which is most of the QL work. */
    public static double[] values(double[][] symmetric) {
        Tridiagonal t = reduce(symmetric, false);
        ql(t.diagonal, t.offDiagonal, null);
        sort(t.diagonal, null);
        return t.diagonal;
    }

    private record Tridiagonal(double[] diagonal, double[] offDiagonal, double[][] q) {
    }

    /**
     * Householder reduction A = Q T Qᵀ. Follows tred2 (via JAMA); {@code offDiagonal[i]} couples
     * rows i−1 and i, with {@code offDiagonal[0] = 0}. Without {@code accumulate}, Q is not formed
     * and the result's {@code q} is meaningless.
     */
    private static Tridiagonal reduce(double[][] symmetric, boolean accumulate) {
        Objects.requireNonNull(symmetric, "symmetric");
        int n = symmetric.length;
        double[][] v = new double[n][];
        for (int i = 0; i < n; i++) {
            if (symmetric[i] == null || symmetric[i].length != n) {
                throw new IllegalArgumentException("matrix must be square, row " + i + " is not of length " + n);
            }
            for (int j = 0; j <= i; j++) {
                if (!Double.isFinite(symmetric[i][j])) {
                    throw new IllegalArgumentException("matrix has a non-finite entry at (" + i + ", " + j + ")");
                }
            }
            v[i] = new double[n];
        }
        // The algorithm reads the lower triangle only; mirror it so a slightly asymmetric input
        // (rounding in a product) is decomposed as its lower-triangle symmetric version.
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                v[i][j] = symmetric[i][j];
                v[j][i] = symmetric[i][j];
            }
        }
        double[] d = new double[n];
        double[] e = new double[n];
        if (n == 0) {
            return new Tridiagonal(d, e, v);
        }
        for (int j = 0; j < n; j++) {
            d[j] = v[n - 1][j];
        }
        for (int i = n - 1; i > 0; i--) {
            double scale = 0.0;
            double h = 0.0;
            for (int k = 0; k < i; k++) {
                scale += Math.abs(d[k]);
            }
            if (scale == 0.0) {
                e[i] = d[i - 1];
                for (int j = 0; j < i; j++) {
                    d[j] = v[i - 1][j];
                    v[i][j] = 0.0;
                    v[j][i] = 0.0;
                }
            } else {
                // Scaling keeps h = ‖x‖² clear of overflow and underflow.
                for (int k = 0; k < i; k++) {
                    d[k] /= scale;
                    h += d[k] * d[k];
                }
                double f = d[i - 1];
                // Sign chosen against f so that f − g does not cancel.
                double g = f > 0 ? -Math.sqrt(h) : Math.sqrt(h);
                e[i] = scale * g;
                h -= f * g;
                d[i - 1] = f - g;
                for (int j = 0; j < i; j++) {
                    e[j] = 0.0;
                }
                for (int j = 0; j < i; j++) {
                    f = d[j];
                    v[j][i] = f;
                    g = e[j] + v[j][j] * f;
                    for (int k = j + 1; k <= i - 1; k++) {
                        g += v[k][j] * d[k];
                        e[k] += v[k][j] * f;
                    }
                    e[j] = g;
                }
                f = 0.0;
                for (int j = 0; j < i; j++) {
                    e[j] /= h;
                    f += e[j] * d[j];
                }
                double hh = f / (h + h);
                for (int j = 0; j < i; j++) {
                    e[j] -= hh * d[j];
                }
                for (int j = 0; j < i; j++) {
                    f = d[j];
                    g = e[j];
                    for (int k = j; k <= i - 1; k++) {
                        v[k][j] -= f * e[k] + g * d[k];
                    }
                    d[j] = v[i - 1][j];
                    v[i][j] = 0.0;
                }
            }
            d[i] = h;
        }
        if (!accumulate) {
            // The reduction left T's diagonal on v's diagonal; forming Q would only move it to d.
            for (int j = 0; j < n; j++) {
                d[j] = v[j][j];
            }
            e[0] = 0.0;
            return new Tridiagonal(d, e, v);
        }
        // Accumulate the Householder reflections into Q.
        for (int i = 0; i < n - 1; i++) {
            v[n - 1][i] = v[i][i];
            v[i][i] = 1.0;
            double h = d[i + 1];
            if (h != 0.0) {
                for (int k = 0; k <= i; k++) {
                    d[k] = v[k][i + 1] / h;
                }
                for (int j = 0; j <= i; j++) {
                    double g = 0.0;
                    for (int k = 0; k <= i; k++) {
                        g += v[k][i + 1] * v[k][j];
                    }
                    for (int k = 0; k <= i; k++) {
                        v[k][j] -= g * d[k];
                    }
                }
            }
            for (int k = 0; k <= i; k++) {
                v[k][i + 1] = 0.0;
            }
        }
        for (int j = 0; j < n; j++) {
            d[j] = v[n - 1][j];
            v[n - 1][j] = 0.0;
        }
        v[n - 1][n - 1] = 1.0;
        e[0] = 0.0;
        return new Tridiagonal(d, e, v);
    }

    /**
     * Implicit QL with Wilkinson-type shifts on the tridiagonal (d, e), follows tql2. Eigenvectors
     * are kept as rows, {@code rows[i]} belonging to {@code d[i]}, so each plane rotation touches
     * two contiguous arrays; {@code rows == null} computes eigenvalues only.
     */
    private static void ql(double[] d, double[] e, double[][] rows) {
        int n = d.length;
        for (int i = 1; i < n; i++) {
            e[i - 1] = e[i];
        }
        if (n == 0) {
            return;
        }
        e[n - 1] = 0.0;
        double f = 0.0;
        double tst1 = 0.0;
        for (int l = 0; l < n; l++) {
            // An off-diagonal entry negligible against the matrix's scale splits the problem.
            tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
            int m = l;
            while (m < n - 1 && Math.abs(e[m]) > EPS * tst1) {
                m++;
            }
            if (m > l) {
                int iterations = 0;
                do {
                    if (++iterations > MAX_ITERATIONS_PER_EIGENVALUE) {
                        throw new ArithmeticException("QL iteration did not converge for eigenvalue " + l);
                    }
                    double g = d[l];
                    double p = (d[l + 1] - g) / (2.0 * e[l]);
                    double r = Math.hypot(p, 1.0);
                    if (p < 0) {
                        r = -r;
                    }
                    d[l] = e[l] / (p + r);
                    d[l + 1] = e[l] * (p + r);
                    double dl1 = d[l + 1];
                    double h = g - d[l];
                    for (int i = l + 2; i < n; i++) {
                        d[i] -= h;
                    }
                    f += h;
                    p = d[m];
                    double c = 1.0;
                    double c2 = c;
                    double c3 = c;
                    double el1 = e[l + 1];
                    double s = 0.0;
                    double s2 = 0.0;
                    for (int i = m - 1; i >= l; i--) {
                        c3 = c2;
                        c2 = c;
                        s2 = s;
                        g = c * e[i];
                        h = c * p;
                        r = Math.hypot(p, e[i]);
                        e[i + 1] = s * r;
                        s = e[i] / r;
                        c = p / r;
                        p = c * d[i] - s * g;
                        d[i + 1] = h + s * (c * g + s * d[i]);
                        if (rows != null) {
                            double[] a = rows[i];
                            double[] b = rows[i + 1];
                            for (int k = 0; k < n; k++) {
                                double bk = b[k];
                                b[k] = s * a[k] + c * bk;
                                a[k] = c * a[k] - s * bk;
                            }
                        }
                    }
                    p = -s * s2 * c3 * el1 * e[l] / dl1;
                    e[l] = s * p;
                    d[l] = c * p;
                } while (Math.abs(e[l]) > EPS * tst1);
            }
            d[l] += f;
            e[l] = 0.0;
        }
    }

    /** Sorts eigenvalues ascending, carrying their eigenvector rows along. */
    private static void sort(double[] d, double[][] rows) {
        int n = d.length;
        for (int i = 0; i < n - 1; i++) {
            int min = i;
            for (int j = i + 1; j < n; j++) {
                if (d[j] < d[min]) {
                    min = j;
                }
            }
            if (min != i) {
                double value = d[i];
                d[i] = d[min];
                d[min] = value;
                if (rows != null) {
                    double[] row = rows[i];
                    rows[i] = rows[min];
                    rows[min] = row;
                }
            }
        }
    }

    private static double[][] transpose(double[][] a) {
        int n = a.length;
        double[][] t = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    private static double[][] deepCopy(double[][] a) {
        double[][] copy = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            copy[i] = a[i].clone();
        }
        return copy;
    }
}
