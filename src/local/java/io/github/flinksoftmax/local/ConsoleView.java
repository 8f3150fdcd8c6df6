package io.github.flinksoftmax.local;

import io.github.flinksoftmax.format.OutputReader;

import java.io.Console;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * What the local run prints while it runs: one status line (records in, out, dead-lettered,
 * records per second, kernel), rewritten in place with {@code \r} on a terminal and printed as
 * plain lines every few seconds otherwise (a log file or a test reading the output would
 * otherwise get thousands of carriage returns), and between status lines, decoded results and
 * dead letters. Only the main loop of {@link LocalRun} calls it.
 */
final class ConsoleView {

    /** One snapshot of the counters. {@code kernel} is {@code null} until Flink reports it. */
    record Status(long in, long out, long deadLettered, String kernel, double seconds) {}

    private static final long PLAIN_INTERVAL_NANOS = 5_000_000_000L;
    private static final double RATE_WINDOW_SECONDS = 5;

    private final PrintStream out;
    private final boolean terminal;
    private final Deque<double[]> history = new ArrayDeque<>(); // {seconds, processed}
    private int statusWidth;
    private long lastPlain = Long.MIN_VALUE;

    ConsoleView(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** Whether standard output is a terminal someone watches (so {@code \r} redraws a line). */
    static boolean stdoutIsTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // from JDK 22 a console exists even when redirected; isTerminal() tells the two apart
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 17 to 21: a console exists only for a terminal
        }
    }

    /** Prints a line of its own, above the status line on a terminal. */
    void line(String text) {
        clearStatus();
        out.println(text);
        out.flush();
    }

    void status(Status s) {
        String text = statusText(s);
        if (terminal) {
            String padded = text.length() < statusWidth ? text + " ".repeat(statusWidth - text.length()) : text;
            statusWidth = text.length();
            out.print('\r' + padded);
            out.flush();
        } else if (System.nanoTime() - lastPlain >= PLAIN_INTERVAL_NANOS || lastPlain == Long.MIN_VALUE) {
            lastPlain = System.nanoTime();
            out.println(text);
            out.flush();
        }
    }

    /** Prints the status as a line of its own, whatever the pacing: the final count. */
    void finalStatus(Status s) {
        line(statusText(s));
    }

    String statusText(Status s) {
        return String.format(Locale.ROOT, "[%s] in %,d | out %,d | dead-lettered %,d | %s rec/s | kernel %s",
                clock(s.seconds()), s.in(), s.out(), s.deadLettered(), rate(s), s.kernel() == null ? "?" : s.kernel());
    }

    /** Output plus dead letters per second over the last few seconds: both are work done. */
    private String rate(Status s) {
        double processed = s.out() + s.deadLettered();
        history.addLast(new double[] {s.seconds(), processed});
        while (history.size() > 2 && history.peekFirst()[0] < s.seconds() - RATE_WINDOW_SECONDS) {
            history.removeFirst();
        }
        double[] first = history.peekFirst();
        double span = s.seconds() - first[0];
        return span < 0.5 ? "-" : String.format(Locale.ROOT, "%.0f", (processed - first[1]) / span);
    }

    private static String clock(double seconds) {
        long s = (long) seconds;
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /** One decoded result: {@code id  label p | label p | ...}. */
    void result(ResultDecoder.Result r) {
        StringBuilder sb = new StringBuilder("  ").append(r.id() == null ? "(no key)" : r.id());
        if (r.rows() > 1) {
            sb.append(" (batch of ").append(r.rows()).append(", row 1)");
        }
        sb.append("  ");
        if (r.problem() != null) {
            sb.append(r.problem());
        }
        for (int i = 0; i < r.top().size(); i++) {
            OutputReader.Ranked c = r.top().get(i);
            sb.append(i == 0 ? "" : " | ")
                    .append(c.label() != null ? c.label() : "#" + c.index())
                    .append(String.format(Locale.ROOT, " %.3f", c.probability()));
        }
        line(sb.toString());
    }

    /** One dead letter: its key and the reason the job gave. */
    void deadLetter(String id, String reason, String message) {
        String detail = message == null ? "" : message.replaceAll("\\s+", " ");
        if (detail.length() > 90) {
            detail = detail.substring(0, 87) + "...";
        }
        line("  dead letter " + (id == null ? "(no key)" : id) + ": " + reason + (detail.isEmpty() ? "" : " (" + detail + ")"));
    }

    private void clearStatus() {
        if (terminal && statusWidth > 0) {
            out.print('\r' + " ".repeat(statusWidth) + '\r');
            statusWidth = 0;
        }
    }
}
