package org.adam.sfu.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLException;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP port's TLS context, built from a certificate file and a key file, and built again when
 * they change (decision 0021): every reload interval a thread of its own compares the files'
 * modification time, size and identity with those last tried, never per connection. New
 * connections get the newest context; open ones keep the one they started with. Files that do not
 * load are logged once and the previous context stays.
 */
final class ServerTls implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);

    /** What a file looked like when it was last tried: a replacement changes one of these. */
    private record Stamp(FileTime modified, long size, Object identity) {
        static Stamp of(Path file) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                return new Stamp(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey());
            } catch (IOException e) {
                return new Stamp(null, -1, null); // missing or unreadable: a state of its own
            }
        }
    }

    private record Stamps(Stamp cert, Stamp key) {
    }

    private final Path certFile;
    private final Path keyFile;
    private volatile SslContext context;
    private volatile TlsCredentials credentials;
    /** The files as last tried, loaded or not; read and written under this object's lock. */
    private Stamps tried;
    private ScheduledExecutorService watcher;

    private ServerTls(Path certFile, Path keyFile) {
        this.certFile = certFile;
        this.keyFile = keyFile;
    }

    /**
     * Loads the files once; the node does not start when they do not load.
     *
     * @throws TlsCredentials.Unusable with the reason, for the operator
     */
    static ServerTls load(Path certFile, Path keyFile) throws TlsCredentials.Unusable {
        ServerTls tls = new ServerTls(certFile, keyFile);
        synchronized (tls) {
            tls.tried = tls.stamps();
            tls.install(TlsCredentials.read(certFile, keyFile), "loaded");
        }
        return tls;
    }

    /** Looks at the files every {@code interval} from now on, on a daemon thread of its own. */
    void watch(Duration interval) {
        watcher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tls-reload");
            thread.setDaemon(true);
            return thread;
        });
        watcher.scheduleWithFixedDelay(() -> {
            try {
                reloadIfChanged();
            } catch (RuntimeException e) {
                LOG.error("TLS reload check failed; the current certificate stays", e);
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The context for a new connection. */
    SslContext context() {
        return context;
    }

    TlsCredentials credentials() {
        return credentials;
    }

    /** @return whether new files were loaded */
    synchronized boolean reloadIfChanged() {
        Stamps now = stamps();
        if (now.equals(tried)) {
            return false;
        }
        tried = now;
        try {
            install(TlsCredentials.read(certFile, keyFile), "reloaded");
            return true;
        } catch (TlsCredentials.Unusable e) {
            // Often a renewal caught half-way (certificate written, key not yet): the next look
            // after the second file lands loads both.
            LOG.warn("TLS files changed but do not load, so the previous certificate stays: {}", e.getMessage());
            return false;
        }
    }

    private void install(TlsCredentials loaded, String how) throws TlsCredentials.Unusable {
        SslContext built;
        try {
            built = SslContextBuilder.forServer(loaded.key(), loaded.chain().toArray(new X509Certificate[0]))
                    .sslProvider(SslProvider.JDK)
                    .protocols("TLSv1.3", "TLSv1.2")
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new TlsCredentials.Unusable("the JDK's TLS refuses " + certFile + " with " + keyFile + ": "
                    + e.getMessage(), e);
        }
        context = built;
        credentials = loaded;
        X509Certificate leaf = loaded.leaf();
        LOG.info("TLS certificate {} from {}: {}, valid until {}, SHA-256 fingerprint {}, SPKI SHA-256 (base64) {}",
                how, certFile, leaf.getSubjectX500Principal().getName(), leaf.getNotAfter().toInstant(),
                loaded.fingerprintSha256(), loaded.spkiSha256Base64());
        Instant now = Instant.now();
        if (leaf.getNotAfter().toInstant().isBefore(now) || leaf.getNotBefore().toInstant().isAfter(now)) {
            LOG.warn("the TLS certificate in {} is not valid now (valid {} to {}): browsers will refuse it",
                    certFile, leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant());
        }
    }

    private Stamps stamps() {
        return new Stamps(Stamp.of(certFile), Stamp.of(keyFile));
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.shutdownNow();
        }
    }
}
