package org.adam.sfu.bench.load.client;

import java.security.SecureRandom;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import org.adam.sfu.bench.load.TargetPolicy;
import org.adam.sfu.webrtc.dtls.DtlsCertificate;
import org.adam.sfu.webrtc.dtls.DtlsHandshakePool;

/**
 * What every simulated client shares: a small event-loop group that owns all their sockets,
 * SRTP contexts and pacing (so nothing per packet needs a lock), a pool for BouncyCastle's
 * blocking DTLS handshakes, and one DTLS certificate (a browser makes one per connection; the
 * node cannot tell, and generating hundreds would only slow the start).
 */
public final class ClientRuntime implements AutoCloseable {

    private final EventLoopGroup loops;
    private final boolean epoll;
    /** Many simulated clients start at once; each handshake holds a thread only while it runs. */
    private final DtlsHandshakePool handshakes = new DtlsHandshakePool(64, 4096);
    private final DtlsCertificate certificate = DtlsCertificate.generate();
    private final SecureRandom random = new SecureRandom();
    private final TargetPolicy targets;
    private final String bindHost;

    /** Clients on loopback. */
    public ClientRuntime(int eventLoops, TargetPolicy targets) {
        this(eventLoops, targets, "127.0.0.1");
    }

    /** @param bindHost the local address every client socket binds (and puts in its candidate) */
    public ClientRuntime(int eventLoops, TargetPolicy targets, String bindHost) {
        this.targets = targets;
        this.bindHost = bindHost;
        this.epoll = Epoll.isAvailable();
        this.loops = new MultiThreadIoEventLoopGroup(eventLoops, daemonThreads("load-loop"),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    EventLoopGroup loops() {
        return loops;
    }

    boolean epoll() {
        return epoll;
    }

    DtlsHandshakePool handshakes() {
        return handshakes;
    }

    public DtlsCertificate certificate() {
        return certificate;
    }

    /** Which addresses the clients may send to: no datagram leaves for any other. */
    public TargetPolicy targets() {
        return targets;
    }

    public String bindHost() {
        return bindHost;
    }

    public SecureRandom random() {
        return random;
    }

    @Override
    public void close() {
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        handshakes.close();
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
