package dev.ringback.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a bare socket, one request per connection: the exact bytes go out, including
 * what {@code java.net.http} refuses to send (malformed escapes and raw bytes in the target,
 * duplicate headers, a missing Content-Type), and one response comes back.
 */
public final class RawHttp {
  /** Longer than any answer may take; a server that never answers fails the test instead of hanging it. */
  private static final int READ_TIMEOUT_MILLIS = 30_000;

  /** The server closed the connection without answering. */
  public static final Response CLOSED = new Response(0, Map.of(), new byte[0]);

  private RawHttp() {}

  /** @param headers lower-case names */
  public record Response(int status, Map<String, List<String>> headers, byte[] body) {
    public String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null ? null : values.get(0);
    }

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /**
   * @param target the request target as sent; each char is one byte (ISO-8859-1), so {@code "\u00ff"} sends the raw byte 0xFF
   * @param body null for none; otherwise sent with its Content-Length, or as it is when a Transfer-Encoding header is given
   */
  public static Response send(int port, String method, String target, List<Map.Entry<String, String>> headers, byte[] body) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      socket.setSoTimeout(READ_TIMEOUT_MILLIS);
      StringBuilder head = new StringBuilder()
          .append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
          .append("Host: 127.0.0.1:").append(port).append("\r\n")
          .append("Connection: close\r\n");
      headers.forEach(h -> head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n"));
      boolean chunked = headers.stream().anyMatch(h -> h.getKey().equalsIgnoreCase("Transfer-Encoding"));
      if (body != null && !chunked) {
        head.append("Content-Length: ").append(body.length).append("\r\n");
      }
      head.append("\r\n");
      OutputStream out = socket.getOutputStream();
      try {
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
          out.write(body);
        }
        out.flush();
      } catch (IOException e) {
        // The server may answer (413) and close before it has read everything: read what it said.
      }
      return parse(readAll(socket.getInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + abbreviate(target) + ": " + e.getMessage(), e);
    }
  }

  /**
   * A request whose head and the first {@code sentBytes} of a body of {@code contentLength} bytes
   * went out, the rest held back: an upload that stalls, as a slow or hostile client's does.
   */
  public static Stalled stall(int port, String method, String target, List<Map.Entry<String, String>> headers, long contentLength,
                              int sentBytes) {
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      StringBuilder head = new StringBuilder()
          .append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
          .append("Host: 127.0.0.1:").append(port).append("\r\n")
          .append("Content-Length: ").append(contentLength).append("\r\n");
      headers.forEach(h -> head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n"));
      head.append("\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(new byte[sentBytes]);
      out.flush();
      return new Stalled(socket);
    } catch (IOException e) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing what never opened
      }
      throw new UncheckedIOException(e);
    }
  }

  /** A stalled upload's connection. */
  public static final class Stalled implements AutoCloseable {
    private final Socket socket;

    private Stalled(Socket socket) {
      this.socket = socket;
    }

    /** More of the body; false when the server has closed the connection. */
    public boolean send(byte[] bytes) {
      try {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return true;
      } catch (IOException e) {
        return false;
      }
    }

    /** The server's answer and its closing of the connection, or null when neither came within the time. */
    public Response answer(int timeoutMillis) {
      try {
        socket.setSoTimeout(timeoutMillis);
        return parse(readAll(socket.getInputStream()));
      } catch (java.net.SocketTimeoutException e) {
        return null;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // already closed by the server
      }
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        all.write(buffer, 0, n);
      }
    } catch (java.net.SocketException e) {
      // A reset after the whole answer arrived (the server closed on unread request bytes) is no loss.
      if (all.size() == 0) {
        throw e;
      }
    }
    return all.toByteArray();
  }

  private static Response parse(byte[] raw) {
    if (raw.length == 0) {
      return CLOSED;
    }
    int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    if (end < 0) {
      throw new IllegalStateException("no complete response head in " + raw.length + " bytes: "
          + abbreviate(new String(raw, StandardCharsets.ISO_8859_1)));
    }
    String[] lines = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(lines[i].substring(colon + 1).trim());
    }
    byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
    List<String> encoding = headers.get("transfer-encoding");
    if (encoding != null && encoding.get(0).equalsIgnoreCase("chunked")) {
      body = dechunk(body);
    }
    return new Response(status, headers, body);
  }

  private static byte[] dechunk(byte[] chunked) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = 0;
    while (at < chunked.length) {
      int lineEnd = indexOf(java.util.Arrays.copyOfRange(chunked, at, chunked.length), "\r\n".getBytes(StandardCharsets.ISO_8859_1));
      int size = Integer.parseInt(new String(chunked, at, lineEnd, StandardCharsets.ISO_8859_1).split(";")[0].trim(), 16);
      if (size == 0) {
        break;
      }
      out.write(chunked, at + lineEnd + 2, size);
      at += lineEnd + 2 + size + 2;
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  public static String abbreviate(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "...(" + text.length() + " chars)";
  }
}
