package io.github.flinksoftmax.testing;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/**
 * The one way tests get a Flink MiniCluster: Flink's own {@link MiniClusterExtension}, one
 * TaskManager with as many slots as the test's jobs need, started once per test class. A test
 * class holds it in a {@code @RegisterExtension static final} field and takes the cluster as an
 * {@code @InjectMiniCluster MiniCluster} parameter.
 */
public final class MiniClusters {

    private MiniClusters() {}

    /** A MiniCluster with one TaskManager of {@code slots} slots. */
    public static MiniClusterExtension withSlots(int slots) {
        return withSlots(slots, new Configuration());
    }

    /** {@link #withSlots(int)} with extra cluster configuration, such as a metrics reporter. */
    public static MiniClusterExtension withSlots(int slots, Configuration configuration) {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setConfiguration(configuration)
                .setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(slots)
                .build());
    }
}
