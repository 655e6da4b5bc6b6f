package org.adam.sfu.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The fan-out plots: CPU per forwarded stream and p99 added latency against subscriber count. */
final class FanOutPlots {

    static final String SCENARIO = "fan-out";
    private static final Color[] COLOURS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c)};

    private FanOutPlots() {
    }

    /** Writes the plots next to results.json and returns their paths (none without fan-out runs). */
    static List<Path> write(List<RunResult> runs, Path directory) throws IOException {
        List<RunResult> fanOut = runs.stream().filter(r -> r.scenario().equals(SCENARIO)).toList();
        List<Path> written = new ArrayList<>();
        if (fanOut.isEmpty()) {
            return written;
        }
        written.add(plot(fanOut, directory.resolve("fan-out-cpu-per-stream.png"),
                "Fan-out: SFU CPU per forwarded stream", "CPU ms per second per stream",
                RunResult::cpuMillisPerStream, false));
        // Latency spans milliseconds to seconds once the machine saturates: a log scale keeps both readable.
        written.add(plot(fanOut, directory.resolve("fan-out-p99-latency.png"),
                "Fan-out: p99 added one-way latency", "p99 added latency (ms, log scale)", RunResult::latencyP99Ms,
                true));
        return written;
    }

    private static Path plot(List<RunResult> runs, Path file, String title, String yLabel,
                             ToDoubleFunction<RunResult> y, boolean logScale) throws IOException {
        TreeMap<String, XYSeries> bySfu = new TreeMap<>();
        for (RunResult run : runs) {
            bySfu.computeIfAbsent(run.sfu(), XYSeries::new).add(run.subscribers(), y.applyAsDouble(run));
        }
        XYSeriesCollection data = new XYSeriesCollection();
        bySfu.values().forEach(data::addSeries);
        JFreeChart chart = ChartFactory.createXYLineChart(title, "subscribers", yLabel, data,
                PlotOrientation.VERTICAL, true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesPaint(i, COLOURS[i % COLOURS.length]);
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        plot.setRenderer(renderer);
        if (logScale) {
            LogarithmicAxis axis = new LogarithmicAxis(yLabel);
            axis.setStrictValuesFlag(false); // a run without latency samples (-1) must not stop the plot
            plot.setRangeAxis(axis);
        }
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 800, 450);
        return file;
    }
}
