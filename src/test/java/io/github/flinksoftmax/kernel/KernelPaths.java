package io.github.flinksoftmax.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Every kernel path the tests compare: the scalar kernel and the vector kernel at 128, 256 and 512
 * bits. The vector width is a static constant read when the class initialises, so each width gets
 * its own copy of the kernel classes in a child-first class loader (the interface stays shared).
 */
final class KernelPaths {

    static final int[] VECTOR_BITS = {128, 256, 512};
    private static final Set<String> REDEFINED = Set.of(
            "io.github.flinksoftmax.kernel.VectorSoftmaxKernel",
            "io.github.flinksoftmax.kernel.ScalarSoftmaxKernel",
            "io.github.flinksoftmax.kernel.SoftmaxMath");
    private static List<SoftmaxKernel> all;

    private KernelPaths() {}

    /** Scalar first, then the vector kernel at each width. */
    static synchronized List<SoftmaxKernel> all() {
        if (all == null) {
            List<SoftmaxKernel> kernels = new ArrayList<>();
            kernels.add(new ScalarSoftmaxKernel());
            for (int bits : VECTOR_BITS) {
                kernels.add(vector(bits));
            }
            all = List.copyOf(kernels);
        }
        return all;
    }

    static SoftmaxKernel vector(int bits) {
        String old = System.getProperty("softmax.vector.bits");
        System.setProperty("softmax.vector.bits", Integer.toString(bits));
        try {
            Class<?> c = Class.forName("io.github.flinksoftmax.kernel.VectorSoftmaxKernel", true,
                    new ChildFirst(KernelPaths.class.getClassLoader()));
            var ctor = c.getDeclaredConstructor();
            ctor.setAccessible(true);
            SoftmaxKernel k = (SoftmaxKernel) ctor.newInstance();
            if (k.vectorBits() != bits) {
                throw new IllegalStateException("asked for " + bits + " bits, got " + k.name());
            }
            return k;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        } finally {
            if (old == null) {
                System.clearProperty("softmax.vector.bits");
            } else {
                System.setProperty("softmax.vector.bits", old);
            }
        }
    }

    private static final class ChildFirst extends ClassLoader {
        ChildFirst(ClassLoader parent) {
            super(parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            int nested = name.indexOf('$'); // nested classes go with their outer class
            if (!REDEFINED.contains(nested < 0 ? name : name.substring(0, nested))) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                        byte[] bytes = in.readAllBytes();
                        c = defineClass(name, bytes, 0, bytes.length);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return c;
            }
        }
    }
}
