package io.github.flinksoftmax.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Everything this JVM logs at INFO and above while it is open, as text (message and stack
 * trace), with every logger that the test configuration keeps quieter raised to INFO: Flink's
 * and the Kafka clients' INFO lines (the clients print their whole configuration there) are
 * exactly where a secret would leak. {@link #close()} restores the levels.
 */
public final class LogCapture implements AutoCloseable {

    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private final Map<LoggerConfig, Level> levels = new HashMap<>();
    private final StringBuffer text = new StringBuffer();
    private final AbstractAppender appender;

    public LogCapture() {
        appender = new AbstractAppender("capture", null,
                PatternLayout.newBuilder().withPattern("%c - %m%n%throwable").build(), true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                text.append(getLayout().toSerializable(event));
            }
        };
        appender.start();
        Configuration config = context.getConfiguration();
        List<LoggerConfig> loggers = new ArrayList<>(config.getLoggers().values());
        loggers.add(config.getRootLogger());
        for (LoggerConfig logger : loggers) {
            if (logger.getLevel().isMoreSpecificThan(Level.WARN) && !levels.containsKey(logger)) {
                levels.put(logger, logger.getLevel());
                logger.setLevel(Level.INFO);
            }
        }
        config.getRootLogger().addAppender(appender, Level.INFO, null);
        context.updateLoggers();
    }

    /** What was logged so far. */
    public String text() {
        return text.toString();
    }

    @Override
    public void close() {
        Configuration config = context.getConfiguration();
        config.getRootLogger().removeAppender(appender.getName());
        levels.forEach(LoggerConfig::setLevel);
        context.updateLoggers();
        appender.stop();
    }
}
