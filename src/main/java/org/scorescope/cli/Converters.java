package org.scorescope.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.scorescope.autodiff.Activation;
import org.scorescope.autodiff.Probe;
import org.scorescope.data.ToyDataset;
import org.scorescope.model.ModelSpec;
import org.scorescope.train.TrainingConfig;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli converters for the names used on the command line (the same names as in the JSON files). */
final class Converters {
    private Converters() {
    }

    private static <E extends Enum<E>> E byName(Class<E> type, String value, java.util.function.Function<E, String> id) {
        for (E e : type.getEnumConstants()) {
            if (id.apply(e).equalsIgnoreCase(value)) {
                return e;
            }
        }
        throw new TypeConversionException("'" + value + "' is not one of "
                + Arrays.stream(type.getEnumConstants()).map(id).collect(Collectors.joining(", ")));
    }

    static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Dataset names: 8gaussians, moons, … */
    static final class DatasetConverter implements ITypeConverter<ToyDataset> {
        @Override
        public ToyDataset convert(String v) {
            return byName(ToyDataset.class, v, ToyDataset::id);
        }
    }

    /** Model kinds: energy, score, … */
    static final class KindConverter implements ITypeConverter<ModelSpec.Kind> {
        @Override
        public ModelSpec.Kind convert(String v) {
            return byName(ModelSpec.Kind.class, v, ModelSpec.Kind::id);
        }
    }

    /** Activations: softplus, tanh, … */
    static final class ActivationConverter implements ITypeConverter<Activation> {
        @Override
        public Activation convert(String v) {
            return byName(Activation.class, v, Activation::jsonName);
        }
    }

    /** Objectives: exact, sliced, sliced-vr, denoising. */
    static final class ObjectiveConverter implements ITypeConverter<TrainingConfig.ObjectiveKind> {
        @Override
        public TrainingConfig.ObjectiveKind convert(String v) {
            return byName(TrainingConfig.ObjectiveKind.class, v, TrainingConfig.ObjectiveKind::id);
        }
    }

    /** Projections: gaussian, rademacher. */
    static final class ProbeConverter implements ITypeConverter<Probe> {
        @Override
        public Probe convert(String v) {
            return byName(Probe.class, v, Converters::lower);
        }
    }

    /** Optimizers: adam, sgd. */
    static final class OptimizerConverter implements ITypeConverter<TrainingConfig.OptimizerKind> {
        @Override
        public TrainingConfig.OptimizerKind convert(String v) {
            return byName(TrainingConfig.OptimizerKind.class, v, Converters::lower);
        }
    }

    /** Schedules: constant, cosine. */
    static final class ScheduleConverter implements ITypeConverter<TrainingConfig.Schedule> {
        @Override
        public TrainingConfig.Schedule convert(String v) {
            return byName(TrainingConfig.Schedule.class, v, Converters::lower);
        }
    }
}
