package io.github.flinksoftmax.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * Renders the results as two PNG bar charts with JFreeChart (headless): the append rate
 * (records/s, median run) of each implementation per case on a log scale, since a K = 32768 case
 * runs some 30 times slower than K = 1000 (the commit-visible rates are in the table), and latency
 * percentiles per delivery mode and checkpoint interval, also on a log scale.
 */
public final class Charts {

    private Charts() {}

    /** Renders the charts again from a {@code results.csv}: {@code Charts <dir>}. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "docs/bench");
        List<String> lines = java.nio.file.Files.readAllLines(dir.resolve("results.csv"));
        List<Result> results = lines.stream().skip(1).map(line -> Result.parse(lines.get(0), line)).toList();
        write(results, dir);
    }

    static void write(List<Result> results, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        DefaultCategoryDataset throughput = new DefaultCategoryDataset();
        for (String c : Report.cases(results)) {
            for (String job : Report.jobs(results)) {
                Result r = Report.medianRun(results, c, job);
                if (r != null) {
                    throughput.setValue(r.recordsPerSecond(), job, c);
                }
            }
        }
        if (throughput.getColumnCount() > 0) {
            JFreeChart t = ChartFactory.createBarChart("Throughput per case and implementation (median run)",
                    "case (format:K)", "output records/s appended (log scale)", throughput, PlotOrientation.VERTICAL,
                    true, false, false);
            t.getCategoryPlot().setRangeAxis(logAxis("output records/s appended (log scale)", 100));
            ChartUtils.saveChartAsPNG(dir.resolve("throughput.png").toFile(), t, 1000, 550);
        }

        DefaultCategoryDataset latency = new DefaultCategoryDataset();
        for (Result r : results) {
            if (r.scenario().startsWith("latency")) {
                // offered load in the label: two at-least-once runs differ only in it
                String column = String.format(java.util.Locale.ROOT, "%s %s, %,.0f/s",
                        r.caseName(), r.delivery().equals("exactly-once") ? "EO, checkpoint " + r.checkpointMs() + " ms" : "ALO",
                        r.offeredRate());
                latency.setValue(Math.max(r.p50Ms(), 0.5), "p50", column);
                latency.setValue(Math.max(r.p99Ms(), 0.5), "p99", column);
                latency.setValue(Math.max(r.p999Ms(), 0.5), "p99.9", column);
            }
        }
        if (latency.getColumnCount() > 0) {
            JFreeChart l = ChartFactory.createBarChart("End-to-end latency at a fixed offered load",
                    null, "ms (log scale)", latency, PlotOrientation.HORIZONTAL, true, false, false);
            CategoryPlot plot = l.getCategoryPlot();
            plot.setRangeAxis(logAxis("ms (log scale)", 0.5));
            ChartUtils.saveChartAsPNG(dir.resolve("latency.png").toFile(), l, 900, 500);
        }
    }

    private static LogAxis logAxis(String label, double smallest) {
        LogAxis axis = new LogAxis(label);
        axis.setSmallestValue(smallest);
        axis.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1)); // in log space: one tick per decade
        axis.setNumberFormatOverride(new java.text.DecimalFormat("#,##0.#"));
        return axis;
    }
}
