package io.cqrsworkers.localaws.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small HTTP/1.1 server for the AWS JSON emulators: one thread per connection, blocking sockets, keep-alive. A
 * request is read, handled and answered on its connection's thread with one write of the whole answer, so a request
 * costs one read and one write call and no hand-over between threads (the JDK's server took a selector round and two
 * hand-overs per request). AWS clients keep a few connections open and send one request at a time on each, which is
 * what this shape serves best; a handler that waits (a long poll) holds only its own connection's thread.
 *
 * <p>Understood: Content-Length and chunked request bodies, {@code Expect: 100-continue}, {@code Connection: close}
 * and HTTP/1.0. Not: pipelining beyond answering in order, trailers, upgrades.
 */
final class Http1Server {

    private static final Logger LOG = LoggerFactory.getLogger(Http1Server.class);
    /**
     * Idle keep-alive connections are closed after this long (the JDK server's default is 30 s). Not with a socket
     * timeout: a timed read costs three system calls (a non-blocking read, a poll, the read), an untimed one one.
     */
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final long MAX_BODY_BYTES = 256L << 20;
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    /**
     * A parsed request; header names are matched without regard to case. The head is kept as bytes with the
     * positions of each header's name and value; a value becomes a string only when asked for.
     */
    static final class Request {
        final String method;
        final String target;
        final boolean http10;
        private final byte[] head;
        /** nameStart, nameEnd, valueStart, valueEnd per header, in {@link #head}. */
        private final int[] spans;
        private final int headerCount;
        byte[] body;

        Request(String method, String target, boolean http10, byte[] head, int[] spans, int headerCount) {
            this.method = method;
            this.target = target;
            this.http10 = http10;
            this.head = head;
            this.spans = spans;
            this.headerCount = headerCount;
        }

        /** The first value of a header, or null. */
        String header(String name) {
            int length = name.length();
            for (int h = 0; h < headerCount; h++) {
                int ns = spans[4 * h];
                if (spans[4 * h + 1] - ns != length) {
                    continue;
                }
                boolean same = true;
                for (int i = 0; i < length && same; i++) {
                    int a = head[ns + i];
                    int b = name.charAt(i);
                    same = a == b || (a | 0x20) == (b | 0x20) && (a | 0x20) >= 'a' && (a | 0x20) <= 'z';
                }
                if (same) {
                    return new String(head, spans[4 * h + 2], spans[4 * h + 3] - spans[4 * h + 2],
                            StandardCharsets.UTF_8);
                }
            }
            return null;
        }
    }

    /** An answer: status, headers (name, value, name, value, ...) and body. */
    static final class Response {
        final int status;
        final List<String> headers = new ArrayList<>(12);
        final byte[] body;

        Response(int status, byte[] body) {
            this.status = status;
            this.body = body;
        }

        Response header(String name, String value) {
            headers.add(name);
            headers.add(value);
            return this;
        }
    }

    @FunctionalInterface
    interface Handler {
        /** Answers one request; may block (a long poll) and holds only its connection's thread meanwhile. */
        Response handle(Request request) throws Exception;
    }

    private final Handler handler;
    private final String threadName;
    /** Open connections, each with the time it started waiting for a request (0 while a request is served). */
    private final Map<Socket, AtomicLong> open = new ConcurrentHashMap<>();
    private ServerSocket serverSocket;
    private ThreadPoolExecutor connections;
    private Thread acceptor;
    private Thread idleCloser;
    private volatile boolean stopped;

    Http1Server(Handler handler, String threadName) {
        this.handler = handler;
        this.threadName = threadName;
    }

