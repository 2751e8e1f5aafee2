package org.scorescope.app;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import org.scorescope.model.ModelSpec;
import org.scorescope.train.Setting;
import org.scorescope.train.Settings;
import org.scorescope.train.SmallData;
import org.scorescope.train.TrainingConfig;

/**
 * The training settings as view-model properties, one per {@link Setting} of {@link Settings#ALL}:
 * each property shows the running value or an edit not yet applied, which {@link #pendingProperty}
 * marks. An edit becomes a draft configuration handed to the owner ({@link #setOnEdit}); the owner
 * either {@link #accept}s it (it runs from then on) or answers {@link #revert} (a cancelled
 * confirmation), which puts every control back to the running value. {@link #appliesProperty}
 * follows each setting's applies-to rule (momentum only for SGD, couplings only for flows, …), so
 * the view enables exactly the settings that mean something.
 *
 * <p>Rules a user expects of the controls live here, not in the view: choosing another model kind
 * or loss moves every setting whose default depends on it to its new default
 * ({@link Settings#moveDefaults}); choosing another dataset
 * sets its noise back to automatic. Owner (FX) thread only.
 */
public final class SettingsViewModel {
    private final Map<Setting<?>, ObjectProperty<Object>> values = new LinkedHashMap<>();
    private final Map<Setting<?>, BooleanProperty> pending = new LinkedHashMap<>();
    private final Map<Setting<?>, BooleanProperty> applies = new LinkedHashMap<>();
    private final ReadOnlyObjectWrapper<TrainingConfig> applied = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private Consumer<TrainingConfig> onEdit = c -> accept(c);
    private boolean updating;
    private boolean customData;
    /** The data version the small-data default was last considered for. */
    private long smallDataChecked = -1;

    /** @param initial the running settings */
    public SettingsViewModel(TrainingConfig initial) {
        applied.set(initial);
        for (Setting<?> s : Settings.ALL) {
            values.put(s, new SimpleObjectProperty<>(initial.get(s)));
            pending.put(s, new SimpleBooleanProperty(false));
            applies.put(s, new SimpleBooleanProperty(s.appliesTo(initial)));
        }
        for (Setting<?> s : Settings.ALL) {
            values.get(s).addListener((o, was, now) -> edited(s, now));
        }
    }

    /** @return the shown value of a setting: the running value or a pending edit */
    @SuppressWarnings("unchecked")
    public <T> ObjectProperty<T> value(Setting<T> s) {
        return (ObjectProperty<T>) (ObjectProperty<?>) values.get(s);
    }

    /** @return true while the shown value differs from the running one (an edit not applied) */
    public ReadOnlyBooleanProperty pendingProperty(Setting<?> s) {
        return pending.get(s);
    }

    /** @return true when the setting means something under the shown settings */
    public ReadOnlyBooleanProperty appliesProperty(Setting<?> s) {
        return applies.get(s);
    }

    /** @return the running settings */
    public ReadOnlyObjectProperty<TrainingConfig> appliedProperty() {
        return applied.getReadOnlyProperty();
    }

    /** @return the running settings */
    public TrainingConfig applied() {
        return applied.get();
    }

    /** @return why the shown settings cannot run, empty when they can */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /**
     * Drawn or imported data replace the generated ones: the data settings then describe nothing
     * that runs and are shown disabled until the data are generated again.
     */
    public void setCustomData(boolean custom) {
        if (custom != customData) {
            customData = custom;
            refresh(applied.get());
        }
    }

    /** Sets who decides about an edit (default: accept it). */
    public void setOnEdit(Consumer<TrainingConfig> handler) {
        this.onEdit = Objects.requireNonNull(handler);
    }

    /** Makes {@code c} the running settings and shows it. */
    public void accept(TrainingConfig c) {
        applied.set(c);
        show(c);
    }

    /**
     * The user's own points, when few, are trained by denoising ({@link SmallData}): applied as one edit the
     * first time each data set is trained, so a loss chosen afterwards is kept.
     *
     * @param dataVersion identifies the data set
     * @param points the points, read only when this data set was not considered before
     * @return what changed, or null
     */
    public String smallDataDefault(long dataVersion, Supplier<double[][]> points) {
        if (dataVersion == smallDataChecked) {
            return null;
        }
        smallDataChecked = dataVersion;
        return SmallData.advice(applied.get(), points.get()).map(a -> {
            editAll(a.changes());
            return a.message();
        }).orElse(null);
    }

    /** Puts every control back to the running settings (a cancelled edit). */
    public void revert() {
        show(applied.get());
    }

    /**
     * Applies several settings at once over the defaults of the kind they name (a lesson, a
     * session): one edit, one decision by the owner.
     */
    public void editAll(Map<Setting<?>, Object> changes) {
        TrainingConfig draft;
        try {
            draft = applied.get().withAll(changes);
        } catch (IllegalArgumentException e) {
            error.set(e.getMessage());
            return;
        }
        show(draft);
        decide(draft);
    }

    private void show(TrainingConfig c) {
        updating = true;
        try {
            for (Setting<?> s : Settings.ALL) {
                values.get(s).set(c.get(s));
            }
        } finally {
            updating = false;
        }
        error.set("");
        refresh(c);
    }

    private void edited(Setting<?> s, Object now) {
        if (updating) {
            return;
        }
        updating = true;
        try {
            if (s == Settings.MODEL_KIND || s == Settings.OBJECTIVE) {
                Map<Setting<?>, Object> moved = new LinkedHashMap<>();
                values.forEach((k, v) -> moved.put(k, v.get()));
                Settings.moveDefaults(moved, s);
                moved.forEach((k, v) -> values.get(k).set(v));
            } else if (s == Settings.DATASET) {
                values.get(Settings.DATA_NOISE).set(Double.NaN);
            }
        } finally {
            updating = false;
        }
        Map<Setting<?>, Object> shown = new LinkedHashMap<>();
        values.forEach((k, v) -> shown.put(k, v.get()));
        TrainingConfig draft;
        try {
            draft = TrainingConfig.of(shown);
        } catch (IllegalArgumentException e) {
            error.set(e.getMessage());
            refresh(applied.get());
            return;
        }
        decide(draft);
    }

    private void decide(TrainingConfig draft) {
        error.set("");
        refresh(draft);
        if (!draft.equals(applied.get())) {
            onEdit.accept(draft);
        }
    }

    private void refresh(TrainingConfig shown) {
        TrainingConfig running = applied.get();
        for (Setting<?> s : Settings.ALL) {
            pending.get(s).set(!Objects.equals(values.get(s).get(), running.get(s)));
            applies.get(s).set(s.appliesTo(shown) && !(customData && s.group() == Setting.Group.DATA));
        }
    }
}
