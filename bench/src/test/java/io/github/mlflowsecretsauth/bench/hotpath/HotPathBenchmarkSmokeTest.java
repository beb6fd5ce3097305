package io.github.mlflowsecretsauth.bench.hotpath;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.Collection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CI's only check of the benchmarks: the JMH harness is generated and one benchmark runs briefly in
 * this JVM. It asserts that the benchmark ran, never how fast.
 */
class HotPathBenchmarkSmokeTest {

    @Test
    void headersForBenchmark_runsOneShortIteration() throws Exception {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(HotPathBenchmark.class.getName() + "\\.headersFor$")
                .forks(0).warmupIterations(0).measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100)).threads(1).build()).run();

        assertThat(results).hasSize(1);
        assertThat(results.iterator().next().getPrimaryResult().getSampleCount()).isPositive();
    }
}
