package org.panolm.testkit.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;

/**
 * A JSON response body written as it is generated: a body that fits one buffer goes out whole with its
 * {@code Content-Length}, as before; a larger one (a whole backup of 100,000 keys is tens of megabytes) is sent a
 * buffer at a time, so the client reads and decrypts the first sessions while the rest is generated, and no copy
 * of the whole body is ever held. Each write blocks until the connection took it (the handler runs on a virtual
 * thread), so the buffer is reused.
 */
final class ResponseBody extends OutputStream {
    static final int BUFFER = 64 * 1024;

    private final Response response;
    private final byte[] buffer = new byte[BUFFER];
    private int count;
    private boolean streaming;
    private boolean finished;

    ResponseBody(Response response) {
        this.response = response;
    }

    @Override
    public void write(int b) throws IOException {
        if (count == buffer.length) drain();
        buffer[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (count == buffer.length) drain();
            int n = Math.min(len, buffer.length - count);
            System.arraycopy(b, off, buffer, count, n);
            count += n;
            off += n;
            len -= n;
        }
    }

    private void drain() throws IOException {
        streaming = true;
        send(false);
    }

    private void send(boolean last) throws IOException {
        try (Blocker.Callback done = Blocker.callback()) {
            response.write(last, ByteBuffer.wrap(buffer, 0, count), done);
            done.block();
        }
        count = 0;
    }

    /**
     * Ends the response; a body that never filled the buffer is sent with its length. Only this ends it:
     * {@link #close} (which the JSON writer calls, on failure too) does not, so a body cut short by an error is
     * never sent as if complete.
     */
    void finish() throws IOException {
        if (finished) return;
        finished = true;
        if (!streaming) response.getHeaders().put(HttpHeader.CONTENT_LENGTH, count);
        send(true);
    }

    @Override
    public void close() {
        // See finish().
    }
}
