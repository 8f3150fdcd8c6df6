package io.github.flinksoftmax.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one array from NumPy's {@code .npy} format (versions 1.0, 2.0 and 3.0): the magic
 * {@code \x93NUMPY}, a version, a little-endian header length (2 bytes in 1.0, 4 after), a Python
 * dict literal with {@code descr}, {@code fortran_order} and {@code shape}, then the raw data.
 * Only what a model needs is accepted: little-endian float32 ({@code <f4}) or float64 ({@code <f8}),
 * C order, and exactly as many data bytes as the shape says; anything else is refused with the
 * reason. Float64 values are rounded to float32, as the kernel computes in float.
 */
final class Npy {

    /** An array of any rank: the shape and the values in C order. */
    record Array(int[] shape, float[] values) {}

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    /** Far above any model this job can hold in memory, and below int overflow of the byte count. */
    private static final long MAX_VALUES = 1L << 28;

    private Npy() {}

    static Array read(byte[] bytes, String source) throws ModelFormatException {
        if (bytes.length < 10 || !startsWithMagic(bytes)) {
            throw new ModelFormatException(source + ": not a .npy file (no \\x93NUMPY magic)");
        }
        int major = bytes[6] & 0xff;
        int headerLen;
        int dataStart;
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (major == 1) {
            headerLen = buf.getShort(8) & 0xffff;
            dataStart = 10 + headerLen;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) {
                throw new ModelFormatException(source + ": truncated .npy header");
            }
            long len = buf.getInt(8) & 0xffff_ffffL;
            if (len > bytes.length) {
                throw new ModelFormatException(source + ": truncated .npy header (declares " + len + " bytes)");
            }
            headerLen = (int) len;
            dataStart = 12 + headerLen;
        } else {
            throw new ModelFormatException(source + ": .npy format version " + major + "." + (bytes[7] & 0xff)
                    + " is not supported; expected 1.0, 2.0 or 3.0");
        }
        if (dataStart > bytes.length) {
            throw new ModelFormatException(source + ": truncated .npy header (declares " + headerLen + " bytes, "
                    + (bytes.length - (dataStart - headerLen)) + " follow)");
        }
        // 3.0 allows UTF-8 in the header; 1.0 and 2.0 are Latin-1, of which the keys here are ASCII
        String header = new String(bytes, dataStart - headerLen, headerLen,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, "descr", source);
        String fortran = group(FORTRAN, header, "fortran_order", source);
        int[] shape = shape(group(SHAPE, header, "shape", source), source);
        int itemSize = switch (descr) {
            case "<f4" -> 4;
            case "<f8" -> 8;
            default -> throw new ModelFormatException(source + ": dtype '" + descr + "' is not supported; expected "
                    + "little-endian float32 '<f4' or float64 '<f8' (numpy: a.astype('<f4'))");
        };
        if (fortran.equals("True")) {
            throw new ModelFormatException(source + ": fortran_order is True; expected C order "
                    + "(numpy: np.save(f, np.ascontiguousarray(a)))");
        }
        long count = 1;
        for (int d : shape) {
            count *= d;
            if (count > MAX_VALUES) {
                throw new ModelFormatException(source + ": shape " + java.util.Arrays.toString(shape)
                        + " holds more than " + MAX_VALUES + " values");
            }
        }
        long expected = count * itemSize;
        long actual = bytes.length - (long) dataStart;
        if (actual != expected) {
            throw new ModelFormatException(source + ": " + (actual < expected ? "truncated" : "trailing bytes")
                    + ": shape " + java.util.Arrays.toString(shape) + " of " + descr + " needs " + expected
                    + " data bytes, the file has " + actual);
        }
        float[] values = new float[(int) count];
        buf.position(dataStart);
        if (itemSize == 4) {
            buf.asFloatBuffer().get(values);
        } else {
            var doubles = buf.asDoubleBuffer();
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) doubles.get(i);
            }
        }
        return new Array(shape, values);
    }

    private static boolean startsWithMagic(byte[] bytes) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    private static String group(Pattern p, String header, String key, String source) throws ModelFormatException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new ModelFormatException(source + ": the .npy header has no readable '" + key + "': "
                    + header.strip());
        }
        return m.group(1);
    }

    /** {@code "3, 4"}, {@code "3,"} or {@code ""} (a scalar) to dimensions. */
    private static int[] shape(String tuple, String source) throws ModelFormatException {
        String t = tuple.strip();
        if (t.isEmpty()) {
            return new int[0];
        }
        String[] parts = t.split(",", -1);
        int n = parts[parts.length - 1].isBlank() ? parts.length - 1 : parts.length;
        int[] shape = new int[n];
        for (int i = 0; i < n; i++) {
            try {
                shape[i] = Integer.parseInt(parts[i].strip().replaceAll("L$", ""));
            } catch (NumberFormatException e) {
                shape[i] = -1;
            }
            if (shape[i] < 0) {
                throw new ModelFormatException(source + ": the .npy shape (" + tuple + ") is not a tuple of "
                        + "non-negative integers");
            }
        }
        return shape;
    }
}
