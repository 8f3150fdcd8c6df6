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
            "io.github.flinksoftmax.kernel.SoftmaxMath",
            "io.github.flinksoftmax.kernel.VectorAffineKernel",
            "io.github.flinksoftmax.kernel.ScalarAffineKernel",
            "io.github.flinksoftmax.kernel.AffineMath");
    private static List<SoftmaxKernel> all;
    private static List<AffineKernel> affine;

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

    /** The {@code W x + b} kernels: scalar first, then the vector one at each width. */
    static synchronized List<AffineKernel> affine() {
        if (affine == null) {
            List<AffineKernel> kernels = new ArrayList<>();
            kernels.add(new ScalarAffineKernel());
            for (int bits : VECTOR_BITS) {
                AffineKernel k = (AffineKernel) load("io.github.flinksoftmax.kernel.VectorAffineKernel", bits);
                if (k.vectorBits() != bits) {
                    throw new IllegalStateException("asked for " + bits + " bits, got " + k.name());
                }
                kernels.add(k);
            }
            affine = List.copyOf(kernels);
        }
        return affine;
    }

    static SoftmaxKernel vector(int bits) {
        SoftmaxKernel k = (SoftmaxKernel) load("io.github.flinksoftmax.kernel.VectorSoftmaxKernel", bits);
        if (k.vectorBits() != bits) {
            throw new IllegalStateException("asked for " + bits + " bits, got " + k.name());
        }
        return k;
    }

    /** A new instance of {@code kernelClass} in a class loader of its own, at {@code bits} bits. */
    private static Object load(String kernelClass, int bits) {
        String old = System.getProperty("softmax.vector.bits");
        System.setProperty("softmax.vector.bits", Integer.toString(bits));
        try {
            Class<?> c = Class.forName(kernelClass, true, new ChildFirst(KernelPaths.class.getClassLoader()));
            var ctor = c.getDeclaredConstructor();
            ctor.setAccessible(true);
            return ctor.newInstance();
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
