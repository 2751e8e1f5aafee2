package org.scorescope.app;

import java.io.File;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.beans.Observable;
import javafx.fxml.FXML;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.Tab;
import javafx.scene.control.TitledPane;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.controlsfx.control.NotificationPane;
import org.controlsfx.control.StatusBar;
import org.scorescope.Version;
import org.scorescope.train.Preset;
import org.scorescope.train.Setting;
import org.scorescope.field.Colormap;
import org.scorescope.render.Fmt;
import org.scorescope.render.ViewLayers;
import org.scorescope.worker.FrameData;
import org.scorescope.worker.FrameStats;
import org.scorescope.worker.SpectraResult;
import org.scorescope.worker.WorkerState;

/**
 * Thin controller of {@code MainView.fxml}: binds controls to {@link MainViewModel}, forwards mouse
 * and keyboard gestures to it, shows dialogs, and runs the AnimationTimer that takes the newest
 * frame once per frame and draws it. It holds no training logic.
 */
public final class MainController {
    /** Charts redraw at most twice a second: each redraw is a software-rasterized canvas frame. */
    private static final long CHART_INTERVAL_NANOS = 500_000_000L;

    private final MainViewModel vm;
    private final FrameStats frameStats = new FrameStats();

    @FXML private VBox controlPanel;
    @FXML private Button playButton;
    @FXML private ComboBox<Speed> speedChoice;
    @FXML private ToggleButton drawToggle;
    @FXML private Label stepLabel;
    @FXML private Menu lessonsMenu;
    @FXML private Menu recentMenu;
    @FXML private MenuItem undoItem;
    @FXML private MenuItem redoItem;
    @FXML private TitledPane lessonPane;
    @FXML private Label lessonText;
    @FXML private GridPane dataForm;
    @FXML private Label dataSourceLabel;
    @FXML private CheckBox drawCheck;
    @FXML private GridPane modelForm;
    @FXML private GridPane objectiveForm;
    @FXML private GridPane optimizerForm;
    @FXML private Slider langevinSlider;
    @FXML private Label langevinValue;
    @FXML private Spinner<Integer> particlesSpinner;
    @FXML private CheckBox showDataCheck;
    @FXML private CheckBox showFieldCheck;
    @FXML private CheckBox showDensityCheck;
    @FXML private CheckBox showContoursCheck;
    @FXML private CheckBox showSamplesCheck;
    @FXML private CheckBox showTruthCheck;
    @FXML private ComboBox<ViewOptionsViewModel.FieldStyle> fieldStyleChoice;
    @FXML private Spinner<Integer> resolutionSpinner;
    @FXML private Spinner<Integer> contourSpinner;
    @FXML private Slider rangeSlider;
    @FXML private Label rangeValue;
    @FXML private ComboBox<Colormap> colormapChoice;
    @FXML private NotificationPane notificationPane;
    @FXML private FieldCanvas fieldCanvas;
    @FXML private Label hoverLabel;
    @FXML private HistoryChart lossChart;
    @FXML private HistoryChart fisherChart;
    @FXML private HistoryChart nllChart;
    private TrainingCharts charts;
    @FXML private Button bestButton;
    @FXML private MenuItem bestModelItem;
    @FXML private Tooltip bestTooltip;
    @FXML private StatusBar statusBar;
    @FXML private Tab spectraTab;
    @FXML private SpectraView spectraView;
    @FXML private Spinner<Integer> spectraEverySpinner;
    @FXML private Label spectraLabel;
    @FXML private CheckBox showGlyphsCheck;
    @FXML private ComboBox<SpectraResult.Curvature> spectraCurvatureChoice;
    @FXML private EigenvectorInspector spectraInspector;
    @FXML private MenuItem openSessionItem;
    @FXML private MenuItem saveSessionItem;
    @FXML private MenuItem openModelItem;
    @FXML private MenuItem importPointsItem;
    @FXML private MenuItem exportPngItem;
    @FXML private MenuItem exportModelItem;
    @FXML private MenuItem exportMetricsItem;
    @FXML private MenuItem exportPointsItem;

