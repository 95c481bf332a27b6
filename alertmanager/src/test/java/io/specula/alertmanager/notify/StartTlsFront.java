package io.specula.alertmanager.notify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * GreenMail speaks no STARTTLS, so tests put this in front of it: it greets, offers
 * STARTTLS in its EHLO answer, upgrades the connection, then relays the rest of the session
 * (from the client's second EHLO on) to GreenMail over a plain connection, dropping
 * GreenMail's own greeting. One session at a time.
 */
final class StartTlsFront implements AutoCloseable {
    private final ServerSocket server;
    private final Thread thread;

    StartTlsFront(SSLContext ssl, int backendPort) throws IOException {
        server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        thread = Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    session(s, ssl, backendPort);
                } catch (IOException e) {
                    // client gone or server closed; wait for the next one
                }
            }
        });
    }

    int port() {
        return server.getLocalPort();
    }

    private static void session(Socket s, SSLContext ssl, int backendPort) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
        OutputStream out = s.getOutputStream();
        out.write("220 front ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
        in.readLine(); // EHLO
        out.write("250-front\r\n250 STARTTLS\r\n".getBytes(StandardCharsets.US_ASCII));
        if (!"STARTTLS".equals(in.readLine())) {
            out.write("503 STARTTLS first\r\n".getBytes(StandardCharsets.US_ASCII));
            return;
        }
        out.write("220 go ahead\r\n".getBytes(StandardCharsets.US_ASCII));
        SSLSocket tls = (SSLSocket) ssl.getSocketFactory().createSocket(s, null, s.getPort(), false);
        tls.setUseClientMode(false);
        tls.startHandshake();
        try (Socket backend = new Socket(InetAddress.getLoopbackAddress(), backendPort)) {
            InputStream bin = backend.getInputStream();
            while (bin.read() != '\n') {
                // skip GreenMail's greeting line
            }
            Thread up = Thread.ofVirtual().start(() -> pipe(tls, backend));
            pipe(backend, tls);
            up.interrupt();
        }
    }

    private static void pipe(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // one side closed
        }
        try {
            to.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        thread.interrupt();
    }
}
