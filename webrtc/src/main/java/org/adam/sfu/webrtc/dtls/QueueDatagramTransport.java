package org.adam.sfu.webrtc.dtls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.bouncycastle.tls.DatagramTransport;

/**
 * Bridges the network's push of datagrams into BouncyCastle's pull: the media loop offers
 * datagrams to a small bounded queue (dropping and counting when it is full, never blocking).
 *
 * <p>During the handshake BouncyCastle's thread takes them, waiting as long as BouncyCastle asks
 * (that wait is its retransmission timer). After it, {@link #stopWaiting} turns the pull into a
 * non-blocking one: an empty queue ends BouncyCastle's read with {@link Drained}, an
 * {@link InterruptedIOException}, which BouncyCastle passes up without failing the association,
 * so whichever thread delivered the datagrams processes them and returns.
 */
final class QueueDatagramTransport implements DatagramTransport {

    static final int QUEUE_CAPACITY = 64;
    /** DTLS record header (13) plus IP and UDP headers (48 for IPv6+UDP) beyond the payload MTU. */
    private static final int RECORD_OVERHEAD = 13;
    /** Put in the queue on close, so that a handshake waiting for a datagram wakes up at once. */
    private static final byte[] CLOSED = new byte[0];

    private final ArrayBlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final DtlsOutput output;
    private final int mtu;
    private final LongAdder dropped = new LongAdder();
    private volatile boolean closed;
    private volatile boolean nonBlocking;

    /** Nothing more is queued: the end of a non-blocking read, not an error. */
    static final class Drained extends InterruptedIOException {
        private static final long serialVersionUID = 1L;

        Drained() {
            super("no datagram queued");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this; // control flow, not a failure: no stack to record
        }
    }

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

    /** A datagram that was not offered (it could not start a handshake). */
    void countDropped() {
        dropped.increment();
    }

    boolean hasQueued() {
        return !queue.isEmpty();
    }

    long dropped() {
        return dropped.sum();
    }

    /** From now on {@link #receive} never waits (the handshake is over). */
    void stopWaiting() {
        nonBlocking = true;
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
        byte[] datagram;
        if (nonBlocking) {
            datagram = queue.poll();
            if (datagram == null || datagram == CLOSED) {
                throw new Drained();
            }
        } else {
            if (closed) {
                throw new IOException("transport closed");
            }
            try {
                datagram = queue.poll(waitMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            if (datagram == CLOSED || (datagram == null && closed)) {
                throw new IOException("transport closed");
            }
            if (datagram == null) {
                return -1;
            }
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

    /** Drops what is queued and wakes a handshake waiting for a datagram. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.clear();
        queue.offer(CLOSED);
    }

    boolean isClosed() {
        return closed;
    }
}
