package io.github.flinksoftmax.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The provider falls back to the scalar kernel only when the CPU cannot run the vector kernel; a
 * vector kernel that fails to load for any other reason (a class missing from the jar, a broken
 * static initializer) stops the caller with a message, never a quietly slower job.
 */
class KernelProviderTest {

    @Test
    void theRealVectorKernelLoads() {
        assertThat(KernelProvider.load(VectorSoftmaxKernel.class.getName())).get()
                .extracting(SoftmaxKernel::name).asString().startsWith("vector-");
    }

    @Test
    void aCpuWithoutWideEnoughVectorsFallsBack() {
        assertThat(KernelProvider.load(UnsupportedKernel.class.getName())).isEmpty();
    }

    @Test
    void aMissingKernelClassIsAFault() {
        assertThatThrownBy(() -> KernelProvider.load("io.github.flinksoftmax.kernel.NotInTheJar"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("packaging or JVM fault")
                .hasMessageContaining("softmax.kernel=scalar")
                .hasMessageContaining("NotInTheJar");
    }

    @Test
    void aKernelThatFailsInItsInitializerIsAFault() {
        assertThatThrownBy(() -> KernelProvider.load(BrokenKernel.class.getName()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("packaging or JVM fault")
                .hasMessageContaining("static state");
    }

    /** What {@link VectorSoftmaxKernel} throws on a CPU with vectors narrower than 128 bits. */
    static final class UnsupportedKernel extends NoKernel {
        UnsupportedKernel() {
            throw new UnsupportedOperationException("vector width 64 bits is not supported");
        }
    }

    static final class BrokenKernel extends NoKernel {
        static final int STATE = Integer.parseInt("static state");
    }

    /** Never computes: only its construction is under test. */
    abstract static class NoKernel implements SoftmaxKernel {
        @Override
        public void softmax(float[] src, int srcOff, float[] dst, int dstOff, int len, float beta) {
            throw new AssertionError();
        }

        @Override
        public void logSoftmax(float[] src, int srcOff, float[] dst, int dstOff, int len, float beta) {
            throw new AssertionError();
        }

        @Override
        public void sigmoid(float[] src, int srcOff, float[] dst, int dstOff, int len, float beta) {
            throw new AssertionError();
        }

        @Override
        public String name() {
            return "none";
        }
    }
}
