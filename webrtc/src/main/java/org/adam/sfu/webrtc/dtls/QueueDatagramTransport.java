package org.adam.sfu.webrtc.dtls;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.bouncycastle.tls.DatagramTransport;

/**
 * Bridges the network's push of datagrams into BouncyCastle's blocking pull: the media loop
 * offers datagrams to a small bounded queue (dropping and counting when it is full, never
 * blocking), and the handshake thread takes them.
 */
final class QueueDatagramTransport implements DatagramTransport {

    static final int QUEUE_CAPACITY = 64;
    /** DTLS record header (13) plus IP and UDP headers (48 for IPv6+UDP) beyond the payload MTU. */
    private static final int RECORD_OVERHEAD = 13;

    private final ArrayBlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final DtlsOutput output;
    private final int mtu;
    private final LongAdder dropped = new LongAdder();
    private volatile boolean closed;

    QueueDatagramTransport(DtlsOutput output, int mtu) {
        this.output = output;
        this.mtu = mtu;
    }

    /** From the network thread; never blocks. */
    void offer(byte[] datagram) {
        if (closed || !queue.offer(datagram)) {
            dropped.increment();
        }
    }

    long dropped() {
        return dropped.sum();
    }

    @Override
    public int getReceiveLimit() {
        return 2048;
    }

    @Override
    public int getSendLimit() {
        return mtu - RECORD_OVERHEAD;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (closed) {
            throw new IOException("transport closed");
        }
        byte[] datagram;
        try {
            datagram = queue.poll(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (datagram == null) {
            if (closed) {
                throw new IOException("transport closed");
            }
            return -1;
        }
        int length = Math.min(len, datagram.length);
        System.arraycopy(datagram, 0, buf, off, length);
        return length;
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("transport closed");
        }
        byte[] datagram = new byte[len];
        System.arraycopy(buf, off, datagram, 0, len);
        output.send(datagram);
    }

    @Override
    public void close() {
        closed = true;
        queue.clear();
    }

    boolean isClosed() {
        return closed;
    }
}
