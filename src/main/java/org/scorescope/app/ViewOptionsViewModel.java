package org.scorescope.app;

import java.util.List;
import java.util.function.Supplier;
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import org.scorescope.field.Colormap;
import org.scorescope.field.FieldRequest;
import org.scorescope.field.SamplerSettings;
import org.scorescope.field.ViewBox;
import org.scorescope.render.Fmt;
import org.scorescope.worker.FrameData;
import org.scorescope.worker.TrainingWorker;

/**
 * The View panel's view-model: which layers are drawn, grid and contour resolution, colormap,
 * the Langevin samples, a time-conditional model's noise level and error heat map, and the visible part of the
 * plane (zoom, pan, reset to fit the data). A
 * change reaches the worker as a new field request or sampler setting. Owner (FX) thread only.
 */
public final class ViewOptionsViewModel {
    /** How the score field is drawn. */
    public enum FieldStyle {
        /** One arrow per cell, length ∝ |s| (capped), coloured by |s|. */
        ARROWS("arrows"),
        /** Evenly spaced streamlines of s. */
        STREAMLINES("streamlines");

        private final String label;

        FieldStyle(String label) {
            this.label = label;
        }

        /** @return the label shown in the UI */
        @Override
        public String toString() {
            return label;
        }
    }

    private static final int DEFAULT_PARTICLES = 400;
    private static final double ARROW_SPACING_PX = 30;

    private final BooleanProperty showData = new SimpleBooleanProperty(true);
    private final BooleanProperty showField = new SimpleBooleanProperty(true);
    private final ObjectProperty<FieldStyle> fieldStyle = new SimpleObjectProperty<>(FieldStyle.ARROWS);
    private final BooleanProperty showDensity = new SimpleBooleanProperty(true);
    private final BooleanProperty showContours = new SimpleBooleanProperty(true);
    private final BooleanProperty showSamples = new SimpleBooleanProperty(true);
    private final BooleanProperty showTruth = new SimpleBooleanProperty(true);
    private final IntegerProperty gridResolution = new SimpleIntegerProperty(64);
    private final IntegerProperty contourCount = new SimpleIntegerProperty(8);
    private final DoubleProperty densityRange = new SimpleDoubleProperty(10);
    private final ObjectProperty<Colormap> colormap = new SimpleObjectProperty<>(Colormap.VIRIDIS);
    private final DoubleProperty langevinStepLog10 = new SimpleDoubleProperty(-2);
    private final IntegerProperty particles = new SimpleIntegerProperty(DEFAULT_PARTICLES);
    private final DoubleProperty noiseTime = new SimpleDoubleProperty(0);
    private final BooleanProperty scoreErrorHeat = new SimpleBooleanProperty(false);
    private final BooleanProperty drawMode = new SimpleBooleanProperty(false);
    private final ObjectProperty<ViewBox> viewBox = new SimpleObjectProperty<>();
    private final DoubleProperty canvasWidth = new SimpleDoubleProperty(0);
    private final DoubleProperty canvasHeight = new SimpleDoubleProperty(0);

    private final Supplier<FrameData> frame;
    private final Supplier<double[]> datasetBox;
    private TrainingWorker worker;

    /**
     * @param initial the first visible box
     * @param frame the newest frame (its points decide what Reset view fits)
     * @param datasetBox the running dataset's default box, shown when there are no points
     */
    ViewOptionsViewModel(ViewBox initial, Supplier<FrameData> frame, Supplier<double[]> datasetBox) {
        viewBox.set(initial);
        this.frame = frame;
        this.datasetBox = datasetBox;
    }

    /** Sends every later change to the worker. */
    void attach(TrainingWorker w) {
        this.worker = w;
        for (Observable o : List.of(viewBox, canvasWidth, canvasHeight, gridResolution, contourCount, densityRange,
                colormap, fieldStyle, noiseTime, scoreErrorHeat, showDensity, showContours)) {
            o.addListener(x -> sendView());
        }
        for (Observable o : List.of(showSamples, langevinStepLog10, particles)) {
            o.addListener(x -> worker.setSampler(samplerSettings()));
        }
    }

    /**
     * Zooms the view keeping a world point fixed.
     *
     * @param factor &gt; 1 zooms in
     * @param x      world x under the cursor
     * @param y      world y under the cursor
     */
    public void zoom(double factor, double x, double y) {
        viewBox.set(viewBox.get().zoom(factor, x, y));
    }

    /**
     * Moves the view content.
     *
     * @param dx world units right
     * @param dy world units up
     */
    public void pan(double dx, double dy) {
        viewBox.set(viewBox.get().pan(dx, dy));
    }

