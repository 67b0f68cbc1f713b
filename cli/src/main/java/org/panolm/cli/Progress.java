package org.panolm.cli;

import java.util.function.LongSupplier;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on standard error, drawn only when standard error is a terminal (never into a log or a
 * pipe). Standard output carries results only.
 */
public final class Progress implements AutoCloseable {
    private final ProgressBar bar;
    private final LongSupplier position;

    private Progress(ProgressBar bar, LongSupplier position) {
        this.bar = bar;
        this.position = position;
    }

    /**
     * @param total    the total in {@code unit}s, or -1 when unknown
     * @param position where the work is now, in the same units
     */
    public static Progress start(String task, String unit, long unitSize, long total, LongSupplier position) {
        if (!Terminal.stderrIsTerminal()) {
            return new Progress(null, position);
        }
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setUnit(" " + unit, unitSize)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .setMaxRenderedLength(100)
                .setConsumer(new ConsoleProgressBarConsumer(System.err, 100))
                .showSpeed()
                .build();
        return new Progress(bar, position);
    }

    /** Moves the bar to the current position. */
    public void update() {
        if (bar != null) {
            bar.stepTo(position.getAsLong());
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            update();
            bar.close();
        }
    }
}
