package io.github.flinksoftmax.job;

import io.github.flinksoftmax.model.JsonModelReader;
import io.github.flinksoftmax.model.Model;
import io.github.flinksoftmax.model.ModelFormatException;

import java.nio.charset.StandardCharsets;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator of a job whose model comes from {@code model.topic}: records are scored as
 * {@link SoftmaxFunction} scores them, with the model the broadcast state holds when the record
 * arrives, so a new model is used without a restart and each record is scored by exactly one
 * version. The state keeps the model's JSON bytes and version (checkpointed with the job, restored
 * on every subtask); a malformed model record is logged and counted ({@code softmax.modelErrors})
 * and the previous model stays. Before any model (no {@code model.file} and nothing on the topic
 * yet) records are dead-lettered as {@code no-model}: holding them would need bounded state and a
 * policy for the bound, while a dead letter keeps the record and says why.
 */
final class ModelBroadcastFunction extends BroadcastProcessFunction<KafkaRecord, KafkaRecord, KafkaRecord> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ModelBroadcastFunction.class);

    /** The model in force: its JSON under {@link #JSON}, its version under {@link #VERSION}. */
    static final MapStateDescriptor<String, byte[]> STATE =
            new MapStateDescriptor<>("model", Types.STRING, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
    private static final String JSON = "json";
    private static final String VERSION = "version";

    private final SoftmaxSettings settings;
    private final SoftmaxFunction records;

    private transient ModelScoring current;
    private transient String currentVersion;
    /** The state's JSON that {@link #current} was parsed from: the state hands out the same array until a new model replaces it. */
    private transient byte[] currentJson;
    private transient Counter modelErrors;
    private transient Counter modelUpdates;

    ModelBroadcastFunction(SoftmaxSettings settings) {
        this.settings = settings;
        this.records = new SoftmaxFunction(settings);
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        records.setRuntimeContext(getRuntimeContext());
        records.open(openContext);
        var group = getRuntimeContext().getMetricGroup().addGroup("softmax");
        modelErrors = group.counter("modelErrors");
        modelUpdates = group.counter("modelUpdates");
    }

    @Override
    public void processElement(KafkaRecord in, ReadOnlyContext ctx, Collector<KafkaRecord> out) throws Exception {
        ModelScoring model = model(ctx.getBroadcastState(STATE));
        records.processRecord(in, model, true, out, letter -> ctx.output(SoftmaxFunction.DEAD_LETTERS, letter));
    }

    @Override
    public void processBroadcastElement(KafkaRecord in, Context ctx, Collector<KafkaRecord> out) throws Exception {
        String source = "model record " + in.topic + "-" + in.partition + "@" + in.offset;
        if (in.value == null) {
            return; // a tombstone deletes a key of the compacted topic; it never removes the model in force
        }
        Model model;
        try {
            model = JsonModelReader.read(in.value, source, in.topic + "-" + in.partition + "@" + in.offset);
            requireFits(model);
        } catch (ModelFormatException | RuntimeException e) {
            modelErrors.inc();
            LOG.warn("Ignoring {}: {}; the model in force stays ({})", source, e.getMessage(), currentVersion);
            return;
        }
        BroadcastState<String, byte[]> state = ctx.getBroadcastState(STATE);
        state.put(JSON, in.value);
        state.put(VERSION, model.version().getBytes(StandardCharsets.UTF_8));
        modelUpdates.inc();
        LOG.info("{} now scores with {} from {}", getRuntimeContext().getTaskInfo().getTaskNameWithSubtasks(), model,
                source);
    }

    /** The options that count classes (labels, per-class thresholds) must fit a model from the topic too. */
    private void requireFits(Model model) throws ModelFormatException {
        int k = model.weights().classes();
        int labels = settings.extras().labels().size();
        if (labels > 0 && labels != k) {
            throw new ModelFormatException("the model has " + k + " classes; the job has " + labels + " labels");
        }
        if (!settings.extras().thresholds().fits(k)) {
            throw new ModelFormatException("the model has " + k + " classes; sigmoid.thresholds has another count");
        }
        if (k == 1 && settings.activation().needsUnmaskedEntry()) {
            throw new ModelFormatException("a one-class model needs softmax.activation sigmoid or none");
        }
    }

    /**
     * The model the state holds, parsed once per model record: the state is read per record, and
     * its JSON parsed again only when a new record replaced it (or after a restore, on the first
     * record). Compared by identity, not by version: a corrected model republished under the same
     * version still takes effect, and nothing is allocated per record.
     */
    private ModelScoring model(ReadOnlyBroadcastState<String, byte[]> state) throws Exception {
        byte[] json = state.get(JSON);
        if (json == null) {
            return settings.model() == null ? null : fileModel();
        }
        if (json != currentJson) {
            String version = new String(state.get(VERSION), StandardCharsets.UTF_8);
            Model model = JsonModelReader.read(json, "the model in the broadcast state", version);
            current = new ModelScoring(model, settings.kernel().toString());
            currentVersion = version;
            currentJson = json;
        }
        return current;
    }

    private ModelScoring fileModel() {
        if (current == null) {
            current = new ModelScoring(settings.model(), settings.kernel().toString());
            currentVersion = settings.model().version();
        }
        return current;
    }

    @Override
    public void close() throws Exception {
        records.close();
    }
}
