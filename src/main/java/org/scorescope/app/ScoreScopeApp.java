package org.scorescope.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.nio.file.Path;
import java.util.List;
import org.scorescope.threads.BackgroundPriority;
import javafx.application.Application;
import javafx.scene.control.Alert;
import javafx.fxml.FXMLLoader;
import javafx.geometry.Rectangle2D;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.scene.paint.Color;
import javafx.stage.Screen;
import javafx.stage.Stage;
import org.scorescope.worker.FrameStats;

/** The desktop application: loads the main FXML view, its stylesheet and icons, and owns the view-model. */
public final class ScoreScopeApp extends Application {
    static final int[] ICON_SIZES = {16, 32, 48, 64, 128, 256};
    /** Modena's -fx-background, the colour the root's CSS background had. */
    static final Color WINDOW_BACKGROUND = Color.web("#f4f4f4");

    private static final Logger QUIET_JAVAFX_LOGGER = Logger.getLogger("javafx");

    private MainViewModel viewModel;
    private MainController controller;

    /** Starts the JavaFX runtime and blocks until the last window closes. */
    static void launchDesktop(String... args) {
        // JavaFX warns that it runs from the class path; that is how the jar is built, on purpose.
        QUIET_JAVAFX_LOGGER.setLevel(Level.SEVERE);
        if (FrameStats.requested()) {
            PulseTimes.start();
        }
        try {
            Application.launch(ScoreScopeApp.class, args);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            // Typical cause: no display. Say so in one line instead of a stack trace.
            System.err.println("error: cannot open the ScoreScope window (" + e.getMessage()
                    + "). Is a display available? Headless commands: java -jar scorescope.jar --help");
            System.exit(1);
        }
    }

    /** Builds the main window (FXML view, stylesheet, icons) around a new view-model and shows it. */
    @Override
    public void start(Stage stage) {
        // Training, spectra and file threads, and the JIT's C2 compiler, yield the cores to the FX and render
        // threads whenever those want one (-Dscorescope.backgroundPriority=false turns that off, to compare).
        BackgroundPriority.enable(Boolean.parseBoolean(System.getProperty("scorescope.backgroundPriority", "true")));
        BackgroundPriority.lowerJitCompilers();
        viewModel = new MainViewModel();
        // Never open larger than the screen: small laptop screens and headless test screens alike.
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        FXMLLoader loader = loader(viewModel);
        Parent root;
        try {
            root = loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load MainView.fxml", e);
        }
        controller = loader.getController();
        UserPrefs prefs = UserPrefs.forApp();
        UserPrefs.Bounds bounds = prefs.window(new double[] {screen.getMinX(), screen.getMinY(), screen.getWidth(),
            screen.getHeight()});
        Scene scene = new Scene(root, bounds.width(), bounds.height());
        scene.getStylesheets().add(resource("main.css").toExternalForm());
        // The window background is the scene's fill, not the root's CSS background: see main.css, .main-root.
        scene.setFill(WINDOW_BACKGROUND);
        stage.titleProperty().bind(viewModel.titleProperty());
        for (int size : ICON_SIZES) {
            try (InputStream in = resource("icons/scorescope-" + size + ".png").openStream()) {
                stage.getIcons().add(new Image(in));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        stage.setX(bounds.x());
        stage.setY(bounds.y());
        stage.setMaximized(bounds.maximized());
        // Closing with unsaved work asks first; closing ends the run: the worker is a daemon and stops at once.
        stage.setOnCloseRequest(e -> {
            if (controller != null && !controller.mayClose(stage::close)) {
                e.consume();
            }
        });
        stage.setOnHidden(e -> {
            prefs.saveWindow(new UserPrefs.Bounds(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight(),
                    stage.isMaximized()));
            stop();
        });
        stage.setMinWidth(800);
        stage.setMinHeight(560);
        stage.setScene(scene);
        stage.show();
        // Some window managers (openbox) give a new window its minimum size whatever the scene asks: ask again.
        if (!bounds.maximized()) {
            stage.setWidth(bounds.width());
            stage.setHeight(bounds.height());
            stage.setX(bounds.x());
            stage.setY(bounds.y());
        }
        // Tests start the app without the JavaFX launcher, so there may be no parameters at all.
        List<String> files = getParameters() == null ? List.of() : getParameters().getRaw();
        if (files.size() == 1) {
            // Read in the background like File > Open session; the window is already up and responsive.
            String name = files.get(0);
            viewModel.files().openSession(Path.of(name)).thenAccept(error -> {
                if (error != null) {
                    Alert alert = new Alert(Alert.AlertType.ERROR, error);
                    alert.setHeaderText("Cannot open " + name);
                    alert.initOwner(stage);
                    alert.show();
                }
            });
        }
    }

    /** Stops the worker and the animation timer (idempotent); prints frame statistics when requested. */
    @Override
    public void stop() {
        if (controller != null) {
            controller.shutdown();
            controller = null;
        }
        if (viewModel != null) {
            viewModel.shutdown();
        }
    }

    /** @return the controller of the main window (tests) */
    MainController controller() {
        return controller;
    }

    /** @return the view-model of the main window (tests) */
    MainViewModel viewModel() {
        return viewModel;
    }

    /** Loads {@code MainView.fxml} with a controller bound to the given view-model. */
    static Parent loadMainView(MainViewModel vm) {
        try {
            return loader(vm).load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load MainView.fxml", e);
        }
    }

    private static FXMLLoader loader(MainViewModel vm) {
        FXMLLoader loader = new FXMLLoader(resource("MainView.fxml"));
        loader.setControllerFactory(type -> {
            if (type == MainController.class) {
                return new MainController(vm);
            }
            throw new IllegalArgumentException("unexpected controller " + type);
        });
        return loader;
    }

    static URL resource(String name) {
        return Objects.requireNonNull(ScoreScopeApp.class.getResource(name), () -> "missing resource " + name);
    }
}
