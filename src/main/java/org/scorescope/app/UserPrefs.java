package org.scorescope.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

/**
 * What the app remembers between runs, in the user's {@link Preferences}: the window's bounds and
 * the recently opened or saved session files (newest first, at most {@link #MAX_RECENT}). A
 * preferences store that cannot be written (a read-only home) only loses the memory, never the
 * session.
 */
final class UserPrefs {
    /** Recent files kept. */
    static final int MAX_RECENT = 8;
    private final Preferences node;

    /**
     * The window's bounds.
     *
     * @param x left
     * @param y top
     * @param width width
     * @param height height
     * @param maximized whether it was maximized
     */
    record Bounds(double x, double y, double width, double height, boolean maximized) {
    }

    /** @param node where to keep the values (the app's user node; tests pass their own) */
    UserPrefs(Preferences node) {
        this.node = node;
    }

    /**
     * @return the user's preferences of the app; the system property {@code scorescope.prefs} names
     *     another node (the tests use their own, so they neither read nor change the user's)
     */
    static UserPrefs forApp() {
        String other = System.getProperty("scorescope.prefs");
        return new UserPrefs(other == null ? Preferences.userNodeForPackage(UserPrefs.class)
                : Preferences.userRoot().node(other));
    }

    /** Forgets everything remembered. */
    void clear() {
        try {
            node.clear();
        } catch (BackingStoreException e) {
            // nothing was remembered that could be read either
        }
    }

    /**
     * The window's last bounds, or about 85% of the screen, centred, the first time; never larger
     * than the screen, and back on the screen if it was moved off it.
     *
     * @param screen the screen's visual bounds: x, y, width, height
     */
    Bounds window(double[] screen) {
        double sw = screen[2];
        double sh = screen[3];
        double w = Math.min(sw, node.getDouble("window.width", 0.85 * sw));
        double h = Math.min(sh, node.getDouble("window.height", 0.85 * sh));
        double x = node.getDouble("window.x", screen[0] + (sw - w) / 2);
        double y = node.getDouble("window.y", screen[1] + (sh - h) / 2);
        x = Math.max(screen[0], Math.min(x, screen[0] + sw - w));
        y = Math.max(screen[1], Math.min(y, screen[1] + sh - h));
        return new Bounds(x, y, w, h, node.getBoolean("window.maximized", false));
    }

    /** Remembers the window's bounds. */
    void saveWindow(Bounds b) {
        if (!b.maximized()) {
            node.putDouble("window.x", b.x());
            node.putDouble("window.y", b.y());
            node.putDouble("window.width", b.width());
            node.putDouble("window.height", b.height());
        }
        node.putBoolean("window.maximized", b.maximized());
        flush();
    }

    /** @return recently used session files, newest first */
    List<Path> recentFiles() {
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < MAX_RECENT; i++) {
            String p = node.get("recent." + i, null);
            if (p != null) {
                out.add(Path.of(p));
            }
        }
        return out;
    }

    /** Puts a file first in the recent list (moving it up if it was there). */
    void addRecent(Path file) {
        Path f = file.toAbsolutePath().normalize();
        List<Path> list = recentFiles();
        list.remove(f);
        list.add(0, f);
        for (int i = 0; i < MAX_RECENT; i++) {
            if (i < list.size()) {
                node.put("recent." + i, list.get(i).toString());
            } else {
                node.remove("recent." + i);
            }
        }
        flush();
    }

    private void flush() {
        try {
            node.flush();
        } catch (BackingStoreException | IllegalStateException e) {
            // Only the memory of the window and the recent files is lost.
        }
    }
}
