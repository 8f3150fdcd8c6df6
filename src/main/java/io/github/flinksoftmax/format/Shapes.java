package io.github.flinksoftmax.format;

import java.util.Arrays;

/**
 * Shape arithmetic every format needs: softmax runs along the last axis, so a shape
 * {@code [d0, .., dn-1, K]} is {@code d0 * .. * dn-1} rows of K. A record with no elements is
 * rejected here as {@link Reason#EMPTY_VECTOR} rather than passed on as zero rows, which would
 * otherwise produce an empty output record.
 */
final class Shapes {

    private Shapes() {}

    /** The product of the dimensions (non-negative), saturating at {@code Long.MAX_VALUE}. */
    static long product(long[] shape) {
        long p = 1;
        for (long d : shape) {
            p = times(p, d);
        }
        return p;
    }

    static long product(int[] shape) {
        long p = 1;
        for (int d : shape) {
            p = times(p, d);
        }
        return p;
    }

    private static long times(long a, long b) {
        return b != 0 && a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }

    /** The leading dimensions: the shape of one value per row, such as the argmax tensor. */
    static int[] leading(int[] shape) {
        return Arrays.copyOf(shape, shape.length - 1);
    }

    /** Wraps {@code values} with its shape; {@code values.length} is the shape's product. */
    static Logits logits(float[] values, int[] shape, Object envelope, String where) throws BadRecordException {
        if (values.length == 0) {
            throw new BadRecordException(Reason.EMPTY_VECTOR,
                    where + " has shape " + Arrays.toString(shape) + " and no logits; expected at least one");
        }
        int cols = shape[shape.length - 1];
        return new Logits(values, values.length / cols, cols, shape, envelope);
    }

    /** @param count how many logits the record holds, or -1 when it is only known to exceed the limit */
    static BadRecordException tooLong(String where, long count, int maxLength) {
        String held = count < 0 || count == Long.MAX_VALUE ? "more than " + maxLength : Long.toString(count);
        return new BadRecordException(Reason.TOO_LONG,
                where + " holds " + held + " logits; the limit (softmax.max-length) is " + maxLength);
    }
}
