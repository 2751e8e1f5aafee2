package org.scorescope.app;

import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.Property;
import javafx.collections.FXCollections;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.util.StringConverter;
import org.scorescope.train.Setting;
import org.scorescope.train.Settings;

/**
 * Builds the rows of a settings panel from the settings' descriptions: a choice becomes a combo
 * box, an integer an editable spinner (doubling or halving for settings on a log scale), a real a
 * text field, with a logarithmic slider beside it where the setting is on a log scale. Every value
 * can be typed; a typed value is checked by the description, and a rejected one is reported and
 * the field shows the running value again. Labels carry the help text as a tooltip and turn
 * italic while their setting is pending; a row is disabled while its setting does not apply.
 */
final class SettingsForm {
    private final SettingsViewModel vm;
    private final Consumer<String> onInputError;

    /**
     * @param vm the settings view-model
     * @param onInputError shows a rejected input's message (the status line)
     */
    SettingsForm(SettingsViewModel vm, Consumer<String> onInputError) {
        this.vm = vm;
        this.onInputError = onInputError;
    }

    /** Fills {@code grid} with one row per setting of the groups, in {@link Settings#ALL} order. */
    void fill(GridPane grid, Setting.Group... groups) {
        grid.getStyleClass().add("form");
        grid.setHgap(6);
        grid.setVgap(5);
        ColumnConstraints control = new ColumnConstraints();
        control.setHgrow(Priority.ALWAYS);
        ColumnConstraints value = new ColumnConstraints(64);
        grid.getColumnConstraints().setAll(new ColumnConstraints(90), control, value);
        int row = 0;
        for (Setting<?> s : Settings.ALL) {
            for (Setting.Group g : groups) {
                if (s.group() == g) {
                    addRow(grid, row++, s);
                }
            }
        }
    }

    private <T> void addRow(GridPane grid, int row, Setting<T> s) {
        Label label = new Label(s.label());
        Tooltip tip = new Tooltip(describe(s));
        tip.setWrapText(true);
        tip.setMaxWidth(420);
        label.setTooltip(tip);
        vm.pendingProperty(s).addListener((o, was, now) -> {
            if (now) {
                label.getStyleClass().add("pending");
            } else {
                label.getStyleClass().remove("pending");
            }
        });
        label.disableProperty().bind(vm.appliesProperty(s).not());
        grid.add(label, 0, row);
        Control[] controls;
        if (!s.choices().isEmpty()) {
            controls = new Control[] {combo(s)};
        } else if (s.type() == Double.class && s.logScale()) {
            TextField field = field(s);
            field.setPrefColumnCount(5);
            controls = new Control[] {logSlider(s), field};
        } else if (s.type() == Integer.class) {
            controls = new Control[] {spinner(s)};
        } else {
            controls = new Control[] {field(s)};
        }
        for (int i = 0; i < controls.length; i++) {
            Control c = controls[i];
            c.setTooltip(tip);
            c.setMaxWidth(Double.MAX_VALUE);
            c.disableProperty().bind(vm.appliesProperty(s).not());
            c.setId(s.id() + (i == 0 ? "" : "Field"));
            grid.add(c, 1 + i, row, controls.length == 1 ? 2 : 1, 1);
        }
    }

    /** The tooltip: the help text, then the range, the default and when a change acts. */
    static <T> String describe(Setting<T> s) {
        StringBuilder b = new StringBuilder(s.help());
        if (s.choices().isEmpty()) {
            b.append("\nRange ").append(Setting.number(s.min())).append(" to ").append(Setting.number(s.max()));
            b.append(s.optional() ? ", or auto" : "").append('.');
        }
        b.append(switch (s.effect(org.scorescope.model.ModelSpec.Kind.ENERGY)) {
            case LIVE -> " Acts at the next step.";
            case NEW_DATA -> " Draws new data.";
            case NEW_MODEL -> " Starts a new model.";
        });
        b.append(" Command line: ").append(s.option()).append('.');
        return b.toString();
    }

    private <T> ComboBox<T> combo(Setting<T> s) {
        ComboBox<T> box = new ComboBox<>(FXCollections.observableArrayList(s.choices()));
        box.setConverter(new StringConverter<>() {
            @Override
            public String toString(T t) {
                return t == null ? "" : s.format(t);
            }

            @Override
            public T fromString(String text) {
                return s.parse(text);
            }
        });
        box.setValue(vm.value(s).get());
        follow(box.valueProperty(), vm.value(s));
        return box;
    }

