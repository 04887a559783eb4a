package io.tcphealth.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.tcphealth.operator.config.InvalidSettingsException;
import io.tcphealth.operator.config.OperatorOptions;
import io.tcphealth.operator.config.OperatorSettings;
import io.tcphealth.operator.metrics.MetricsServer;
import io.tcphealth.operator.metrics.OperatorMetrics;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Entry point: reads and checks the configuration, then runs the operator until the JVM is stopped. */
@Command(
        name = "tcphealth-operator",
        mixinStandardHelpOptions = true,
        description = "Runs tcphealth agents where TcpHealthPolicies apply and aggregates what they find.")
public final class OperatorMain implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);
    /** Exit code for a configuration that cannot work; Kubernetes shows it with the message in the log. */
    static final int BAD_CONFIGURATION = 2;

    @Mixin
    OperatorOptions options = new OperatorOptions();

    public static void main(String[] args) {
        System.exit(new CommandLine(new OperatorMain()).execute(args));
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        OperatorSettings settings;
        try {
            settings = options.toSettings();
        } catch (InvalidSettingsException e) {
            System.err.println(e.getMessage());
            return BAD_CONFIGURATION;
        }
        OperatorMetrics metrics = new OperatorMetrics();
        MetricsServer server =
                settings.metricsPort() == 0 ? null : new MetricsServer(settings.metricsPort(), metrics::scrape);
        KubernetesClient client = new KubernetesClientBuilder().build();
        TcpHealthOperator operator = new TcpHealthOperator(client, settings, metrics, Clock.systemUTC(), true);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            LOG.info("Stopping the tcphealth operator");
                            operator.close();
                            if (server != null) {
                                server.close();
                            }
                            client.close();
                            stopped.countDown();
                        },
                        "shutdown"));
        operator.start();
        LOG.info(
                "Started the tcphealth operator in namespace {} with agent image {}{}",
                settings.namespace(),
                settings.agent().image(),
                server == null ? "" : "; metrics on port " + server.port());
        stopped.await();
        return 0;
    }
}