    private AnimationTimer timer;
    private long lastChart;
    private long chartSerial = -1;
    private double dragX;
    private double dragY;
    private double lastDrawX = Double.NaN;
    private double lastDrawY = Double.NaN;

    private final FileMenu fileMenu;
    private final ControlBinder binder = new ControlBinder(this::inputError);

    MainController(MainViewModel vm) {
        this.vm = vm;
        this.fileMenu = new FileMenu(vm.files(), this::window);
    }

    @FXML
    private void initialize() {
        bindControls();
        bindCanvas();
        bindCharts();
        statusBar.textProperty().bind(vm.statusProperty());
        // A long message is cut with an ellipsis; the whole of it is one hover away.
        Tooltip whole = new Tooltip();
        whole.textProperty().bind(vm.statusProperty());
        whole.setWrapText(true);
        whole.setMaxWidth(600);
        statusBar.setTooltip(whole);
        // One file job at a time: while one runs, every file command would have to wait for it.
        for (MenuItem item : fileItems()) {
            item.disableProperty().bind(vm.files().busyProperty());
        }
        Label metrics = new Label();
        metrics.getStyleClass().add("metrics");
        metrics.textProperty().bind(vm.metricsTextProperty());
        metrics.setMinWidth(Region.USE_PREF_SIZE); // the numbers stay whole; the message on the left gives way
        statusBar.getRightItems().add(metrics);
        stepLabel.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> String.format(Locale.ROOT, "step %,d · %s", vm.stepProperty().get(),
                        vm.workerStateProperty().get().label()), vm.stepProperty(), vm.workerStateProperty()));
        hoverLabel.textProperty().bind(vm.hoverTextProperty());
        hoverLabel.visibleProperty().bind(vm.hoverTextProperty().isNotEmpty());
        vm.notificationCountProperty().addListener((o, was, now) -> {
            notificationPane.setText(vm.notificationProperty().get());
            notificationPane.show();
        });
        vm.setConfirmation(q -> confirm("Start a new model?", q));
        bindMenus();

        timer = new AnimationTimer() {
            @Override
            public void handle(long now) {
                long t0 = System.nanoTime();
                onFrame(now);
                if (vm.workerStateProperty().get() == WorkerState.RUNNING) {
                    frameStats.record(now, System.nanoTime() - t0);
                } else {
                    frameStats.skip();
                }
            }
        };
        timer.start();
        if (FrameStats.requested()) {
            PulseTimes.connect(frameStats);
            // the FX thread and Prism's renderer: a stall is one of them working, or waiting for a core, or both idle
            frameStats.watch(FrameStats.Watched.currentThread("FX thread"),
                    FrameStats.Watched.named("renderer", "QuantumRenderer"));
        }
        controlPanel.sceneProperty().addListener((o, was, scene) -> {
            if (scene != null) {
                installShortcuts(scene);
                // Start with the keyboard on the view, not in a spinner's text field, so Space/S/R work at once.
                Platform.runLater(fieldCanvas::requestFocus);
            }
        });
    }

    /** Per animation frame: take the newest frame (if any), redraw what changed. */
    private void onFrame(long now) {
        FrameData f = vm.pollFrame();
        // While the eigenvector inspector moves θ, the field view shows the moved model instead of the live one.
        boolean wasMoved = vm.spectra().inspector().showsMovedModel();
        FrameData moved = vm.spectra().inspector().poll();
        if (moved != null) {
            fieldCanvas.setFrame(moved);
        } else if (!vm.spectra().inspector().showsMovedModel() && (f != null || wasMoved)
                && vm.frameProperty().get() != null) {
            fieldCanvas.setFrame(f != null ? f : vm.frameProperty().get());
        }
        SpectraResult spectra = vm.spectra().pollSpectra();
        if (spectra != null) {
            spectraView.setData(spectra, vm.spectra().spectraHistory(), vm.spectra().olderFullLadder(),
                    vm.spectra().olderFullStep());
            if (vm.spectra().showGlyphsProperty().get() && spectra.ok()) {
                fieldCanvas.setGlyphs(spectra.glyphs());
            }
        }
        boolean heavy = fieldCanvas.drawIfDirty();
        FrameData current = vm.frameProperty().get();
        // Charts redraw together with the base layers (one heavy frame instead of two) or when those are idle.
        if (current != null && current.serial() != chartSerial && now - lastChart >= CHART_INTERVAL_NANOS
                && (heavy || now - lastChart >= 3 * CHART_INTERVAL_NANOS)) {
            chartSerial = current.serial();
            lastChart = now;
            charts.show(current);
        }
        // Charts in the tab that is not selected drew nothing above; they catch up once shown.
        charts.drawIfStale();
        spectraView.drawIfStale();
    }

    private void bindControls() {
        playButton.textProperty().bind(javafx.beans.binding.Bindings.when(vm.runningProperty())
                .then("Pause").otherwise("Play"));
        Region playIcon = new Region();
        playIcon.getStyleClass().add("icon");
        vm.runningProperty().addListener((o, was, now) -> playIcon.getStyleClass().setAll("icon",
                now ? "icon-pause" : "icon-play"));
        playIcon.getStyleClass().add("icon-play");
        playButton.setGraphic(playIcon);
        ControlBinder.combo(speedChoice, javafx.collections.FXCollections.observableArrayList(Speed.values()),
                vm.speedProperty(), Object::toString);
        drawToggle.selectedProperty().bindBidirectional(vm.view().drawModeProperty());
        drawCheck.selectedProperty().bindBidirectional(vm.view().drawModeProperty());

        SettingsForm form = new SettingsForm(vm.settings(), m -> inputError(m));
        form.fill(dataForm, Setting.Group.DATA);
        form.fill(modelForm, Setting.Group.MODEL);
        form.fill(objectiveForm, Setting.Group.OBJECTIVE);
        form.fill(optimizerForm, Setting.Group.OPTIMIZER, Setting.Group.RUN);
        dataSourceLabel.textProperty().bind(vm.dataSourceProperty());

        ControlBinder.slider(langevinSlider, langevinValue, vm.view().langevinStepLog10Property(), v -> Fmt.sci(Math.pow(10, v)));
        binder.intSpinner(particlesSpinner, vm.view().particlesProperty(), 1, 20_000, 100);

        showDataCheck.selectedProperty().bindBidirectional(vm.view().showDataProperty());
        showFieldCheck.selectedProperty().bindBidirectional(vm.view().showFieldProperty());
        showDensityCheck.selectedProperty().bindBidirectional(vm.view().showDensityProperty());
        showContoursCheck.selectedProperty().bindBidirectional(vm.view().showContoursProperty());
        showSamplesCheck.selectedProperty().bindBidirectional(vm.view().showSamplesProperty());
        showTruthCheck.selectedProperty().bindBidirectional(vm.view().showTruthProperty());
        ControlBinder.combo(fieldStyleChoice, javafx.collections.FXCollections.observableArrayList(ViewOptionsViewModel.FieldStyle.values()),
                vm.view().fieldStyleProperty(), Object::toString);
        binder.intSpinner(resolutionSpinner, vm.view().gridResolutionProperty(), 16, 256, 8);
        binder.intSpinner(contourSpinner, vm.view().contourCountProperty(), 0, 30, 1);
        binder.intSpinner(spectraEverySpinner, vm.spectra().spectraEveryProperty(), 10, 1_000_000, 100);
        spectraLabel.textProperty().bind(vm.spectra().spectraTextProperty());
        vm.spectra().spectraShownProperty().bind(spectraTab.selectedProperty());
        showGlyphsCheck.selectedProperty().bindBidirectional(vm.spectra().showGlyphsProperty());
        SpectraPanel.bind(vm.spectra(), spectraView, spectraInspector, spectraCurvatureChoice);
        DiffusionPanel.install(vm.diffusion(), controlPanel, "viewPane", fieldCanvas, binder);
        vm.spectra().showGlyphsProperty().addListener((o, was, now) -> {
            SpectraResult r = vm.spectra().spectraResultProperty().get();
            fieldCanvas.setGlyphs(now && r != null ? r.glyphs() : null);
            if (now) {
                // Glyphs of the current view and model, without waiting for the next scheduled computation.
                vm.spectra().computeSpectraNow();
            }
        });
        ControlBinder.slider(rangeSlider, rangeValue, vm.view().densityRangeProperty(), v -> String.format(Locale.ROOT, "%.0f", v));
        ControlBinder.combo(colormapChoice, javafx.collections.FXCollections.observableArrayList(Colormap.values()),
                vm.view().colormapProperty(), Object::toString);
    }

    /** Lessons, undo/redo and recent files, and the lesson's explanation above the controls. */
    private void bindMenus() {
        for (Preset p : Preset.all()) {
            MenuItem item = new MenuItem(p.title());
            item.setMnemonicParsing(false);
            item.setOnAction(e -> vm.startLesson(p));
            lessonsMenu.getItems().add(item);
        }
        undoItem.disableProperty().bind(vm.canUndoProperty().not());
        redoItem.disableProperty().bind(vm.canRedoProperty().not());
        recentMenu.setOnShowing(e -> fileMenu.fillRecent(recentMenu));
        fileMenu.fillRecent(recentMenu);
        lessonPane.visibleProperty().bind(vm.lessonProperty().isNotNull());
        lessonPane.managedProperty().bind(lessonPane.visibleProperty());
        lessonText.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> vm.lessonProperty().get() == null ? ""
                        : vm.lessonProperty().get().title() + "\n\n" + vm.lessonProperty().get().explanation(),
                vm.lessonProperty()));
    }

    @FXML
    private void onCloseLesson() {
        vm.closeLesson();
    }

    private void bindCanvas() {
        fieldCanvas.setView(vm.view().viewBoxProperty().get());
        vm.view().viewBoxProperty().addListener((o, was, now) -> fieldCanvas.setView(now));
        vm.view().canvasWidthProperty().bind(fieldCanvas.widthProperty());
        vm.view().canvasHeightProperty().bind(fieldCanvas.heightProperty());
        Observable[] layerProps = {vm.view().showDataProperty(), vm.view().showFieldProperty(), vm.view().fieldStyleProperty(),
            vm.view().showDensityProperty(), vm.view().showContoursProperty(), vm.view().showSamplesProperty(), vm.view().showTruthProperty()};
        for (Observable o : layerProps) {
            o.addListener(x -> fieldCanvas.setLayers(layers()));
        }
        fieldCanvas.setLayers(layers());

        fieldCanvas.addEventHandler(ScrollEvent.SCROLL, e -> {
            double factor = Math.exp(e.getDeltaY() * 0.0025);
            vm.view().zoom(factor, fieldCanvas.toWorldX(e.getX()), fieldCanvas.toWorldY(e.getY()));
            e.consume();
        });
        fieldCanvas.setFocusTraversable(true);
        fieldCanvas.addEventHandler(MouseEvent.MOUSE_PRESSED, e -> {
            fieldCanvas.requestFocus();
            dragX = e.getX();
            dragY = e.getY();
            if (vm.view().drawModeProperty().get() && e.getButton() == MouseButton.PRIMARY) {
                addPointAt(e.getX(), e.getY());
            }
        });
        fieldCanvas.addEventHandler(MouseEvent.MOUSE_DRAGGED, e -> {
            if (vm.view().drawModeProperty().get() && e.isPrimaryButtonDown()) {
                if (Double.isNaN(lastDrawX) || Math.hypot(e.getX() - lastDrawX, e.getY() - lastDrawY) >= 6) {
                    addPointAt(e.getX(), e.getY());
                }
            } else {
                double k = fieldCanvas.scale();
                vm.view().pan((e.getX() - dragX) / k, -(e.getY() - dragY) / k);
                dragX = e.getX();
                dragY = e.getY();
            }
        });
        fieldCanvas.addEventHandler(MouseEvent.MOUSE_RELEASED, e -> lastDrawX = Double.NaN);
        fieldCanvas.addEventHandler(MouseEvent.MOUSE_MOVED,
                e -> vm.hover(fieldCanvas.toWorldX(e.getX()), fieldCanvas.toWorldY(e.getY())));
        fieldCanvas.addEventHandler(MouseEvent.MOUSE_EXITED, e -> vm.hoverExit());
        vm.view().drawModeProperty().addListener((o, was, now) -> fieldCanvas.setCursor(
                now ? javafx.scene.Cursor.CROSSHAIR : javafx.scene.Cursor.DEFAULT));
    }

    private void addPointAt(double sx, double sy) {
        lastDrawX = sx;
        lastDrawY = sy;
        vm.addPoint(fieldCanvas.toWorldX(sx), fieldCanvas.toWorldY(sy));
    }

    private void bindCharts() {
        charts = new TrainingCharts(lossChart, fisherChart, nllChart);
        bestButton.disableProperty().bind(vm.quality().hasBestProperty().not());
        bestModelItem.disableProperty().bind(vm.quality().hasBestProperty().not());
        bestTooltip.textProperty().bind(vm.quality().bestTextProperty());
    }

    private ViewLayers layers() {
        boolean streamlines = vm.view().fieldStyleProperty().get() == ViewOptionsViewModel.FieldStyle.STREAMLINES;
        return ViewLayers.of(ViewLayers.Switch.LEGEND).with(ViewLayers.Switch.DATA, vm.view().showDataProperty().get())
                .with(ViewLayers.Switch.FIELD, vm.view().showFieldProperty().get())
                .with(ViewLayers.Switch.STREAMLINES, streamlines)
                .with(ViewLayers.Switch.DENSITY, vm.view().showDensityProperty().get())
                .with(ViewLayers.Switch.CONTOURS, vm.view().showContoursProperty().get())
                .with(ViewLayers.Switch.SAMPLES, vm.view().showSamplesProperty().get())
                .with(ViewLayers.Switch.TRUTH, vm.view().showTruthProperty().get());
    }

    private void installShortcuts(Scene scene) {
        scene.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.isShortcutDown() || e.isAltDown() || scene.getFocusOwner() instanceof TextInputControl) {
                return;
            }
            if (e.getCode() == KeyCode.SPACE) {
                vm.togglePlay();
                e.consume();
            } else if (e.getCode() == KeyCode.S) {
                vm.stepOnce();
                e.consume();
            } else if (e.getCode() == KeyCode.R) {
                vm.reset();
                e.consume();
            }
        });
    }

    private void inputError(String message) {
        Alert a = new Alert(Alert.AlertType.WARNING, message + "; the value is unchanged.");
        a.setHeaderText("Invalid number");
        a.initOwner(window());
        a.show();
    }

    // ---------------------------------------------------------------- menu and toolbar actions

    @FXML
    private void onPlayPause() {
        vm.togglePlay();
    }

    @FXML
    private void onStep() {
        vm.stepOnce();
    }

    @FXML
    private void onReset() {
        vm.reset();
    }

    @FXML
    private void onRestoreBest() {
        String question = vm.confirmRestoreBest();
        if (question != null && confirm("Go back to the best model?", question)) {
            vm.restoreBest();
            notificationPane.hide(); // a warning about the model just replaced
        }
    }

    @FXML
    private void onRegenerate() {
        vm.regenerate();
    }

    @FXML
    private void onClearData() {
        vm.clearData();
        vm.view().drawModeProperty().set(true);
    }

    @FXML
    private void onRespawn() {
        vm.respawnSamples();
    }

    @FXML
    private void onResetView() {
        vm.view().resetView();
    }

    @FXML
    private void onComputeSpectra() {
        vm.spectra().computeSpectraNow();
    }

    @FXML
    private void onImportPoints() {
        fileMenu.importPoints();
    }

    /**
     * Imports a CSV of points in the background, showing an error dialog (the data stay) when it is malformed.
     *
     * @param file the CSV file
     * @return completes on the FX thread once the import is applied or has failed (null or the error)
     */
    CompletableFuture<String> importPoints(java.nio.file.Path file) {
        return fileMenu.importPoints(file);
    }

    @FXML
    private void onOpenModel() {
        fileMenu.openModel();
    }

    @FXML
    private void onExportModel() {
        fileMenu.exportModel();
    }

    @FXML
    private void onExportMetrics() {
        fileMenu.exportMetrics();
    }

    @FXML
    private void onExportPoints() {
        fileMenu.exportPoints();
    }

    @FXML
    private void onExportPng() {
        int[] size = PngExport.askSize((int) Math.round(fieldCanvas.getWidth()),
                (int) Math.round(fieldCanvas.getHeight()), window());
        if (size == null) {
            return;
        }
        File f = FileMenu.chooser("Export PNG", "PNG image", "*.png").showSaveDialog(window());
        if (f == null) {
            return;
        }
        fileMenu.report(PngExport.export(vm, fieldCanvas.view(), fieldCanvas.getWidth(), fieldCanvas.getHeight(),
                layers(), fieldCanvas.glyphs(), fieldCanvas.sampler(), size[0], size[1], f.toPath()));
    }

    @FXML
    private void onOpenSession() {
        fileMenu.openSession();
    }

    @FXML
    private void onSaveSession() {
        fileMenu.saveSession();
    }

    @FXML
    private void onUndo() {
        vm.undo();
    }

    @FXML
    private void onRedo() {
        vm.redo();
    }

    /** @return true when the window may close now; otherwise asks about unsaved work first */
    boolean mayClose(Runnable close) {
        return fileMenu.mayClose(close);
    }

    @FXML
    private void onQuit() {
        if (mayClose(Platform::exit)) {
            Platform.exit();
        }
    }

    @FXML
    private void onAbout() {
        Alert about = new Alert(Alert.AlertType.INFORMATION);
        about.setTitle("About ScoreScope");
        about.setHeaderText("ScoreScope " + Version.get());
        about.setContentText("Train small 2-D score models and watch their score fields, densities and "
                + "Hessian spectra while they learn.\n\nSpace: play/pause, S: step, R: reset. Wheel: zoom, drag: pan.");
        about.initOwner(window());
        about.show();
    }

    private boolean confirm(String header, String question) {
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, question, ButtonType.OK, ButtonType.CANCEL);
        a.setHeaderText(header);
        a.initOwner(window());
        return a.showAndWait().orElse(ButtonType.CANCEL) == ButtonType.OK;
    }

    private Window window() {
        return controlPanel.getScene() == null ? null : controlPanel.getScene().getWindow();
    }

    /** Stops the animation timer and prints the frame statistics if they were requested. */
    void shutdown() {
        if (timer != null) {
            timer.stop();
        }
        fieldCanvas.dispose();
        if (FrameStats.requested()) {
            frameStats.report(System.err);
            System.err.println("scorescope: view rasterizer: " + fieldCanvas.rasterSummary() + "; training step "
                    + vm.stepProperty().get());
            PulseTimes.stopRunning();
        }
    }

    /** @return the File menu's file commands, disabled while a file job runs */
    List<MenuItem> fileItems() {
        return List.of(openSessionItem, saveSessionItem, openModelItem, importPointsItem, exportPngItem,
                exportModelItem, exportMetricsItem, exportPointsItem);
    }

    /** @return the frame-time recorder (always recording; printed only when requested) */
    FrameStats frameStats() {
        return frameStats;
    }

    /** @return the view-model */
    MainViewModel viewModel() {
        return vm;
    }
}
