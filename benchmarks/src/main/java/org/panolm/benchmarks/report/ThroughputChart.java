package org.panolm.benchmarks.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

import javax.imageio.ImageIO;

/**
 * A grouped horizontal bar chart of throughput (operations per second, log scale) per operation, one bar
 * per implementation, drawn with Java2D into a PNG. Headless; needs no plotting library.
 */
final class ThroughputChart {
    private record Series(String name, Color color) {}

    private static final Series[] SERIES = {
            new Series("panolm", new Color(0x1f, 0x77, 0xb4)),
            new Series("libolm (FFM)", new Color(0xff, 0x7f, 0x0e)),
            new Series("pure JDK", new Color(0x8c, 0x8c, 0x8c)),
            new Series("vodozemac (wasm)", new Color(0x2c, 0xa0, 0x2c)),
            new Series("floor (primitives alone)", new Color(0xc5, 0xb0, 0xd5)),
    };
    /** The index of vodozemac's series in {@link #SERIES}. */
    private static final int VODOZEMAC = 3;
    private static final int WIDTH = 1400;
    private static final int LABEL_WIDTH = 520;
    private static final int BAR = 13;
    private static final int GAP = 14;
    private static final int TOP = 88;

    private final List<Figures.Line> lines;
    private final String subtitle;

    ThroughputChart(List<Figures.Line> lines, String subtitle) {
        this.lines = lines.stream().filter(l -> l.row().chart() && l.measured()).toList();
        this.subtitle = subtitle;
    }

    void write(Path png) throws IOException {
        List<double[]> values = new ArrayList<>();
        double min = Double.MAX_VALUE;
        double max = 0;
        int height = TOP + 50;
        for (Figures.Line l : lines) {
            double[] v = {perSecond(l.panolm()), perSecond(l.libolm()), perSecond(l.jdk()), perSecond(l.vodozemac()),
                    perSecond(l.floor())};
            values.add(v);
            int bars = 0;
            for (double x : v) {
                if (x > 0) {
                    min = Math.min(min, x);
                    max = Math.max(max, x);
                    bars++;
                }
            }
            height += Math.max(1, bars) * BAR + GAP;
        }
        if (max == 0) {
            min = 1;
            max = 10;
        }
        double lo = Math.floor(Math.log10(min));
        double hi = Math.ceil(Math.log10(max));
        if (hi <= lo) hi = lo + 1;

        BufferedImage img = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, height);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
            g.drawString("panolm throughput per operation (operations per second, log scale; longer is faster)", 20, 28);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString(subtitle, 20, 48);
            legend(g);

            int plotLeft = LABEL_WIDTH;
            int plotRight = WIDTH - 30;
            int plotBottom = height - 40;
            // Decade grid lines with their labels.
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            for (double d = lo; d <= hi; d++) {
                int x = x(Math.pow(10, d), lo, hi, plotLeft, plotRight);
                g.setColor(new Color(0xe0, 0xe0, 0xe0));
                g.drawLine(x, TOP, x, plotBottom);
                g.setColor(Color.DARK_GRAY);
                String label = decade(d);
                g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, plotBottom + 15);
            }
            int y = TOP + 6;
            FontMetrics fm;
            for (int i = 0; i < lines.size(); i++) {
                Figures.Line l = lines.get(i);
                double[] v = values.get(i);
                int bars = 0;
                for (double x : v) if (x > 0) bars++;
                int groupHeight = Math.max(1, bars) * BAR;
                g.setColor(Color.BLACK);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
                fm = g.getFontMetrics();
                String label = shorten(Catalogue.shortSection(l.row().section()) + ": " + l.row().label(), fm, LABEL_WIDTH - 30);
                g.drawString(label, 20, y + groupHeight / 2 + fm.getAscent() / 2 - 1);
                int by = y;
                for (int s = 0; s < SERIES.length; s++) {
                    if (v[s] <= 0) continue;
                    int x1 = x(v[s], lo, hi, plotLeft, plotRight);
                    g.setColor(SERIES[s].color());
                    g.fillRect(plotLeft, by + 1, Math.max(1, x1 - plotLeft), BAR - 2);
                    g.setColor(Color.DARK_GRAY);
                    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
                    String figure = String.format(Locale.ROOT, v[s] < 10 ? "%.2f/s" : "%,.0f/s", v[s]);
                    if (s == VODOZEMAC && l.row().throughOlmMachine()) {
                        figure += " " + Row.OLM_MACHINE_MARK + " through OlmMachine";
                    }
                    g.drawString(figure, x1 + 4, by + BAR - 3);
                    by += BAR;
                }
                y += groupHeight + GAP;
            }
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(1));
            g.drawLine(plotLeft, TOP, plotLeft, plotBottom);
        } finally {
            g.dispose();
        }
        ImageIO.write(img, "png", png.toFile());
    }

    private static void legend(Graphics2D g) {
        int x = 20;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (Series s : SERIES) {
            g.setColor(s.color());
            g.fillRect(x, 58, 14, 12);
            g.setColor(Color.BLACK);
            g.drawString(s.name(), x + 18, 69);
            x += 24 + g.getFontMetrics().stringWidth(s.name()) + 10;
        }
    }

    private static double perSecond(OptionalDouble nanos) {
        return nanos.isPresent() && nanos.getAsDouble() > 0 ? 1e9 / nanos.getAsDouble() : 0;
    }

    private static int x(double v, double lo, double hi, int left, int right) {
        double f = (Math.log10(v) - lo) / (hi - lo);
        return left + (int) Math.round(f * (right - left - 90));
    }

    private static String decade(double d) {
        double v = Math.pow(10, d);
        if (v >= 1e6) return String.format(Locale.ROOT, "%.0fM", v / 1e6);
        if (v >= 1e3) return String.format(Locale.ROOT, "%.0fk", v / 1e3);
        return String.format(Locale.ROOT, "%s", v >= 1 ? String.format(Locale.ROOT, "%.0f", v) : Double.toString(v));
    }

    private static String shorten(String s, FontMetrics fm, int width) {
        if (fm.stringWidth(s) <= width) return s;
        while (s.length() > 4 && fm.stringWidth(s + "…") > width) s = s.substring(0, s.length() - 1);
        return s + "…";
    }
}
