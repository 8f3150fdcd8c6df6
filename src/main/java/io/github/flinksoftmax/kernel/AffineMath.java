package io.github.flinksoftmax.kernel;

import static io.github.flinksoftmax.kernel.SoftmaxMath.LANES;

/**
 * The summation order of a dot product that every {@link AffineKernel} follows, written once so
 * the scalar and vector paths give the same bits. Feature {@code i} below the last multiple of 16
 * goes to logical lane {@code i % 16}, where it is added by one fused multiply-add
 * ({@code acc = fma(w, x, acc)}, one rounding per feature); the 16 lanes meet in the same fixed
 * tree as the softmax sum (lane {@code j} plus lane {@code j + 8}, then {@code j + 4}, {@code j + 2},
 * {@code j + 1}), in float; the last {@code d % 16} features follow in index order, fused; the bias
 * comes last. A 512-bit vector holds the 16 lanes in one register, 256-bit in two, 128-bit in four.
 *
 * <p>Error: each product is added with one rounding and each sum in the tree rounds once, so a
 * score takes at most {@code n = ceil(d / 16) + 4 + (d % 16) + 1} roundings on the way from any
 * term, and {@code |z - exact| <= gamma_n * (sum_i |w_i x_i| + |b|)} with {@code gamma_n = n u / (1 - n u)},
 * {@code u = 2^-24} (Higham, Accuracy and Stability of Numerical Algorithms, 3.1): for
 * {@code d = 512}, about {@code 2.2e-6} of the sum of magnitudes.
 */
final class AffineMath {

    private AffineMath() {}

    /** The 16 lanes in the fixed tree: {@code l[j] + l[j + 8]}, then {@code + 4}, {@code + 2}, {@code + 1}. */
    static float tree(float[] l) {
        float a0 = l[0] + l[8], a1 = l[1] + l[9], a2 = l[2] + l[10], a3 = l[3] + l[11];
        float a4 = l[4] + l[12], a5 = l[5] + l[13], a6 = l[6] + l[14], a7 = l[7] + l[15];
        float b0 = a0 + a4, b1 = a1 + a5, b2 = a2 + a6, b3 = a3 + a7;
        return (b0 + b2) + (b1 + b3);
    }

    /**
     * The rest of one score after the lanes: the tree of {@code lanes} (zero when {@code d < 16}),
     * the tail features from {@code blocked} in index order, then the bias.
     */
    static float finish(float[] lanes, float[] w, int wOff, float[] x, int xOff, int blocked, int d, float bias) {
        float s = blocked == 0 ? 0f : tree(lanes);
        for (int i = blocked; i < d; i++) {
            s = Math.fma(w[wOff + i], x[xOff + i], s);
        }
        return s + bias;
    }

    /** The worst number of roundings between a term and its score: the {@code n} of the bound above. */
    static int roundings(int d) {
        return (d / LANES) + 4 + d % LANES + 1;
    }
}
