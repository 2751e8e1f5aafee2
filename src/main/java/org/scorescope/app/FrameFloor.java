package org.scorescope.app;

import javafx.animation.AnimationTimer;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.scorescope.threads.BackgroundPriority;
import org.scorescope.worker.FrameStats;

/**
 * The frame-interval floor of this machine and pipeline: an almost empty window (one label updated ten
 * times a second) of the app's default size, with {@code --busy N} threads spinning on arithmetic as a
 * stand-in for the trainer (at background priority like the app's compute threads, {@link BackgroundPriority};
 * {@code --priority normal} keeps them at normal priority), measured by the same {@link FrameStats} as the app. What it prints is the best
 * any JavaFX window can do there; the app's own numbers (docs/performance.md) are read against it.
 *
 * <p>Usage: {@code FrameFloor [--busy 2] [--seconds 20] [--priority background|normal]}; prints {@link FrameStats#summary()} to stdout.
 */
public final class FrameFloor {
    /** Busy threads, seconds, 1 for background priority. */
    private static final int[] OPTIONS = {2, 20, 1};

    private FrameFloor() {
    }

    /**
     * Runs the measurement.
     *
     * @param args {@code --busy N --seconds S --priority background|normal}
     */
    public static void main(String[] args) {
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--busy" -> OPTIONS[0] = Integer.parseInt(args[i + 1]);
                case "--seconds" -> OPTIONS[1] = Integer.parseInt(args[i + 1]);
                case "--priority" -> OPTIONS[2] = switch (args[i + 1]) {
                    case "background" -> 1;
                    case "normal" -> 0;
                    default -> throw new IllegalArgumentException("FrameFloor: --priority is background or normal");
                };
                default -> throw new IllegalArgumentException("FrameFloor: unknown option " + args[i]
                        + " (expected --busy N, --seconds S, --priority background|normal)");
            }
        }
        // launched through a nested class: a main class that extends Application needs JavaFX on the module path
        PulseTimes.start();
        Application.launch(Window.class, args);
    }

    /** The measured window. */
    public static final class Window extends Application {
        @Override
        public void start(Stage stage) {
            BackgroundPriority.enable(OPTIONS[2] == 1);
            for (int i = 0; i < OPTIONS[0]; i++) {
                BackgroundPriority.daemon("frame-floor-busy-" + i, () -> {
                    double x = 1;
                    while (!Thread.currentThread().isInterrupted()) {
                        x = Math.sin(x) + 1;
                    }
                }).start();
            }
            Label label = new Label();
            stage.setScene(new Scene(new StackPane(label), 1280, 820));
            stage.setTitle("FrameFloor");
            stage.show();
            FrameStats stats = new FrameStats();
            PulseTimes.connect(stats);
            long[] start = {0};
            new AnimationTimer() {
                private int frames;

                @Override
                public void handle(long now) {
                    if (start[0] == 0) {
                        start[0] = now;
                    }
                    stats.record(now, 0);
                    if (++frames % 6 == 0) {
                        label.setText("frame " + frames);
                    }
                    if (now - start[0] > OPTIONS[1] * 1_000_000_000L) {
                        stop();
                        System.out.println("busy threads " + OPTIONS[0] + (OPTIONS[2] == 1 ? " (background)" : " (normal)")
                                + ": " + stats.summary());
                        PulseTimes.stopRunning();
                        Platform.exit();
                    }
                }
            }.start();
        }
    }
}