    /** A text field that shows the value and commits a typed one on Enter or when it loses focus. */
    private <T> TextField field(Setting<T> s) {
        ObjectProperty<T> p = vm.value(s);
        TextField field = new TextField(s.format(p.get()));
        p.addListener((o, was, now) -> field.setText(s.format(now)));
        Runnable commit = () -> {
            try {
                T v = s.parse(field.getText());
                if (!v.equals(p.get())) {
                    p.set(v);
                }
            } catch (IllegalArgumentException e) {
                onInputError.accept(s.label() + ": " + e.getMessage().substring(e.getMessage().indexOf(": ") + 2));
            }
            field.setText(s.format(p.get()));
        };
        field.setOnAction(e -> commit.run());
        field.focusedProperty().addListener((o, was, now) -> {
            if (!now) {
                commit.run();
            }
        });
        return field;
    }

    /**
     * A slider over log₁₀ of the value; a drag lands on two significant digits (3e-3, not
     * 3.1e-3) and acts when released.
     */
    private Slider logSlider(Setting<?> setting) {
        @SuppressWarnings("unchecked")
        Setting<Double> s = (Setting<Double>) setting;
        ObjectProperty<Double> p = vm.value(s);
        double lo = Math.log10(Math.max(s.min(), 1e-12));
        double hi = Math.log10(s.max());
        Slider slider = new Slider(lo, hi, Math.log10(p.get()));
        boolean[] updating = {false};
        p.addListener((o, was, now) -> {
            if (!slider.isValueChanging()) {
                updating[0] = true;
                slider.setValue(Math.log10(now));
                updating[0] = false;
            }
        });
        Runnable commit = () -> {
            double v = Math.min(s.max(), Math.max(s.min(), twoDigits(Math.pow(10, slider.getValue()))));
            if (!Double.valueOf(v).equals(p.get())) {
                p.set(v);
            }
        };
        slider.valueChangingProperty().addListener((o, was, now) -> {
            if (!now) {
                commit.run();
            }
        });
        slider.valueProperty().addListener((o, was, now) -> {
            if (!updating[0] && !slider.isValueChanging()) {
                commit.run(); // keyboard and clicks on the track
            }
        });
        return slider;
    }

    /** An editable spinner; on a log scale the arrows double and halve. */
    private Spinner<Integer> spinner(Setting<?> setting) {
        @SuppressWarnings("unchecked")
        Setting<Integer> s = (Setting<Integer>) setting;
        ObjectProperty<Integer> p = vm.value(s);
        int min = (int) s.min();
        int max = (int) s.max();
        SpinnerValueFactory<Integer> f = new SpinnerValueFactory<>() {
            @Override
            public void decrement(int steps) {
                move(-steps);
            }

            @Override
            public void increment(int steps) {
                move(steps);
            }

            private void move(int steps) {
                long v = getValue();
                long next = s.logScale() ? (steps > 0 ? v << Math.min(steps, 20) : v >> Math.min(-steps, 20)) : v + steps;
                setValue((int) Math.max(min, Math.min(max, next)));
            }
        };
        f.setConverter(new StringConverter<>() {
            @Override
            public String toString(Integer v) {
                return v == null ? "" : Integer.toString(v);
            }

            @Override
            public Integer fromString(String text) {
                try {
                    return s.parse(text.replace("_", "").replace(",", ""));
                } catch (IllegalArgumentException e) {
                    onInputError.accept(s.label() + ": " + e.getMessage().substring(e.getMessage().indexOf(": ") + 2));
                    return f.getValue();
                }
            }
        });
        f.setValue(p.get());
        follow(f.valueProperty(), p);
        Spinner<Integer> sp = new Spinner<>(f);
        sp.setEditable(true);
        sp.focusedProperty().addListener((o, was, now) -> {
            if (!now) {
                sp.increment(0); // commits typed text
            }
        });
        return sp;
    }

    /**
     * Keeps a control's value and a view-model property in step both ways. Unlike a bidirectional
     * binding, a value the view-model puts back while the control's change is being delivered (a
     * cancelled confirmation) reaches the control too.
     */
    private static <T> void follow(Property<T> control, Property<T> model) {
        control.addListener((o, was, now) -> {
            if (!Objects.equals(now, model.getValue())) {
                model.setValue(now);
            }
            if (!Objects.equals(control.getValue(), model.getValue())) {
                control.setValue(model.getValue());
            }
        });
        model.addListener((o, was, now) -> {
            if (!Objects.equals(control.getValue(), now)) {
                control.setValue(now);
            }
        });
    }

    /** @return v rounded to two significant digits */
    static double twoDigits(double v) {
        if (v == 0 || !Double.isFinite(v)) {
            return v;
        }
        double scale = Math.pow(10, Math.floor(Math.log10(Math.abs(v))) - 1);
        return Double.parseDouble(String.format(Locale.ROOT, "%.1e", Math.round(v / scale) * scale));
    }
}
