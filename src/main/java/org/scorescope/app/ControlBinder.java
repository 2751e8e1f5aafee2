package org.scorescope.app;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.Property;
import javafx.collections.ObservableList;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.util.StringConverter;

/**
 * Binds the view panel's plain controls (combo boxes, spinners, sliders) to view-model properties;
 * the training settings' controls are built by {@link SettingsForm}. A typed value that cannot be
 * read is reported and the control keeps its value.
 */
final class ControlBinder {
    private final Consumer<String> onInputError;
    /** Adapters of bidirectional bindings are weakly held by JavaFX; keep them alive. */
    private final List<Object> keep = new ArrayList<>();

    ControlBinder(Consumer<String> onInputError) {
        this.onInputError = onInputError;
    }

    static <T> void combo(ComboBox<T> box, ObservableList<T> items, Property<T> prop, Function<T, String> name) {
        box.setItems(items);
        box.setConverter(new StringConverter<>() {
            @Override
            public String toString(T t) {
                return t == null ? "" : name.apply(t);
            }

            @Override
            public T fromString(String s) {
                for (T t : items) {
                    if (name.apply(t).equals(s)) {
                        return t;
                    }
                }
                return null;
            }
        });
        box.valueProperty().bindBidirectional(prop);
    }

    void intSpinner(Spinner<Integer> sp, IntegerProperty prop, int min, int max, int step) {
        SpinnerValueFactory.IntegerSpinnerValueFactory f =
                new SpinnerValueFactory.IntegerSpinnerValueFactory(min, max, prop.get(), step);
        f.setConverter(new StringConverter<>() {
            @Override
            public String toString(Integer v) {
                return v == null ? "" : Integer.toString(v);
            }

            @Override
            public Integer fromString(String s) {
                try {
                    return Integer.valueOf(s.trim().replace("_", "").replace(",", ""));
                } catch (NumberFormatException e) {
                    onInputError.accept("\"" + s + "\" is not a whole number between " + min + " and " + max);
                    return f.getValue();
                }
            }
        });
        sp.setValueFactory(f);
        Property<Integer> adapter = prop.asObject();
        keep.add(adapter);
        f.valueProperty().bindBidirectional(adapter);
        commitOnFocusLoss(sp);
    }

    private static void commitOnFocusLoss(Spinner<?> sp) {
        sp.focusedProperty().addListener((o, was, now) -> {
            if (!now) {
                sp.increment(0);
            }
        });
    }

    static void slider(Slider s, Label value, DoubleProperty prop, Function<Double, String> fmt) {
        s.valueProperty().bindBidirectional(prop);
        value.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> fmt.apply(prop.get()), prop));
    }
}
