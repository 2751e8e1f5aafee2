package org.scorescope.app;

import java.io.File;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import org.scorescope.train.SessionFile;

/**
 * The File menu's dialogs: choosers for each command, the recent-files submenu, error dialogs for
 * failed jobs, and the question asked before closing with unsaved work. The work itself is the
 * {@link FilesViewModel}'s.
 */
final class FileMenu {
    private final FilesViewModel files;
    private final Supplier<Window> window;

    FileMenu(FilesViewModel files, Supplier<Window> window) {
        this.files = files;
        this.window = window;
    }

    void openSession() {
        open("Open session", "ScoreScope session or model", files::openSession, "*" + SessionFile.EXTENSION, "*.json");
    }

    /** @return completes with null once saved, or with a message (cancelled or failed) */
    CompletableFuture<String> saveSession() {
        File f = chooser("Save session", "ScoreScope session", "*" + SessionFile.EXTENSION).showSaveDialog(window.get());
        return f == null ? CompletableFuture.completedFuture("cancelled") : report(files.saveSession(f.toPath()));
    }

    void openModel() {
        open("Open model", "ScoreScope model", files::openModel, "*.json");
    }

    CompletableFuture<String> importPoints(Path file) {
        return report(files.importPoints(file));
    }

    void importPoints() {
        open("Import points", "CSV files", files::importPoints, "*.csv");
    }

    void exportModel() {
        save("Export model", "ScoreScope model", files::exportModel, "*.json");
    }

    void exportMetrics() {
        save("Export metrics", "CSV files", files::exportMetrics, "*.csv");
    }

    void exportPoints() {
        save("Export points", "CSV files", files::exportPoints, "*.csv");
    }

    /** Fills the recent-files submenu (called as it opens). */
    void fillRecent(Menu recent) {
        recent.getItems().clear();
        for (Path p : files.recentFiles()) {
            MenuItem item = new MenuItem(p.getFileName() + "  —  " + p.getParent());
            item.setMnemonicParsing(false);
            item.setOnAction(e -> report(files.openSession(p)));
            recent.getItems().add(item);
        }
        if (recent.getItems().isEmpty()) {
            MenuItem none = new MenuItem("(none yet)");
            none.setDisable(true);
            recent.getItems().add(none);
        }
    }

    /**
     * Asks what to do with unsaved work before the window closes.
     *
     * @param close closes the window (after a successful save, or at once)
     * @return true when the window may close now
     */
    boolean mayClose(Runnable close) {
        if (!files.hasUnsavedWork()) {
            return true;
        }
        ButtonType save = new ButtonType("Save…", ButtonBar.ButtonData.YES);
        ButtonType discard = new ButtonType("Don't save", ButtonBar.ButtonData.NO);
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, "The trained model and its settings have not been saved.",
                save, discard, ButtonType.CANCEL);
        a.setHeaderText("Save the session before closing?");
        a.initOwner(window.get());
        ButtonType answer = a.showAndWait().orElse(ButtonType.CANCEL);
        if (answer == discard) {
            return true;
        }
        if (answer == save) {
            saveSession().thenAccept(error -> {
                if (error == null) {
                    close.run();
                }
            });
        }
        return false;
    }

    /** Shows the job's error, if any, when it ends (the future completes on the FX thread). */
    CompletableFuture<String> report(CompletableFuture<String> job) {
        job.thenAccept(this::showError);
        return job;
    }

    void showError(String message) {
        if (message == null) {
            return;
        }
        Alert a = new Alert(Alert.AlertType.ERROR, message, ButtonType.OK);
        a.setHeaderText(null);
        a.initOwner(window.get());
        a.show();
    }

    private void open(String title, String kind, Function<Path, CompletableFuture<String>> job, String... patterns) {
        File f = chooser(title, kind, patterns).showOpenDialog(window.get());
        if (f != null) {
            report(job.apply(f.toPath()));
        }
    }

    private void save(String title, String kind, Function<Path, CompletableFuture<String>> job, String... patterns) {
        File f = chooser(title, kind, patterns).showSaveDialog(window.get());
        if (f != null) {
            report(job.apply(f.toPath()));
        }
    }

    static FileChooser chooser(String title, String kind, String... patterns) {
        FileChooser c = new FileChooser();
        c.setTitle(title);
        c.getExtensionFilters().add(new FileChooser.ExtensionFilter(kind, patterns));
        return c;
    }
}
