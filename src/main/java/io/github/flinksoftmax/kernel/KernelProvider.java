package io.github.flinksoftmax.kernel;

import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the softmax kernel the way Lucene's {@code VectorizationProvider} chooses its vector
 * support: the vector kernel when the {@code jdk.incubator.vector} module is in the boot layer,
 * else the scalar one. The vector class is loaded by name only after that check, so a JVM without
 * the module never tries to link it. The {@code auto} choice is made once per JVM, in the class
 * that first asks (in the job, a TaskManager's {@code open()}), kept in a static holder and logged
 * in one line.
 */
final class KernelProvider {

    static final String PROPERTY = "softmax.kernel";
    static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final String VECTOR_CLASS = "io.github.flinksoftmax.kernel.VectorSoftmaxKernel";
    private static final String VECTOR_AFFINE_CLASS = "io.github.flinksoftmax.kernel.VectorAffineKernel";
    private static final Logger LOG = LoggerFactory.getLogger(KernelProvider.class);

    private KernelProvider() {}

    /** The kernel for {@code auto}, {@code vector} or {@code scalar} (case-insensitive, trimmed). */
    static SoftmaxKernel create(String choice) {
        String c = choice == null ? "" : choice.trim().toLowerCase(Locale.ROOT);
        switch (c) {
            case "auto":
                return Holder.AUTO;
            case "scalar":
                return new ScalarSoftmaxKernel();
            case "vector":
                return vector().orElseThrow(() -> new IllegalArgumentException(PROPERTY
                        + "=vector, but the vector kernel is unavailable: start the JVM with --add-modules "
                        + VECTOR_MODULE + " (and a CPU with 128-bit or wider vectors)"));
            default:
                throw new IllegalArgumentException(PROPERTY + " must be one of auto, vector, scalar; got '"
                        + choice + "'");
        }
    }

    /**
     * The {@code W x + b} kernel for the same choices as {@link #create(String)}: the vector one
     * exactly when the softmax kernel would be vector, so a job's two kernels share one width.
     */
    static AffineKernel createAffine(String choice) {
        String c = choice == null ? "" : choice.trim().toLowerCase(Locale.ROOT);
        switch (c) {
            case "auto":
                return AffineHolder.AUTO;
            case "scalar":
                return new ScalarAffineKernel();
            case "vector":
                create(choice); // the same verdict and message as the softmax kernel's when it is unavailable
                return (vectorModulePresent() ? load(VECTOR_AFFINE_CLASS, AffineKernel.class) : Optional.<AffineKernel>empty())
                        .orElseThrow(() -> new IllegalArgumentException(PROPERTY + "=vector, but the vector "
                                + "affine kernel is unavailable on this CPU"));
            default:
                throw new IllegalArgumentException(PROPERTY + " must be one of auto, vector, scalar; got '"
                        + choice + "'");
        }
    }

    /** Whether the incubator module was resolved at JVM start, i.e. {@code --add-modules} was given. */
    static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    /**
     * The vector kernel, or empty when this JVM cannot run one: the module is absent, or the CPU's
     * vectors are narrower than the kernel needs ({@link UnsupportedOperationException}). Anything
     * else that goes wrong while loading it is a packaging or JVM fault, which a quiet fallback
     * would turn into a job several times slower with one log line to show for it: that stops the
     * job instead, naming the cause and the way to run without the vector kernel.
     */
    private static Optional<SoftmaxKernel> vector() {
        return vectorModulePresent() ? load(VECTOR_CLASS) : Optional.empty();
    }

    /** {@link #vector()}'s loading step, for any kernel class: tests check its verdicts. */
    static Optional<SoftmaxKernel> load(String kernelClass) {
        return load(kernelClass, SoftmaxKernel.class);
    }

    /** {@link #load(String)} for a kernel of any interface. */
    static <T> Optional<T> load(String kernelClass, Class<T> type) {
        try {
            return Optional.of(Class.forName(kernelClass)
                    .asSubclass(type)
                    .getDeclaredConstructor()
                    .newInstance());
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException
                    || e instanceof ExceptionInInitializerError ? e.getCause() : e;
            if (cause instanceof UnsupportedOperationException) {
                LOG.warn("Vector softmax kernel unsupported on this CPU ({}); using the scalar kernel", cause.getMessage());
                return Optional.empty();
            }
            throw new IllegalStateException("The vector softmax kernel failed to load although " + VECTOR_MODULE
                    + " is present (" + cause + "). This is a packaging or JVM fault, not a missing flag; set "
                    + PROPERTY + "=scalar to run on the scalar kernel meanwhile.", e);
        }
    }

    /** The {@code auto} decision, made on first use and logged once. */
    private static final class Holder {
        static final SoftmaxKernel AUTO = decide();

        private static SoftmaxKernel decide() {
            Optional<SoftmaxKernel> v = vector();
            if (v.isPresent()) {
                LOG.info("Softmax kernel: {} ({} bits per vector)", v.get().name(), v.get().vectorBits());
                return v.get();
            }
            if (!vectorModulePresent()) {
                LOG.warn("Softmax kernel: scalar; add the JVM flag --add-modules {} for the vector kernel",
                        VECTOR_MODULE);
            } else {
                LOG.info("Softmax kernel: scalar");
            }
            return new ScalarSoftmaxKernel();
        }
    }

    /** The {@code auto} decision for the affine kernel, made on first use and logged once. */
    private static final class AffineHolder {
        static final AffineKernel AUTO = decide();

        private static AffineKernel decide() {
            Optional<AffineKernel> v = vectorModulePresent()
                    ? load(VECTOR_AFFINE_CLASS, AffineKernel.class) : Optional.empty();
            AffineKernel k = v.isPresent() ? v.get() : new ScalarAffineKernel();
            LOG.info("Affine (W x + b) kernel: {}", k.name());
            return k;
        }
    }
}
