package io.github.flinksoftmax.local;

import java.io.IOException;
import java.io.InputStream;

/**
 * Entry point of the local broker's own JVM: runs Kafka's {@code kafka.Kafka} main, and exits
 * when its standard input reaches end of file. {@link LocalKafka} holds the other end of that
 * pipe; the operating system closes it when the parent dies in any way, SIGKILL included, so
 * the broker never outlives the run that started it. Kafka is loaded by name: its broker
 * classes are on the test classpath only, never a compile-time dependency of the main code.
 */
public final class BrokerMain {

    private BrokerMain() {}

    public static void main(String[] args) throws Exception {
        Thread watchdog = new Thread(() -> {
            waitForEndOfInput(System.in);
            // System.exit runs Kafka's own shutdown hook, so the broker still stops in order
            System.exit(0);
        }, "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        Class.forName("kafka.Kafka").getMethod("main", String[].class).invoke(null, (Object) args);
    }

    private static void waitForEndOfInput(InputStream in) {
        byte[] buffer = new byte[64];
        try {
            while (in.read(buffer) >= 0) {
                // the parent writes nothing; anything that arrives is ignored
            }
        } catch (IOException e) {
            // a broken pipe means the same as end of file: the parent is gone
        }
    }
}
