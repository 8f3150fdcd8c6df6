package io.github.flinksoftmax.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Loopback port checks for the local run: is a port free, pick a free one, does one accept. */
final class Ports {

    private Ports() {}

    /** Whether nothing listens on {@code port} of the loopback interface. */
    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Fails with a message naming the flag that moves the port, so a second local run or a Kafka
     * already on 9092 is a one-line fix rather than a bind exception deep in a log.
     */
    static void requireFree(int port, String what, String hint) {
        if (!isFree(port)) {
            throw new IllegalStateException("Port " + port + " (" + what + ") is in use; " + hint);
        }
    }

    /** A port free right now; another process could take it before it is used, which is unlikely. */
    static int pickFree() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free loopback port", e);
        }
    }

    /** Whether something accepts connections on {@code port} of the loopback interface. */
    static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
