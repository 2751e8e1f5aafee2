package org.scorescope.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.scorescope.io.JsonText;
import org.scorescope.model.ModelFormatException;

/**
 * A lesson: a partial settings map (keys are {@link Setting#id() setting ids}) applied over the
 * defaults of the model kind it names, with a title and an explanation of what to look at. Presets
 * live in {@code resources/org/scorescope/presets/NAME.json}, listed in teaching order in
 * {@code index.txt}; the app's Lessons menu and {@code train --preset NAME} read them.
 *
 * @param name the file name without extension, e.g. {@code exact-8gaussians}
 * @param title the menu text
 * @param explanation what the lesson shows and what to look at
 * @param config the settings: the preset's values over the defaults
 */
public record Preset(String name, String title, String explanation, TrainingConfig config) {
    private static final String DIR = "/org/scorescope/presets/";
    private static final Set<String> FIELDS = Set.of("title", "explanation", "settings");
    private static final ObjectMapper JSON = JsonText.strictMapper();
    private static final List<Preset> ALL = load();

    /** @return every preset, in teaching order */
    public static List<Preset> all() {
        return ALL;
    }

    /** @return the preset of this name, if any */
    public static Optional<Preset> byName(String name) {
        return ALL.stream().filter(p -> p.name.equals(name)).findFirst();
    }

    private static List<Preset> load() {
        List<Preset> out = new ArrayList<>();
        try (InputStream index = Preset.class.getResourceAsStream(DIR + "index.txt")) {
            if (index == null) {
                throw new IllegalStateException("presets: index.txt is missing from the resources");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(index, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    out.add(read(line.trim()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(out);
    }

    /** Reads one preset; a broken preset is a build defect, reported naming the file and field. */
    private static Preset read(String name) throws IOException {
        try (InputStream in = Preset.class.getResourceAsStream(DIR + name + ".json")) {
            if (in == null) {
                throw new IllegalStateException("presets: " + name + ".json is listed but missing");
            }
            JsonNode root = JSON.readTree(in);
            for (var it = root.fieldNames(); it.hasNext();) {
                String f = it.next();
                if (!FIELDS.contains(f)) {
                    throw new ModelFormatException(f, "unknown field");
                }
            }
            TrainingConfig config = SessionFile.settings(root.path("settings"), TrainingConfig.defaults(), "settings");
            return new Preset(name, root.path("title").asText(), root.path("explanation").asText(), config);
        } catch (ModelFormatException e) {
            throw new IllegalStateException("presets: " + name + ".json: " + e.getMessage(), e);
        }
    }
}
