package org.adam.sfu.webrtc.transport;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.tls.DatagramTransport;

/**
 * The far side of an ICE-TCP connection, as a browser's active TCP candidate is: a plain socket
 * on loopback that writes and reads RFC 4571 frames. A reader thread queues the frames the node
 * sends, and notes when the node closes the connection.
 */
final class FramedTcpPeer implements AutoCloseable {

    private static final byte[] CLOSED = new byte[0];

    private final Socket socket;
    private final OutputStream out;
    private final LinkedBlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
    private volatile boolean closedByNode;

    FramedTcpPeer(InetSocketAddress node) throws IOException {
        socket = new Socket();
        socket.connect(node, 2000);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        Thread reader = new Thread(this::read, "framed-tcp-peer");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            while (true) {
                byte[] frame = new byte[in.readUnsignedShort()];
                in.readFully(frame);
                frames.add(frame);
            }
        } catch (EOFException e) {
            closedByNode = true;
        } catch (IOException e) {
            // reset by the node, or closed here
            closedByNode = !socket.isClosed();
        }
        frames.add(CLOSED);
    }

    void sendFrame(byte[] payload) throws IOException {
        byte[] framed = new byte[2 + payload.length];
        framed[0] = (byte) (payload.length >> 8);
        framed[1] = (byte) payload.length;
        System.arraycopy(payload, 0, framed, 2, payload.length);
        sendRaw(framed);
    }

    /** Bytes as they are, framed or not. */
    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next frame from the node within {@code timeout}, or null (none, or the node closed). */
    byte[] nextFrame(Duration timeout) throws InterruptedException {
        byte[] frame = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (frame == CLOSED) {
            frames.add(CLOSED);
            return null;
        }
        return frame;
    }

    /** Whether the node closes this connection within {@code timeout}. */
    boolean awaitClosedByNode(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && !closedByNode) {
            byte[] frame = frames.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
            if (frame == CLOSED) {
                frames.add(CLOSED);
                break;
            }
        }
        return closedByNode;
    }

    boolean closedByNode() {
        return closedByNode;
    }

    /** DTLS over this connection, one record flight per frame (STUN frames in between are skipped). */
    DatagramTransport datagramTransport() {
        return new DatagramTransport() {
            @Override
            public int getReceiveLimit() {
                return 65535;
            }

            @Override
            public int getSendLimit() {
                return 1200;
            }

            @Override
            public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
                try {
                    while (true) {
                        byte[] frame = nextFrame(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                        if (frame == null) {
                            if (closedByNode) {
                                throw new EOFException("the node closed the connection");
                            }
                            throw new SocketTimeoutException();
                        }
                        if ((frame[0] & 0xFF) <= 3) {
                            continue; // STUN
                        }
                        int n = Math.min(len, frame.length);
                        System.arraycopy(frame, 0, buf, off, n);
                        return n;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }

            @Override
            public void send(byte[] buf, int off, int len) throws IOException {
                byte[] copy = new byte[len];
                System.arraycopy(buf, off, copy, 0, len);
                sendFrame(copy);
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
