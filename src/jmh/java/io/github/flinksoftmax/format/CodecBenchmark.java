package io.github.flinksoftmax.format;

import io.github.flinksoftmax.bench.BenchRecords;
import io.github.flinksoftmax.kernel.Activation;
import io.github.flinksoftmax.kernel.Softmax;
import io.github.flinksoftmax.postprocess.Distribution;
import io.github.flinksoftmax.postprocess.Extras;
import io.github.flinksoftmax.postprocess.RowSummary;

import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
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
 * Decode and encode of one record per operation, for each wire format and K, as the operator
 * calls them ({@link LogitsFormat#decode} on the input value, {@link LogitsFormat#encode} of the
 * softmax of it, no extras). 64 distinct records rotate, as many as the end-to-end benchmark's
 * input holds: with eight, the branch predictor learned the digit choices of the whole rotation
 * and encode timed at 17.5 µs per JSON record against 23 with 64 or 512.
 * Setup prints the input and output sizes: MB/s is bytes per op divided by the time per op.
 * Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is the allocation per record.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx1g"})
public class CodecBenchmark {

    private static final int RECORDS = 64;
    private static final BiConsumer<String, byte[]> NO_HEADERS = (name, value) -> {};

    @Param({"json", "oip-v2", "float32le"})
    String format;

    @Param({"10", "1000", "32768"})
    int k;

    private LogitsFormat codec;
    private byte[][] inputs;
    private Logits[] decoded;
    private Distribution[] outputs;
    private int next;

    @Setup
    public void setup() throws BadRecordException {
        codec = Formats.create(format, FormatSettings.DEFAULTS);
        Softmax softmax = Softmax.create("auto");
        inputs = new byte[RECORDS][];
        decoded = new Logits[RECORDS];
        outputs = new Distribution[RECORDS];
        long inBytes = 0;
        long outBytes = 0;
        for (int i = 0; i < RECORDS; i++) {
            inputs[i] = BenchRecords.value(format, i, k);
            decoded[i] = codec.decode(inputs[i], HeaderLookup.NONE);
            float[] p = new float[k];
            softmax.compute(decoded[i].values(), 0, p, 0, 1, k, 1f, false);
            outputs[i] = new Distribution(p, 1, k, Activation.SOFTMAX, Extras.NONE, new RowSummary[0]);
            inBytes += inputs[i].length;
            outBytes += codec.encode(decoded[i], outputs[i], NO_HEADERS).length;
        }
        System.out.printf("%n[setup] format=%s k=%d input-bytes/record=%d output-bytes/record=%d%n",
                format, k, inBytes / RECORDS, outBytes / RECORDS);
    }

    @Benchmark
    public Logits decode() throws BadRecordException {
        int i = next++ & (RECORDS - 1);
        return codec.decode(inputs[i], HeaderLookup.NONE);
    }

    @Benchmark
    public byte[] encode() {
        int i = next++ & (RECORDS - 1);
        return codec.encode(decoded[i], outputs[i], NO_HEADERS);
    }
}