    /**
     * Fits the view to the data: the bounding box of the points with a 10% margin, and never less than
     * the dataset's default box when the data are generated (so the whole distribution shows).
     */
    public void resetView() {
        FrameData f = frame.get();
        double[] box = datasetBox.get().clone();
        if (f != null && f.pointCount() > 0) {
            double[] fit = ViewBox.bounds(f.points(), box);
            box = f.customData() ? fit : new double[] {Math.min(box[0], fit[0]), Math.max(box[1], fit[1]),
                Math.min(box[2], fit[2]), Math.max(box[3], fit[3])};
        }
        viewBox.set(ViewBox.of(box));
    }

    SamplerSettings samplerSettings() {
        return new SamplerSettings(showSamples.get(), Math.pow(10, langevinStepLog10.get()), particles.get(), 2);
    }

    private void sendView() {
        double w = canvasWidth.get();
        double h = canvasHeight.get();
        if (worker == null || w < 2 || h < 2 || viewBox.get() == null) {
            return;
        }
        double[] r = viewBox.get().visible(w, h);
        worker.setView(new FieldRequest(new FieldRequest.Area(r[0], r[1], r[2], r[3]),
                new FieldRequest.Canvas((int) Math.ceil(w), (int) Math.ceil(h)),
                new FieldRequest.Options(gridResolution.get(), contourCount.get(), densityRange.get(),
                        fieldStyle.get() == FieldStyle.STREAMLINES, ARROW_SPACING_PX, colormap.get(),
                        showContours.get() || showDensity.get() && !scoreErrorHeat.get()),
                new FieldRequest.NoiseLevel(noiseTime.get(), scoreErrorHeat.get())));
    }

    /** @return whether the data points are drawn */
    public BooleanProperty showDataProperty() {
        return showData;
    }

    /** @return whether the score field is drawn */
    public BooleanProperty showFieldProperty() {
        return showField;
    }

    /** @return arrows or streamlines */
    public ObjectProperty<FieldStyle> fieldStyleProperty() {
        return fieldStyle;
    }

    /** @return whether the density heat map is drawn */
    public BooleanProperty showDensityProperty() {
        return showDensity;
    }

    /** @return whether the labelled contour lines are drawn */
    public BooleanProperty showContoursProperty() {
        return showContours;
    }

    /** @return whether the Langevin samples are drawn (and moved) */
    public BooleanProperty showSamplesProperty() {
        return showSamples;
    }

    /** @return whether the true density/score overlay is drawn (where the dataset has one) */
    public BooleanProperty showTruthProperty() {
        return showTruth;
    }

    /** @return grid nodes along the longer side of the view */
    public IntegerProperty gridResolutionProperty() {
        return gridResolution;
    }

    /** @return approximate number of contour levels */
    public IntegerProperty contourCountProperty() {
        return contourCount;
    }

    /** @return the log-density range shown, nats below the maximum */
    public DoubleProperty densityRangeProperty() {
        return densityRange;
    }

    /** @return the heat-map colormap */
    public ObjectProperty<Colormap> colormapProperty() {
        return colormap;
    }

    /** @return Langevin step size as log10 ε */
    public DoubleProperty langevinStepLog10Property() {
        return langevinStepLog10;
    }

    /** @return number of Langevin samples */
    public IntegerProperty particlesProperty() {
        return particles;
    }

    /**
     * @return the noise level t ∈ [0, 1] at which a diffusion or noise-conditional model is shown (clamped to
     *         its smallest time ε by the computation)
     */
    public DoubleProperty noiseTimeProperty() {
        return noiseTime;
    }

    /** @return whether the heat map shows a time-conditional model's squared score error instead of log p */
    public BooleanProperty scoreErrorHeatProperty() {
        return scoreErrorHeat;
    }

    /** @return whether clicks on the view add data points */
    public BooleanProperty drawModeProperty() {
        return drawMode;
    }

    /** @return the visible part of the plane */
    public ObjectProperty<ViewBox> viewBoxProperty() {
        return viewBox;
    }

    /** @return the canvas width in pixels (set by the view) */
    public DoubleProperty canvasWidthProperty() {
        return canvasWidth;
    }

    /** @return the canvas height in pixels (set by the view) */
    public DoubleProperty canvasHeightProperty() {
        return canvasHeight;
    }

    /** @return the Langevin step size as text */
    public StringBinding langevinStepText() {
        return Bindings.createStringBinding(() -> Fmt.sci(Math.pow(10, langevinStepLog10.get())), langevinStepLog10);
    }
}
