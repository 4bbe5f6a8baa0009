package io.ganserve.evaluation;

import ai.djl.ndarray.NDArray;
import java.util.Objects;

/**
 * Fréchet distance between two Gaussians fitted to feature sets (FID's formula, Heusel et al. 2017):
 * ‖μa − μb‖² + Tr(Σa + Σb − 2(ΣaΣb)^½). Comparable only between scores taken with the same
 * feature network.
 */
public final class FrechetDistance {

    private FrechetDistance() {
    }

    public static double between(NDArray featuresA, NDArray featuresB) {
        return between(FeatureStatistics.of(featuresA), FeatureStatistics.of(featuresB));
    }

    public static double between(FeatureStatistics a, FeatureStatistics b) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        if (a.dimension() != b.dimension()) {
            throw new IllegalArgumentException("statistics differ in dimension: " + a.dimension() + " vs " + b.dimension());
        }
        double[] meanA = a.mean();
        double[] meanB = b.mean();
        double[][] covarianceA = a.covariance();
        double[][] covarianceB = b.covariance();
        double distance = 0;
        for (int i = 0; i < meanA.length; i++) {
            double difference = meanA[i] - meanB[i];
            distance += difference * difference + covarianceA[i][i] + covarianceB[i][i];
        }
        distance -= 2 * traceOfSquareRootOfProduct(covarianceA, covarianceB);
        // It is a squared Wasserstein-2 distance; below zero only by rounding.
        return Math.max(0, distance);
    }

    /**
     * Tr((ΣaΣb)^½) for symmetric positive semi-definite Σa, Σb: the sum of the square roots of the
     * eigenvalues of the symmetric PSD matrix √Σa Σb √Σa, which is similar to ΣaΣb. With
     * Σa = Vᵀ Λ V (rows of V are eigenvectors), √Σa Σb √Σa = Vᵀ (Λ^½ V Σb Vᵀ Λ^½) V, so the inner
     * matrix has the same eigenvalues and costs two products instead of four. Unlike a general
     * matrix square root (scipy's sqrtm) this stays real and exact for singular covariances, as
     * when there are fewer samples than features.
     */
    static double traceOfSquareRootOfProduct(double[][] covarianceA, double[][] covarianceB) {
        int n = covarianceA.length;
        if (n == 0) {
            return 0;
        }
        SymmetricEigen.Decomposition decomposition = SymmetricEigen.of(covarianceA);
        double[] values = decomposition.values();
        double[][] vectors = decomposition.vectors();
        double floor = roundingFloor(values);
        double[] roots = new double[n];
        for (int i = 0; i < n; i++) {
            roots[i] = values[i] <= floor ? 0 : Math.sqrt(values[i]);
        }
        double[][] vSigmaB = multiply(vectors, covarianceB);
        double[][] inner = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double dot = 0;
                double[] left = vSigmaB[i];
                double[] right = vectors[j];
                for (int k = 0; k < n; k++) {
                    dot += left[k] * right[k];
                }
                inner[i][j] = roots[i] * roots[j] * dot;
                inner[j][i] = inner[i][j];
            }
        }
        double[] innerValues = SymmetricEigen.values(inner);
        double innerFloor = roundingFloor(innerValues);
        double trace = 0;
        for (double value : innerValues) {
            trace += value <= innerFloor ? 0 : Math.sqrt(value);
        }
        return trace;
    }

    /**
     * Eigenvalues up to n·ε·max|λ| are taken as 0: zero eigenvalues of a rank-deficient matrix
     * come out as ±1e-16-sized rounding noise, and the square root would magnify that noise into
     * 1e-8-sized terms, enough to make FD(a, b) differ from FD(b, a) visibly.
     */
    private static double roundingFloor(double[] values) {
        double largest = 0;
        for (double value : values) {
            largest = Math.max(largest, Math.abs(value));
        }
        return values.length * Math.ulp(1.0) * largest;
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length;
        int m = b[0].length;
        double[][] product = new double[n][m];
        for (int i = 0; i < n; i++) {
            double[] row = product[i];
            for (int k = 0; k < b.length; k++) {
                double aik = a[i][k];
                double[] bk = b[k];
                // i-k-j order walks b and the product row by row.
                for (int j = 0; j < m; j++) {
                    row[j] += aik * bk[j];
                }
            }
        }
        return product;
    }
}
