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
 * Renders the results as two PNG bar charts with JFreeChart (headless): throughput of each job
 * relative to the pass-through job of the same format (the ratio the targets are stated in,
 * with the absolute rates in the table), and latency percentiles per delivery mode and
 * checkpoint interval on a log scale.
 */
public final class Charts {

    private Charts() {}

    /** Renders the charts again from a {@code results.csv}: {@code Charts <dir>}. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "docs/bench");
        List<Result> results = java.nio.file.Files.readAllLines(dir.resolve("results.csv")).stream()
                .skip(1).map(Result::parse).toList();
        write(results, dir);
    }

    static void write(List<Result> results, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        DefaultCategoryDataset throughput = new DefaultCategoryDataset();
        for (Result r : results) {
            if (r.scenario().equals("throughput")) {
                String format = r.format() + " K=" + r.k() + String.format(java.util.Locale.ROOT, " (pass-through %,.0f rec/s)",
                        Report.median(results, r.format(), "pass-through"));
                // median per job when repeated: addValue replaces, so compute it once
                throughput.setValue(Report.median(results, r.format(), r.job()) / Report.median(results, r.format(), "pass-through"),
                        r.job(), format);
            }
        }
        JFreeChart t = ChartFactory.createBarChart("Throughput relative to the pass-through job (same format)",
                "input format", "records/s ÷ pass-through records/s", throughput, PlotOrientation.VERTICAL, true, false, false);
        ChartUtils.saveChartAsPNG(dir.resolve("throughput.png").toFile(), t, 900, 500);

        DefaultCategoryDataset latency = new DefaultCategoryDataset();
        for (Result r : results) {
            if (r.scenario().startsWith("latency")) {
                // offered load in the label: two at-least-once runs differ only in it
                String column = String.format(java.util.Locale.ROOT, "%s %s, %,.0f/s",
                        r.format(), r.delivery().equals("exactly-once") ? "EO, checkpoint " + r.checkpointMs() + " ms" : "ALO",
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
            LogAxis axis = new LogAxis("ms (log scale)");
            axis.setSmallestValue(0.5);
            axis.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1)); // in log space: one tick per decade
            axis.setNumberFormatOverride(new java.text.DecimalFormat("#,##0.#"));
            plot.setRangeAxis(axis);
            ChartUtils.saveChartAsPNG(dir.resolve("latency.png").toFile(), l, 900, 500);
        }
    }
}
