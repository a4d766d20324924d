package io.tasker.server.api;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * HTTP/1.1 over a plain socket, byte for byte, for requests no HTTP client library sends: made-up
 * methods, invalid UTF-8 in the request line, a Content-Length that lies, no Host. Requests built
 * here ask the server to close the connection, so a response without a length ends where the
 * stream does and a request the server could not frame still gets its connection closed.
 */
final class RawHttp {
    private static final int MAX_HEAD_BYTES = 256 * 1024;

    private RawHttp() {}

    /**
     * One answer. {@code status} is 0 when the server closed the connection without one (or sent
     * one that cannot be read), -1 when none came in time, and {@code failure} says which;
     * {@code head} is the status line and headers as sent.
     */
    record Response(int status, String head, Map<String, String> headers, byte[] body, String failure) {
        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** A header's value (the last one sent under that name), or null. */
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /**
     * The bytes of a request: the request line, a {@code Host} unless {@code headers} has one,
     * {@code headers}, a {@code Content-Length} for {@code body} unless a header frames the body
     * already, and {@code Connection: close}. The head is written as ISO-8859-1, one byte per char,
     * so a target or header may carry any byte, invalid UTF-8 included.
     */
    static byte[] request(String method, String target, List<String> headers, byte[] body) {
        StringBuilder head = new StringBuilder().append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        if (headers.stream().noneMatch(header -> header.toLowerCase(Locale.ROOT).startsWith("host:"))) {
            head.append("Host: 127.0.0.1\r\n");
        }
        boolean framed = false;
        for (String header : headers) {
            head.append(header).append("\r\n");
            String name = header.toLowerCase(Locale.ROOT);
            framed |= name.startsWith("content-length:") || name.startsWith("transfer-encoding:");
        }
        if (body != null && !framed) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        return concat(head.toString().getBytes(StandardCharsets.ISO_8859_1), body == null ? new byte[0] : body);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** The words of a request's first line, e.g. {@code [GET, /health, HTTP/1.1]}; empty words are dropped. */
    static List<String> requestLine(byte[] request) {
        String text = new String(request, 0, Math.min(request.length, 64 * 1024), StandardCharsets.ISO_8859_1);
        String line = text.lines().findFirst().orElse("");
        return Arrays.stream(line.split("[ \t]+")).filter(word -> !word.isEmpty()).toList();
    }

    /**
     * Sends {@code request} to the loopback {@code port} and reads the answer. With
     * {@code halfClose} the sending side is shut after the request, so a server waiting for body
     * bytes that were announced but never sent sees the end of the stream rather than waiting.
     */
    static Response exchange(int port, byte[] request, boolean halfClose, Duration timeout) {
        boolean head = requestLine(request).stream().findFirst().orElse("").equals("HEAD");
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout((int) timeout.toMillis());
            String writeFailure = null;
            try {
                OutputStream out = socket.getOutputStream();
                out.write(request);
                out.flush();
                if (halfClose) {
                    socket.shutdownOutput();
                }
            } catch (IOException e) {
                // The server may answer (413, 400) and close before it read everything; read what it said.
                writeFailure = "sending failed: " + e.getMessage();
            }
            return read(new BufferedInputStream(socket.getInputStream()), head, writeFailure);
        } catch (SocketTimeoutException e) {
            return new Response(-1, "", Map.of(), new byte[0], "no answer within " + timeout.toSeconds() + " s");
        } catch (IOException | NumberFormatException e) {
            return new Response(0, "", Map.of(), new byte[0], "no answer that can be read: " + e);
        }
    }

    private static Response read(InputStream in, boolean head, String writeFailure) throws IOException {
        while (true) {
            String text = readHead(in);
            if (text.isEmpty()) {
                return new Response(0, "", Map.of(), new byte[0], writeFailure == null
                        ? "the connection was closed without an answer" : writeFailure);
            }
            int status = status(text);
            Map<String, String> headers = headers(text);
            if (status >= 100 && status < 200 && status != 101) {
                continue;
            }
            byte[] body = head || status == 204 || status == 304 ? new byte[0] : body(in, headers);
            return new Response(status, text, headers, decoded(body, headers.get("content-encoding")), null);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int newlines = 0;
        for (int b; (b = in.read()) >= 0; ) {
            if (b == '\n') {
                if (++newlines == 2) {
                    break;
                }
            } else if (b != '\r') {
                newlines = 0;
            }
            head.write(b);
            if (head.size() > MAX_HEAD_BYTES) {
                throw new IOException("a response head longer than " + MAX_HEAD_BYTES + " bytes");
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1).strip();
    }

    private static int status(String head) {
        String[] parts = head.lines().findFirst().orElse("").split(" ", 3);
        try {
            return parts.length >= 2 ? Integer.parseInt(parts[1]) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Map<String, String> headers(String head) {
        Map<String, String> headers = new LinkedHashMap<>();
        head.lines().skip(1).forEach(line -> {
            int colon = line.indexOf(':');
            if (colon > 0) {
                String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                headers.put(name, line.substring(colon + 1).strip());
            }
        });
        return headers;
    }

    private static byte[] body(InputStream in, Map<String, String> headers) throws IOException {
        if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
            return chunked(in);
        }
        String length = headers.get("content-length");
        return length == null ? in.readAllBytes() : in.readNBytes(Integer.parseInt(length));
    }

    /** The body as the server meant it, so the checks read text even when it was compressed. */
    private static byte[] decoded(byte[] body, String encoding) throws IOException {
        if (encoding == null || body.length == 0) {
            return body;
        }
        InputStream in = switch (encoding.toLowerCase(Locale.ROOT)) {
            case "gzip" -> new GZIPInputStream(new ByteArrayInputStream(body));
            case "deflate" -> new InflaterInputStream(new ByteArrayInputStream(body));
            default -> throw new IOException("a response in an encoding the fuzzer did not ask for: " + encoding);
        };
        try (in) {
            return in.readAllBytes();
        }
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in);
            int extension = sizeLine.indexOf(';');
            int size = Integer.parseInt((extension < 0 ? sizeLine : sizeLine.substring(0, extension)).strip(), 16);
            if (size == 0) {
                return body.toByteArray();
            }
            body.writeBytes(in.readNBytes(size));
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}
