package org.scorescope.app;

import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

/**
 * The central drawing surface: a Canvas that takes whatever size its parent gives it and maps the
 * world box [xmin, xmax] × [ymin, ymax] onto itself with equal scale on both axes.
 */
public class FieldCanvas extends Canvas {
    private static final Color GRID = Color.rgb(0, 0, 0, 0.07);
    private static final Color AXIS = Color.rgb(0, 0, 0, 0.35);
    private static final Color TICK_TEXT = Color.rgb(60, 60, 60);

    private double xmin = -4;
    private double xmax = 4;
    private double ymin = -4;
    private double ymax = 4;

    public FieldCanvas() {
        super(1, 1);
        widthProperty().addListener(o -> redraw());
        heightProperty().addListener(o -> redraw());
    }

    @Override
    public boolean isResizable() {
        return true;
    }

    @Override
    public double minWidth(double height) {
        return 1;
    }

    @Override
    public double minHeight(double width) {
        return 1;
    }

    @Override
    public double prefWidth(double height) {
        return 400;
    }

    @Override
    public double prefHeight(double width) {
        return 400;
    }

    @Override
    public double maxWidth(double height) {
        return Double.MAX_VALUE;
    }

    @Override
    public double maxHeight(double width) {
        return Double.MAX_VALUE;
    }

    @Override
    public void resize(double width, double height) {
        setWidth(width);
        setHeight(height);
    }

    /** Room left around the box for tick labels, in pixels. */
    private static final double MARGIN = 22;

    /** Pixels per world unit: the largest scale at which the whole box, plus margins, fits. */
    double scale() {
        return Math.max(1e-9, Math.min((getWidth() - 2 * MARGIN) / (xmax - xmin),
                (getHeight() - 2 * MARGIN) / (ymax - ymin)));
    }

    /** Screen x of world x (the box is centred). */
    double toScreenX(double x) {
        return getWidth() / 2 + (x - (xmin + xmax) / 2) * scale();
    }

    /** Screen y of world y (y grows upwards in the world, downwards on screen). */
    double toScreenY(double y) {
        return getHeight() / 2 - (y - (ymin + ymax) / 2) * scale();
    }

    /** Redraws the background, grid and axes. */
    void redraw() {
        GraphicsContext g = getGraphicsContext2D();
        double w = getWidth();
        double h = getHeight();
        g.setFill(Color.WHITE);
        g.fillRect(0, 0, w, h);
        if (w < 2 || h < 2) {
            return;
        }
        g.setLineWidth(1);
        g.setFont(Font.font(10));
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.TOP);
        for (int i = (int) Math.ceil(xmin); i <= xmax; i++) {
            double sx = toScreenX(i);
            g.setStroke(i == 0 ? AXIS : GRID);
            g.strokeLine(sx, toScreenY(ymin), sx, toScreenY(ymax));
            g.setFill(TICK_TEXT);
            g.fillText(Integer.toString(i), sx, toScreenY(ymin) + 2);
        }
        g.setTextAlign(TextAlignment.RIGHT);
        g.setTextBaseline(VPos.CENTER);
        for (int j = (int) Math.ceil(ymin); j <= ymax; j++) {
            double sy = toScreenY(j);
            g.setStroke(j == 0 ? AXIS : GRID);
            g.strokeLine(toScreenX(xmin), sy, toScreenX(xmax), sy);
            g.setFill(TICK_TEXT);
            g.fillText(Integer.toString(j), toScreenX(xmin) - 3, sy);
        }
    }
}
