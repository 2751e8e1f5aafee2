package org.scorescope.train;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.scorescope.model.ModelSpec;

/**
 * The one description of a training setting: its id (the key in session JSON and presets), its
 * command-line option, label, group, type and range, its default (per model kind where that
 * differs), its effect (acts live, or needs new data or a new model), when it applies, and its help
 * text. The view-model's properties and validation, the session format, the {@code train} options,
 * the tooltips and the presets are all derived from these descriptions ({@link Settings#ALL}).
 *
 * <p>Values are {@link Integer}, {@link Long}, {@link Double} or an enum constant. A real setting may
 * be <em>optional</em>: NaN then means "automatic" (written as JSON null, {@code auto} on the command
 * line).
 *
 * @param <T> the value type
 */
public final class Setting<T> {
    /** The panel a setting belongs to; also the record of {@link TrainingConfig} that holds it. */
    public enum Group { DATA, MODEL, OBJECTIVE, OPTIMIZER, RUN }

    /** What changing a setting does to a running session. */
    public enum Effect {
        /** Acts from the next training step on. */
        LIVE,
        /** Needs fresh data (and so a fresh model). */
        NEW_DATA,
        /** Needs a fresh model (the architecture changes). */
        NEW_MODEL
    }

    private final String id;
    private final String option;
    private final String label;
    private final Group group;
    private final Effect effect;
    private final Map<ModelSpec.Kind, Effect> perKindEffect;
    private final Class<T> type;
    private final T fallback;
    private final Map<ModelSpec.Kind, T> perKind;
    private final Map<TrainingConfig.ObjectiveKind, T> perObjective;
    private final double min;
    private final double max;
    private final boolean optional;
    private final boolean logScale;
    private final List<T> choices;
    private final Function<T, String> names;
    private final Predicate<TrainingConfig> appliesTo;
    private final String help;

    private Setting(Builder<T> b) {
        this.id = b.id;
        this.option = b.option;
        this.label = b.label;
        this.group = b.group;
        this.effect = b.effect;
        this.perKindEffect = b.perKindEffect.isEmpty() ? Map.of() : new EnumMap<>(b.perKindEffect);
        this.type = b.type;
        this.fallback = b.fallback;
        this.perKind = b.perKind.isEmpty() ? Map.of() : new EnumMap<>(b.perKind);
        this.perObjective = b.perObjective.isEmpty() ? Map.of() : new EnumMap<>(b.perObjective);
        this.min = b.min;
        this.max = b.max;
        this.optional = b.optional;
        this.logScale = b.logScale;
        this.choices = b.choices;
        this.names = b.names;
        this.appliesTo = b.appliesTo;
        this.help = b.help;
        check(fallback);
        perKind.values().forEach(this::check);
        perObjective.values().forEach(this::check);
    }

    /** Starts an integer setting with the inclusive range [min, max]. */
    static Builder<Integer> integer(String id, String option, int min, int max, int fallback) {
        return new Builder<>(id, option, Integer.class, fallback, min, max, null, null);
    }

    /** Starts a long-integer setting (seeds) with the inclusive range [min, max]. */
    static Builder<Long> longInteger(String id, String option, long min, long max, long fallback) {
        return new Builder<>(id, option, Long.class, fallback, min, max, null, null);
    }

    /** Starts a real setting with the inclusive range [min, max]. */
    static Builder<Double> real(String id, String option, double min, double max, double fallback) {
        return new Builder<>(id, option, Double.class, fallback, min, max, null, null);
    }

    /** Starts a choice among enum constants, named by {@code names} in files and on the command line. */
    static <E extends Enum<E>> Builder<E> choice(String id, String option, Class<E> type, E fallback,
            Function<E, String> names) {
        return new Builder<>(id, option, type, fallback, Double.NaN, Double.NaN,
                List.of(type.getEnumConstants()), names);
    }

    /** @return the id: the key in session JSON and presets, e.g. {@code learningRate} */
    public String id() {
        return id;
    }

    /** @return the command-line option, e.g. {@code --lr} */
    public String option() {
        return option;
    }

    /** @return the label shown beside the control */
    public String label() {
        return label;
    }

    /** @return the panel / configuration group */
    public Group group() {
        return group;
    }

    /** @return what a change does to a running session with a model of this kind */
    public Effect effect(ModelSpec.Kind kind) {
        return perKindEffect.getOrDefault(kind, effect);
    }

    /** @return the value type */
    public Class<T> type() {
        return type;
    }

    /** @return the smallest allowed value (numeric settings) */
    public double min() {
        return min;
    }

    /** @return the largest allowed value (numeric settings) */
    public double max() {
        return max;
    }

    /** @return true for a real setting whose NaN value means "automatic" */
    public boolean optional() {
        return optional;
    }

    /** @return true when a slider for it should move on a logarithmic scale */
    public boolean logScale() {
        return logScale;
    }

    /** @return the allowed values of a choice, empty for numbers */
    public List<T> choices() {
        return choices == null ? List.of() : choices;
    }

    /** @return the help text (tooltips, {@code --help}) */
    public String help() {
        return help;
    }

    /**
     * The default under a model kind and a loss: the loss's own default where it has one (a denoising
     * loss wants a larger batch), else the kind's, else the common default.
     *
     * @return the default for a model of this kind trained with this loss
     */
    public T defaultFor(ModelSpec.Kind kind, TrainingConfig.ObjectiveKind objective) {
        T byObjective = perObjective.get(objective);
        return byObjective != null ? byObjective : perKind.getOrDefault(kind, fallback);
    }

    /** @return the default under the kind's own default loss */
    public T defaultFor(ModelSpec.Kind kind) {
        return defaultFor(kind, Settings.OBJECTIVE.perKind.getOrDefault(kind, Settings.OBJECTIVE.fallback));
    }

