package org.adam.sfu.it;

import java.util.ArrayList;
import java.util.List;

/** The external clients a test started, closed (each leaving its call) before the nodes they use. */
final class ExternalClients implements AutoCloseable {

    private final List<ExternalClient> started = new ArrayList<>();

    ExternalClient add(ExternalClient client) {
        started.add(client);
        return client;
    }

    @Override
    public void close() throws InterruptedException {
        for (ExternalClient client : started) {
            client.close();
        }
        started.clear();
    }
}