    /** Binds and starts accepting; {@code threads} connection threads are kept ready once started. */
    InetSocketAddress start(String host, int port, int threads) throws IOException {
        ServerSocket ss = new ServerSocket();
        try {
            ss.bind(new InetSocketAddress(InetAddress.getByName(host), port), 256);
        } catch (IOException e) {
            ss.close();
            throw e;
        }
        serverSocket = ss;
        AtomicInteger n = new AtomicInteger();
        connections = new ThreadPoolExecutor(Math.max(1, threads), Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, threadName + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        acceptor = new Thread(this::acceptLoop, threadName + "-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
        idleCloser = new Thread(this::closeIdle, threadName + "-idle");
        idleCloser.setDaemon(true);
        idleCloser.start();
        return (InetSocketAddress) ss.getLocalSocketAddress();
    }

    void stop() {
        stopped = true;
        try {
            serverSocket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : open.keySet()) {
            closeQuietly(s);
        }
        connections.shutdownNow();
        // a connection accepted while the first round closed the others
        for (Socket s : open.keySet()) {
            closeQuietly(s);
        }
        idleCloser.interrupt();
        try {
            acceptor.join(5000);
            connections.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!stopped) {
            Socket s;
            try {
                s = serverSocket.accept();
            } catch (IOException e) {
                if (!stopped) {
                    LOG.warn("accept failed: {}", e.getMessage());
                    try {
                        // e.g. out of file descriptors: not in a busy loop
                        Thread.sleep(100);
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
                continue;
            }
            try {
                s.setTcpNoDelay(true);
                AtomicLong idleSince = new AtomicLong(System.nanoTime());
                open.put(s, idleSince);
                connections.execute(() -> serve(s, idleSince));
            } catch (Exception e) {
                open.remove(s);
                closeQuietly(s);
            }
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // gone already
        }
    }

    /** Closes connections that have waited for a request longer than {@link #IDLE_NANOS}. */
    private void closeIdle() {
        while (!stopped) {
            try {
                Thread.sleep(5_000);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            open.forEach((s, since) -> {
                long t = since.get();
                if (t != 0 && now - t > IDLE_NANOS) {
                    closeQuietly(s);
                }
            });
        }
    }

    private void serve(Socket socket, AtomicLong idleSince) {
        try (socket) {
            Reader reader = new Reader(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (!stopped) {
                Request request;
                try {
                    idleSince.lazySet(System.nanoTime());
                    request = reader.readHead();
                    idleSince.lazySet(0);
                    if (request == null) {
                        return;
                    }
                    String expect = request.header("Expect");
                    if (expect != null && expect.equalsIgnoreCase("100-continue")) {
                        out.write(CONTINUE);
                    }
                    request.body = reader.readBody(request);
                } catch (BadRequest e) {
                    write(out, new Response(e.status, new byte[0]).header("Connection", "close"), false);
                    return;
                }
                Response response;
                try {
                    response = handler.handle(request);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    LOG.error("Internal error answering {} {}", request.method, request.target, e);
                    response = new Response(500, new byte[0]);
                }
                boolean keepAlive = keepAlive(request);
                if (!keepAlive) {
                    response.header("Connection", "close");
                }
                write(out, response, request.method.equals("HEAD"));
                if (!keepAlive) {
                    return;
                }
            }
        } catch (SocketException e) {
            // idle for too long, or the client went away
        } catch (IOException e) {
            LOG.debug("connection failed: {}", e.getMessage());
        } finally {
            open.remove(socket);
        }
    }

    private static boolean keepAlive(Request r) {
        String c = r.header("Connection");
        if (r.http10) {
            return c != null && c.equalsIgnoreCase("keep-alive");
        }
        return c == null || !c.equalsIgnoreCase("close");
    }

    // ---- writing

    private static volatile long dateSecond;
    private static volatile String date;

    private static String date() {
        long now = System.currentTimeMillis() / 1000;
        if (now != dateSecond) {
            date = HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC));
            dateSecond = now;
        }
        return date;
    }

    private static void write(OutputStream out, Response r, boolean headOnly) throws IOException {
        StringBuilder head = new StringBuilder(256);
        head.append("HTTP/1.1 ").append(r.status).append(' ').append(reason(r.status)).append("\r\n");
        for (int i = 0; i < r.headers.size(); i += 2) {
            head.append(r.headers.get(i)).append(": ").append(r.headers.get(i + 1)).append("\r\n");
        }
        head.append("Date: ").append(date()).append("\r\n");
        head.append("Content-Length: ").append(r.body.length).append("\r\n\r\n");
        int headLength = head.length();
        int bodyLength = headOnly ? 0 : r.body.length;
        byte[] all = new byte[headLength + bodyLength];
        for (int i = 0; i < headLength; i++) {
            // header names and values are ASCII here (ids, numbers, content types, echoed CORS headers)
            all[i] = (byte) head.charAt(i);
        }
        System.arraycopy(r.body, 0, all, headLength, bodyLength);
        out.write(all);
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 413 -> "Payload Too Large";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }

    // ---- reading

    private static final class BadRequest extends IOException {
        final int status;

        BadRequest(int status, String message) {
            super(message, null);
            this.status = status;
        }
    }

    /** Buffered reading of heads and bodies from one connection. */
    private static final class Reader {
        private final InputStream in;
        private byte[] buf = new byte[8192];
        private int pos;
        private int lim;

        Reader(InputStream in) {
            this.in = in;
        }

        /** Reads more bytes after {@code lim}, growing the buffer when full; false at the end of the stream. */
        private boolean fill() throws IOException {
            if (lim == buf.length) {
                if (pos > 0) {
                    System.arraycopy(buf, pos, buf, 0, lim - pos);
                    lim -= pos;
                    pos = 0;
                } else {
                    buf = Arrays.copyOf(buf, buf.length * 2);
                }
            }
            int n = in.read(buf, lim, buf.length - lim);
            if (n < 0) {
                return false;
            }
            lim += n;
            return true;
        }

        /** The request line and headers, or null when the client closed the connection between requests. */
        Request readHead() throws IOException {
            if (pos == lim) {
                pos = 0;
                lim = 0;
            }
            int scanned = 0; // bytes after pos already looked at for the blank line
            while (true) {
                // leading empty lines before a request line are allowed (RFC 9112 2.2)
                while (scanned == 0 && pos + 1 < lim && buf[pos] == '\r' && buf[pos + 1] == '\n') {
                    pos += 2;
                }
                int end = headEnd(pos + scanned);
                if (end >= 0) {
                    Request r = parseHead(pos, end);
                    pos = end;
                    return r;
                }
                scanned = Math.max(0, lim - pos - 3);
                if (lim - pos > MAX_HEADER_BYTES) {
                    throw new BadRequest(431, "header too large");
                }
                if (!fill()) {
                    if (lim > pos) {
                        throw new BadRequest(400, "truncated request");
                    }
                    return null;
                }
            }
        }

        /** The index after the blank line ending the head, or -1. */
        private int headEnd(int from) {
            for (int i = from; i + 3 < lim; i++) {
                if (buf[i + 3] == '\n' && buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r') {
                    return i + 4;
                }
            }
            return -1;
        }

        private Request parseHead(int from, int end) throws BadRequest {
            byte[] head = Arrays.copyOfRange(buf, from, end);
            int n = head.length;
            int lineEnd = lineEnd(head, 0, n);
            int sp1 = indexOf(head, (byte) ' ', 0, lineEnd);
            int sp2 = lastIndexOf(head, (byte) ' ', lineEnd);
            if (sp1 <= 0 || sp2 <= sp1 || lineEnd - sp2 - 1 != 8 || head[sp2 + 1] != 'H' || head[sp2 + 5] != '/'
                    || head[sp2 + 6] != '1' || head[sp2 + 7] != '.') {
                throw new BadRequest(400, "bad request line");
            }
            boolean http10 = head[sp2 + 8] == '0';
            int[] spans = new int[64];
            int count = 0;
            int at = lineEnd + 2;
            while (at < n - 2) {
                int e = lineEnd(head, at, n);
                int colon = indexOf(head, (byte) ':', at, e);
                if (colon <= at) {
                    throw new BadRequest(400, "bad header line");
                }
                int vs = colon + 1;
                int ve = e;
                while (vs < ve && (head[vs] == ' ' || head[vs] == '\t')) {
                    vs++;
                }
                while (ve > vs && (head[ve - 1] == ' ' || head[ve - 1] == '\t')) {
                    ve--;
                }
                if (4 * count + 4 > spans.length) {
                    spans = Arrays.copyOf(spans, spans.length * 2);
                }
                spans[4 * count] = at;
                spans[4 * count + 1] = colon;
                spans[4 * count + 2] = vs;
                spans[4 * count + 3] = ve;
                count++;
                at = e + 2;
            }
            return new Request(method(head, sp1), target(head, sp1 + 1, sp2), http10, head, spans, count);
        }

        private static String method(byte[] head, int length) {
            if (length == 4 && head[0] == 'P' && head[1] == 'O' && head[2] == 'S' && head[3] == 'T') {
                return "POST";
            }
            if (length == 3 && head[0] == 'G' && head[1] == 'E' && head[2] == 'T') {
                return "GET";
            }
            return new String(head, 0, length, StandardCharsets.ISO_8859_1);
        }

        private static String target(byte[] head, int from, int to) {
            return to - from == 1 && head[from] == '/' ? "/" : new String(head, from, to - from,
                    StandardCharsets.ISO_8859_1);
        }

        private static int indexOf(byte[] b, byte c, int from, int to) {
            for (int i = from; i < to; i++) {
                if (b[i] == c) {
                    return i;
                }
            }
            return -1;
        }

        private static int lastIndexOf(byte[] b, byte c, int to) {
            for (int i = to - 1; i >= 0; i--) {
                if (b[i] == c) {
                    return i;
                }
            }
            return -1;
        }

        private static int lineEnd(byte[] b, int from, int end) {
            for (int i = from; i + 1 < end; i++) {
                if (b[i] == '\r' && b[i + 1] == '\n') {
                    return i;
                }
            }
            return end - 2;
        }

        byte[] readBody(Request r) throws IOException {
            String te = r.header("Transfer-Encoding");
            if (te != null && te.toLowerCase().contains("chunked")) {
                return readChunked();
            }
            String cl = r.header("Content-Length");
            if (cl == null) {
                return new byte[0];
            }
            long length;
            try {
                length = Long.parseLong(cl.trim());
            } catch (NumberFormatException e) {
                throw new BadRequest(400, "bad Content-Length");
            }
            if (length < 0) {
                throw new BadRequest(400, "bad Content-Length");
            }
            if (length > MAX_BODY_BYTES) {
                throw new BadRequest(413, "body too large");
            }
            return readExactly((int) length);
        }

        private byte[] readExactly(int length) throws IOException {
            byte[] body = new byte[length];
            int have = Math.min(length, lim - pos);
            System.arraycopy(buf, pos, body, 0, have);
            pos += have;
            while (have < length) {
                int n = in.read(body, have, length - have);
                if (n < 0) {
                    throw new BadRequest(400, "truncated body");
                }
                have += n;
            }
            return body;
        }

        private String readLine() throws IOException {
            while (true) {
                for (int i = pos; i + 1 < lim; i++) {
                    if (buf[i] == '\r' && buf[i + 1] == '\n') {
                        String line = new String(buf, pos, i - pos, StandardCharsets.ISO_8859_1);
                        pos = i + 2;
                        return line;
                    }
                }
                if (lim - pos > MAX_HEADER_BYTES) {
                    throw new BadRequest(400, "line too long");
                }
                if (!fill()) {
                    throw new BadRequest(400, "truncated chunk");
                }
            }
        }

        private byte[] readChunked() throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String sizeLine = readLine();
                int semi = sizeLine.indexOf(';');
                int size;
                try {
                    size = Integer.parseInt((semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim(), 16);
                } catch (NumberFormatException e) {
                    throw new BadRequest(400, "bad chunk size");
                }
                if (size < 0 || body.size() + (long) size > MAX_BODY_BYTES) {
                    throw new BadRequest(413, "body too large");
                }
                if (size == 0) {
                    // trailers, up to the empty line
                    while (!readLine().isEmpty()) {
                        // skipped
                    }
                    return body.toByteArray();
                }
                body.write(readExactly(size));
                if (!readLine().isEmpty()) {
                    throw new BadRequest(400, "bad chunk end");
                }
            }
        }
    }
}
