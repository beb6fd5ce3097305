package io.github.mlflowsecretsauth.bench.report;

import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;

/** Order statistics of a sample, and the "median [min–max]" form the report uses. Immutable. */
public final class Stats {
    private final double[] sorted;

    private Stats(double[] values) {
        this.sorted = values.clone();
        Arrays.sort(sorted);
    }

    public static Stats of(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        return new Stats(values);
    }

    public static Stats of(Collection<? extends Number> values) {
        return of(values.stream().mapToDouble(Number::doubleValue).toArray());
    }

    public static Stats ofNanos(long[] values) {
        return of(Arrays.stream(values).asDoubleStream().toArray());
    }

    /** The nearest-rank percentile, {@code p} in 0..100. */
    public double percentile(double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }

    public double median() {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    public double min() {
        return sorted[0];
    }

    public double max() {
        return sorted[sorted.length - 1];
    }

    public int count() {
        return sorted.length;
    }

    /** {@code median [min–max]}, each formatted with {@code format}. */
    public String spread(String format) {
        if (sorted.length == 1) {
            return fmt(format, median());
        }
        return fmt(format, median()) + " [" + fmt(format, min()) + "–" + fmt(format, max()) + "]";
    }

    public static String fmt(String format, double v) {
        return String.format(Locale.ROOT, format, v);
    }
}
