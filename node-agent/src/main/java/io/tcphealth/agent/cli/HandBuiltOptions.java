package io.tcphealth.agent.cli;

import java.util.function.Consumer;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Picocli command models built by hand, for the commands a person runs once and waits for. Picocli reads annotations
 * through reflection, and the JDK makes a proxy class for every annotation type it reads: together about a third of
 * an idle {@code diagnose}'s run time, even with the start-up cache. A model built here reads no annotation at all.
 */
final class HandBuiltOptions {
    private HandBuiltOptions() {}

    /**
     * An option bound to a field: {@code get} reads it and {@code set} writes it (picocli reads a list before it adds
     * to it, so a repeated option keeps every value).
     */
    static <V> OptionSpec.Builder option(Supplier<V> get, Consumer<V> set, String... names) {
        Field<V> field = new Field<>(get, set);
        return OptionSpec.builder(names).getter(field).setter(field);
    }

    /** {@code -h/--help} and {@code -V/--version} (from the jar's manifest), as {@code mixinStandardHelpOptions} would. */
    static CommandSpec withStandardHelp(CommandSpec spec) {
        return spec.versionProvider(new Version())
                .addOption(OptionSpec.builder("-h", "--help")
                        .usageHelp(true)
                        .description("Show this help message and exit.")
                        .build())
                .addOption(OptionSpec.builder("-V", "--version")
                        .versionHelp(true)
                        .description("Print version information and exit.")
                        .build());
    }

    private record Field<V>(Supplier<V> reader, Consumer<V> writer) implements IGetter, ISetter {
        @Override
        @SuppressWarnings("unchecked")
        public <T> T get() {
            return (T) reader.get();
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T set(T value) {
            T previous = (T) reader.get();
            writer.accept((V) value);
            return previous;
        }
    }
}
