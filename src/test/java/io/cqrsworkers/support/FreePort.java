package io.cqrsworkers.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Finds a free port for services that must know their port before they bind (port 0 in configuration). */
public final class FreePort {

    private FreePort() {
    }

    public static int find(String host) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on " + host, e);
        }
    }
}
