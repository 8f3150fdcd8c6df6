package io.github.flinksoftmax.sql;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.conversion.DataStructureConverter;
import org.apache.flink.table.data.conversion.DataStructureConverters;
import org.apache.flink.table.functions.ScalarFunction;
import org.apache.flink.table.types.DataType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-row cost of {@code SOFTMAX(logits)} against the scalar UDF users write today (boxed
 * {@code Float[]} in and out, a {@code Math.exp} loop with a double sum). One operation is one row
 * as a Flink Calc operator runs it: the internal array (a {@link GenericArrayData} of boxed floats,
 * what the JSON format hands a chained operator) converted to the function's argument by Flink's
 * own {@link DataStructureConverters}, {@code eval}, and the result converted back. The
 * {@code *Eval} twins leave the conversions out, to show how much of a row is Flink's boxing rather
 * than the arithmetic.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx1g"})
public class SqlSoftmaxBenchmark {

    @Param({"10", "100", "1000"})
    int k;

    private SoftmaxSqlFunction softmax;
    private PlainSoftmax plain;
    private ArrayData row;
    private Float[] boxed;
    private DataStructureConverter<Object, Object> in;
    private DataStructureConverter<Object, Object> softmaxOut;
    private DataStructureConverter<Object, Object> plainOut;

    @Setup
    public void setup() throws Exception {
        softmax = new SoftmaxSqlFunction(OnInvalid.NULL);
        softmax.open(null); // the policy is given, so no job parameter is read
        plain = new PlainSoftmax();
        SplittableRandom r = new SplittableRandom(42);
        boxed = new Float[k];
        for (int i = 0; i < k; i++) {
            boxed[i] = (float) (3 * r.nextGaussian());
        }
        row = new GenericArrayData(boxed);
        in = converter(DataTypes.ARRAY(DataTypes.FLOAT()).bridgedTo(Float[].class));
        softmaxOut = converter(VectorFunction.primitiveArrayOf(DataTypes.FLOAT()));
        plainOut = converter(DataTypes.ARRAY(DataTypes.FLOAT()).bridgedTo(Float[].class));
        System.out.printf("%n[setup] k=%d jdk=%s cpus=%d%n", k, Runtime.version(),
                Runtime.getRuntime().availableProcessors());
    }

    private static DataStructureConverter<Object, Object> converter(DataType type) {
        DataStructureConverter<Object, Object> c = DataStructureConverters.getConverter(type);
        c.open(SqlSoftmaxBenchmark.class.getClassLoader());
        return c;
    }

    /*
     * Not inlined into JMH's OSR-compiled measurement loop, for the reason SoftmaxBenchmark gives:
     * a Calc operator calls the function from a normally compiled method.
     */
    @Benchmark
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public Object softmax() {
        return softmaxOut.toInternalOrNull(softmax.eval((Float[]) in.toExternalOrNull(row)));
    }

    @Benchmark
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public Object plainUdf() {
        return plainOut.toInternalOrNull(plain.eval((Float[]) in.toExternalOrNull(row)));
    }

    @Benchmark
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public Object softmaxEval() {
        return softmax.eval(boxed);
    }

    @Benchmark
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public Object plainUdfEval() {
        return plain.eval(boxed);
    }

    /** The UDF as users write it today: boxed in, boxed out, Math.exp per entry. */
    public static class PlainSoftmax extends ScalarFunction {

        private static final long serialVersionUID = 1L;

        public Float[] eval(Float[] logits) {
            if (logits == null) {
                return null;
            }
            float max = Float.NEGATIVE_INFINITY;
            for (Float z : logits) {
                max = Math.max(max, z);
            }
            Float[] out = new Float[logits.length];
            double sum = 0;
            for (int i = 0; i < logits.length; i++) {
                double e = Math.exp(logits[i] - max);
                out[i] = (float) e;
                sum += e;
            }
            for (int i = 0; i < logits.length; i++) {
                out[i] = (float) (out[i] / sum);
            }
            return out;
        }
    }
}
