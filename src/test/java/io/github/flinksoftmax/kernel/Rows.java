package io.github.flinksoftmax.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/** Test rows: odd sizes, ordinary and extreme values, masked entries, placed at non-zero offsets. */
final class Rows {

    static final int[] SIZES = {1, 2, 3, 7, 15, 16, 17, 31, 33, 1000, 4099};
    static final float[] BETAS = {1f, 0.7f, 2.5f, 1e-3f, 0f, -1f, -0.3f};
    /** Leading padding: every row starts at a non-zero, unaligned offset. */
    static final int OFF = 3;

    /** A named row of logits stored at {@code x[OFF, OFF + len)}. */
    record Row(String name, float[] x, int len) {
        @Override
        public String toString() {
            return name + "[" + len + "]";
        }
    }

    private Rows() {}

    static List<Row> all() {
        List<Row> rows = new ArrayList<>();
        for (int k : SIZES) {
            rows.add(make("gauss1", k, 1, r -> (float) r.nextGaussian()));
            rows.add(make("gauss4", k, 2, r -> (float) (4 * r.nextGaussian())));
            rows.add(make("masked", k, 3, r -> r.nextInt(4) == 0 ? Float.NEGATIVE_INFINITY : (float) (3 * r.nextGaussian())));
            rows.add(make("pm1e4", k, 4, r -> (float) r.nextDouble(-1e4, 1e4)));
            rows.add(make("near1e4", k, 5, r -> (float) (1e4 + r.nextDouble(-20, 20))));
            rows.add(make("pm3e38", k, 6, r -> r.nextBoolean() ? 3e38f : -3e38f * (float) r.nextDouble()));
            rows.add(make("subnormal", k, 7, r -> Float.MIN_VALUE * r.nextInt(-1000, 1000)));
            rows.add(make("hugeAmongTiny", k, 8, r -> 1e-30f * (float) r.nextGaussian()));
            rows.get(rows.size() - 1).x()[OFF + k / 2] = 80f;
            rows.add(make("equal", k, 9, r -> 2.5f));
        }
        return rows;
    }


    static Row make(String name, int len, long seed, Function<SplittableRandom, Float> gen) {
        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + len);
        float[] x = new float[OFF + len + 5];
        for (int i = 0; i < x.length; i++) {
            x[i] = gen.apply(r);
        }
        // keep at least one unmasked entry: kernels assume valid rows
        if (x[OFF] == Float.NEGATIVE_INFINITY) {
            x[OFF] = 0.5f;
        }
        return new Row(name, x, len);
    }
}
