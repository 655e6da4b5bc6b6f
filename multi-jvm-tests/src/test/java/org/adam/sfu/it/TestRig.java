package org.adam.sfu.it;

import java.util.List;

/** The real processes one end-to-end test class runs against: node JVMs and one browser. */
final class TestRig implements AutoCloseable {

    private final NodeCluster cluster;
    private final NodeProcess single;
    private final BrowserDriver browser;

    private TestRig(NodeCluster cluster, NodeProcess single, BrowserDriver browser) {
        this.cluster = cluster;
        this.single = single;
        this.browser = browser;
    }

    /** Several nodes in one cluster (see {@link NodeCluster#start}) and a browser. */
    static TestRig cluster(int basePort, List<String> ids, String... nodeArgs) throws Exception {
        NodeCluster cluster = NodeCluster.start(basePort, ids, nodeArgs);
        try {
            return new TestRig(cluster, null, BrowserDriver.start());
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
    }

    /** One node on its own (started with {@code nodeArgs}) and a browser. */
    static TestRig single(String nodeId, int httpPort, int mediaPort, String... nodeArgs) throws Exception {
        NodeProcess node = NodeProcess.start(nodeId, httpPort, mediaPort, nodeArgs);
        try {
            return new TestRig(null, node, BrowserDriver.start());
        } catch (Exception e) {
            node.close();
            throw e;
        }
    }

    NodeCluster cluster() {
        return cluster;
    }

    NodeProcess node() {
        return single;
    }

    BrowserDriver browser() {
        return browser;
    }

    static void close(TestRig rig) throws Exception {
        if (rig != null) {
            rig.close();
        }
    }

    @Override
    public void close() throws Exception {
        try {
            browser.close();
        } finally {
            if (cluster != null) {
                cluster.close();
            }
            if (single != null) {
                single.close();
            }
        }
    }
}