    /** @return true when the default depends on the model kind */
    public boolean hasPerKindDefault() {
        return !perKind.isEmpty();
    }

    /** @return true when the default depends on the loss */
    public boolean hasPerObjectiveDefault() {
        return !perObjective.isEmpty();
    }

    /** @return true when this setting means something under {@code config} (e.g. momentum only for SGD) */
    public boolean appliesTo(TrainingConfig config) {
        return appliesTo.test(config);
    }

    /**
     * Checks a value's type and range.
     *
     * @return the value
     * @throws IllegalArgumentException naming the setting, the value and the allowed range
     */
    public T check(Object value) {
        if (!type.isInstance(value)) {
            throw new IllegalArgumentException(id + ": expected " + describeType() + ", found " + value);
        }
        T v = type.cast(value);
        if (choices == null) {
            double d = ((Number) v).doubleValue();
            boolean auto = optional && Double.isNaN(d);
            if (!auto && !(d >= min && d <= max)) {
                throw new IllegalArgumentException(id + ": " + format(v) + " is outside [" + number(min) + ", "
                        + number(max) + "]");
            }
        }
        return v;
    }

    /**
     * Parses the text form (command line, presets): numbers, {@code auto} for an optional real,
     * or a choice's name.
     *
     * @throws IllegalArgumentException naming the setting and what it accepts
     */
    public T parse(String text) {
        String t = text.trim();
        if (choices != null) {
            for (T c : choices) {
                if (names.apply(c).equalsIgnoreCase(t)) {
                    return c;
                }
            }
            throw new IllegalArgumentException(id + ": '" + text + "' is not one of "
                    + choices.stream().map(names).collect(Collectors.joining(", ")));
        }
        try {
            if (type == Integer.class) {
                return check(Integer.valueOf(t));
            }
            if (type == Long.class) {
                return check(Long.valueOf(t));
            }
            if (optional && t.equalsIgnoreCase("auto")) {
                return type.cast(Double.NaN);
            }
            double d = Double.parseDouble(t);
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return check(d);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(id + ": '" + text + "' is not " + describeType());
        }
    }

    /** @return the text form of a value, the inverse of {@link #parse} (integers without a decimal point) */
    public String format(T value) {
        if (choices != null) {
            return names.apply(value);
        }
        if (optional && Double.isNaN(((Number) value).doubleValue())) {
            return "auto";
        }
        return value instanceof Double d ? number(d) : value.toString();
    }

    private String describeType() {
        if (choices != null) {
            return "one of " + choices.stream().map(names).collect(Collectors.joining(", "));
        }
        if (type == Double.class) {
            return optional ? "a number or auto" : "a number";
        }
        return "an integer";
    }

    /** @return shortest round-trip text of d, without a trailing ".0" on whole numbers */
    public static String number(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        String s = Double.toString(d);
        int e = s.indexOf('E');
        // 1e-8 rather than 1.0E-8
        return e < 0 ? s : s.substring(0, e).replaceAll("\\.0$", "") + "e" + s.substring(e + 1);
    }

    @Override
    public String toString() {
        return id;
    }

    /** @return the lower-case, dash-separated name of an enum constant, e.g. {@code sliced-vr} */
    static String lowerDash(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Fluent construction of a setting; {@link Settings} declares every one.
     *
     * @param <T> the value type
     */
    static final class Builder<T> {
        private final String id;
        private final String option;
        private final Class<T> type;
        private final T fallback;
        private final double min;
        private final double max;
        private final List<T> choices;
        private final Function<T, String> names;
        private final Map<ModelSpec.Kind, T> perKind = new EnumMap<>(ModelSpec.Kind.class);
        private final Map<ModelSpec.Kind, Effect> perKindEffect = new EnumMap<>(ModelSpec.Kind.class);
        private final Map<TrainingConfig.ObjectiveKind, T> perObjective =
                new EnumMap<>(TrainingConfig.ObjectiveKind.class);
        private String label;
        private Group group;
        private Effect effect = Effect.LIVE;
        private boolean optional;
        private boolean logScale;
        private Predicate<TrainingConfig> appliesTo = c -> true;
        private String help = "";

        private Builder(String id, String option, Class<T> type, T fallback, double min, double max, List<T> choices,
                Function<T, String> names) {
            this.id = id;
            this.option = option;
            this.type = type;
            this.fallback = fallback;
            this.min = min;
            this.max = max;
            this.choices = choices;
            this.names = names;
            this.label = id;
        }

        Builder<T> label(String l, Group g) {
            this.label = l;
            this.group = g;
            return this;
        }

        Builder<T> effect(Effect e) {
            this.effect = e;
            return this;
        }

        Builder<T> effectFor(ModelSpec.Kind kind, Effect e) {
            perKindEffect.put(kind, e);
            return this;
        }

        Builder<T> forKind(ModelSpec.Kind kind, T value) {
            perKind.put(kind, value);
            return this;
        }

        Builder<T> forObjective(TrainingConfig.ObjectiveKind objective, T value) {
            perObjective.put(objective, value);
            return this;
        }

        Builder<T> optional() {
            this.optional = true;
            return this;
        }

        Builder<T> log() {
            this.logScale = true;
            return this;
        }

        Builder<T> appliesWhen(Predicate<TrainingConfig> p) {
            this.appliesTo = p;
            return this;
        }

        Builder<T> help(String h) {
            this.help = h;
            return this;
        }

        Setting<T> build() {
            if (group == null) {
                throw new IllegalStateException(id + ": no group");
            }
            return new Setting<>(this);
        }
    }
}
