package io.github.flinksoftmax.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Writes {@code .npy} bytes as {@code numpy.save} does, with knobs to break them for the tests. */
final class NpyFiles {

    private NpyFiles() {}

    static byte[] f4(int[] shape, float... values) {
        return npy(1, "<f4", false, shape, values);
    }

    /** numpy's layout: magic, version, header length, the dict padded with spaces to 64 bytes and a newline. */
    static byte[] npy(int major, String descr, boolean fortran, int[] shape, float... values) {
        String dims = shape.length == 1 ? shape[0] + "," : Arrays.stream(shape).mapToObj(Integer::toString)
                .collect(Collectors.joining(", "));
        StringBuilder header = new StringBuilder("{'descr': '" + descr + "', 'fortran_order': "
                + (fortran ? "True" : "False") + ", 'shape': (" + dims + "), }");
        int prefix = major == 1 ? 10 : 12;
        while ((prefix + header.length() + 1) % 64 != 0) {
            header.append(' ');
        }
        header.append('\n');
        byte[] h = header.toString().getBytes(StandardCharsets.ISO_8859_1);
        int item = descr.endsWith("8") ? 8 : 4;
        ByteBuffer buf = ByteBuffer.allocate(prefix + h.length + values.length * item)
                .order(descr.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        buf.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        ByteBuffer le = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (major == 1) {
            le.putShort(8, (short) h.length);
        } else {
            le.putInt(8, h.length);
        }
        buf.position(prefix);
        buf.put(h);
        for (float v : values) {
            if (item == 8) {
                buf.putDouble(v);
            } else {
                buf.putFloat(v);
            }
        }
        return buf.array();
    }
}
