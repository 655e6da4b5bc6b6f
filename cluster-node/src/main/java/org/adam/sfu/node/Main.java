package org.adam.sfu.node;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** `java -jar sfu-node.jar [options]`: starts one SFU node. */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    public static void main(String[] args) {
        CommandLine.Parsed parsed;
        NodeConfig config;
        try {
            parsed = CommandLine.parse(args);
            if (parsed.help()) {
                System.out.println(CommandLine.usage());
                return;
            }
            config = NodeConfig.load(parsed);
        } catch (RuntimeException e) {
            System.err.println("sfu-node: " + e.getMessage());
            System.err.println(CommandLine.usage());
            System.exit(2);
            return;
        }
        try {
            // The actor system's coordinated shutdown owns the JVM shutdown hook (SIGTERM).
            SfuNodeRuntime.start(config);
        } catch (PublicAddressDiscovery.Failed e) {
            System.err.println("sfu-node: " + e.getMessage());
            System.exit(3);
        } catch (Exception e) {
            LOG.error("node failed to start", e);
            System.exit(1);
        }
    }

    private Main() {
    }
}
