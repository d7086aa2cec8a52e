package dev.ringback.app;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local, append-only file of records that must not be lost while the database cannot take
 * them. An append completes only once the record is on disk (fsync); appends that arrive
 * while one is being written go to disk together, as a database groups its commits. Records are
 * read back in the order they were appended, and a segment read to its end is deleted.
 *
 * <p>Each record is one line: a CRC-32C of the text, a space, the text. A line cut short by a
 * crash, or whose checksum does not match, was never acknowledged and is skipped.
 */
public final class Journal implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
  private static final String PREFIX = "journal-";
  private static final String SUFFIX = ".log";

  /** A record read back, with where the next one starts. */
  public record Entry(String text, Position next) {}

  /** A place in the journal: a segment and a byte offset in it. */
  public record Position(long segment, long offset) {}

  private record Append(byte[] line, CompletableFuture<Void> done) {}

  private final Path dir;
  private final FileChannel lockChannel;
  private final LinkedBlockingQueue<Append> queue = new LinkedBlockingQueue<>();
  /** Appends not yet on disk: queued, or being written. */
  private final AtomicInteger unwritten = new AtomicInteger();
  private final Thread writer;
  private final Object lock = new Object();
  /** Segments not yet read to their end, oldest first; the last one is being written when {@link #open} is set. */
  private final Deque<Long> segments = new ArrayDeque<>();
  private FileChannel open;
  private long openSegment = -1;
  /** What of the open segment is on disk: readers stop here. */
  private long durableOffset;
  private long nextSegment;
  /** Records on disk and not yet read back and acknowledged. */
  private long backlog;
  private volatile boolean closed;

  private Journal(Path dir, FileChannel lockChannel, List<Long> existing, long backlog) {
    this.dir = dir;
    this.lockChannel = lockChannel;
    this.segments.addAll(existing);
    this.backlog = backlog;
    this.nextSegment = existing.isEmpty() ? 1 : existing.get(existing.size() - 1) + 1;
    this.writer = new Thread(this::write, "ringback-journal");
    this.writer.setDaemon(true);
    this.writer.start();
  }

  /** Opens the journal in {@code dir}, held by this process alone; what earlier processes left is read back first. */
  public static Journal open(Path dir) throws IOException {
    Files.createDirectories(dir);
    FileChannel lockChannel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock held;
    try {
      held = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      held = null;
    }
    if (held == null) {
      lockChannel.close();
      throw new IllegalStateException("the journal in " + dir + " is in use by another Ringback; give each instance its own database.journal-dir (RINGBACK_JOURNAL_DIR)");
    }
    List<Long> existing = new ArrayList<>();
    try (var files = Files.list(dir)) {
      files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(PREFIX) && n.endsWith(SUFFIX))
          .forEach(n -> existing.add(Long.parseLong(n.substring(PREFIX.length(), n.length() - SUFFIX.length()))));
    }
    existing.sort(null);
    long backlog = 0;
    for (long segment : existing) {
      backlog += countRecords(dir.resolve(name(segment)));
    }
    if (backlog > 0) {
      LOG.warn("The journal in {} holds {} record(s) not yet in the database; they are written there as soon as it takes them",
          dir, backlog);
    }
    return new Journal(dir, lockChannel, existing, backlog);
  }

  private static String name(long segment) {
    return PREFIX + String.format("%012d", segment) + SUFFIX;
  }

  /** Appends a record (one line of text, no line breaks); completes once it is on disk. */
  public CompletableFuture<Void> append(String text) {
    if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("a journal record is one line");
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (closed) {
      done.completeExceptionally(new IOException("the journal is closed"));
      return done;
    }
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    CRC32C crc = new CRC32C();
    crc.update(body);
    byte[] head = (HexFormat.of().toHexDigits((int) crc.getValue()) + " ").getBytes(StandardCharsets.US_ASCII);
    byte[] line = new byte[head.length + body.length + 1];
    System.arraycopy(head, 0, line, 0, head.length);
    System.arraycopy(body, 0, line, head.length, body.length);
    line[line.length - 1] = '\n';
    unwritten.incrementAndGet();
    queue.add(new Append(line, done));
    return done;
  }

  /** Where records the database refuses for good are set aside, for a person to read. */
  public Path setAsideFile() {
    return dir.resolve("set-aside.log");
  }

  /** Whether records wait to be read back, or to be written: new records then go behind them, in order. */
  public boolean holdsRecords() {
    synchronized (lock) {
      return backlog > 0 || unwritten.get() > 0;
    }
  }

  /** Records on disk that have not been read back and acknowledged. */
  public long backlog() {
    synchronized (lock) {
      return backlog;
    }
  }

  /** Where reading starts: the oldest segment's beginning. */
  public Position start() {
    synchronized (lock) {
      return new Position(segments.isEmpty() ? nextSegment : segments.peekFirst(), 0);
    }
  }

  /**
   * Up to {@code max} records from {@code from}, in the order they were appended, only what is on
   * disk. Blocking file reads: call it off the event loop.
   */
  public List<Entry> read(Position from, int max) throws IOException {
    List<Entry> out = new ArrayList<>();
    Position at = from;
    while (out.size() < max) {
      long segment;
      long limit;
      synchronized (lock) {
        Long found = firstFrom(at.segment());
        if (found == null) {
          return out;
        }
        segment = found;
        limit = segment == openSegment ? durableOffset : Long.MAX_VALUE;
      }
      long offset = segment == at.segment() ? at.offset() : 0;
      int before = out.size();
      Position end = readSegment(dir.resolve(name(segment)), segment, offset, limit, max - out.size(), out);
      if (out.size() == before && end.offset() == offset) {
        // Nothing more in this segment for now: the next one, if this one is finished.
        synchronized (lock) {
          if (segment == openSegment) {
            return out;
          }
          Long following = firstFrom(segment + 1);
          if (following == null) {
            return out;
          }
          at = new Position(following, 0);
        }
        continue;
      }
      at = end;
    }
    return out;
  }

  /** The first segment not older than {@code segment}, or null; with the lock held. */
  private Long firstFrom(long segment) {
    for (long s : segments) {
      if (s >= segment) {
        return s;
      }
    }
    return null;
  }

  /**
   * The records before {@code upTo} are in the database: segments wholly before it are deleted,
   * and the one being written too once nothing is left in it.
   *
   * @param count how many records that was
   */
  public void acknowledge(Position upTo, int count) throws IOException {
    synchronized (lock) {
      backlog = Math.max(0, backlog - count);
      while (!segments.isEmpty() && segments.peekFirst() < upTo.segment()) {
        long done = segments.removeFirst();
        if (done == openSegment) {
          retireOpen();
        }
        Files.deleteIfExists(dir.resolve(name(done)));
      }
      if (segments.size() == 1 && segments.peekFirst() == upTo.segment() && backlog == 0 && unwritten.get() == 0) {
        long last = segments.removeFirst();
        if (last == openSegment) {
          retireOpen();
        }
        Files.deleteIfExists(dir.resolve(name(last)));
      }
    }
  }

  private void retireOpen() throws IOException {
    open.close();
    open = null;
    openSegment = -1;
    durableOffset = 0;
  }

  /** The writer thread: takes every append waiting, writes them, forces them to disk once, completes them. */
  private void write() {
    List<Append> batch = new ArrayList<>();
    while (!closed || !queue.isEmpty()) {
      try {
        Append first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch);
        try {
          synchronized (lock) {
            FileChannel channel = openChannel();
            long written = durableOffset;
            for (Append append : batch) {
              ByteBuffer buffer = ByteBuffer.wrap(append.line());
              while (buffer.hasRemaining()) {
                written += channel.write(buffer, written);
              }
            }
            channel.force(false);
            durableOffset = written;
            backlog += batch.size();
          }
          unwritten.addAndGet(-batch.size());
          batch.forEach(a -> a.done().complete(null));
        } catch (IOException | RuntimeException e) {
          unwritten.addAndGet(-batch.size());
          LOG.error("Could not write {} record(s) to the journal in {}: {}", batch.size(), dir, e.toString());
          batch.forEach(a -> a.done().completeExceptionally(e));
        }
        batch.clear();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private FileChannel openChannel() throws IOException {
    if (open == null) {
      long segment = nextSegment++;
      Path file = dir.resolve(name(segment));
      open = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      // The new file's name must survive a crash too.
      try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
        directory.force(true);
      }
      openSegment = segment;
      durableOffset = 0;
      segments.addLast(segment);
    }
    return open;
  }

  private static Position readSegment(Path file, long segment, long offset, long limit, int max, List<Entry> out) throws IOException {
    byte[] bytes;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long end = Math.min(channel.size(), limit);
      if (end <= offset) {
        return new Position(segment, offset);
      }
      ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(end - offset, 4 * 1024 * 1024));
      channel.read(buffer, offset);
      bytes = Arrays.copyOf(buffer.array(), buffer.position());
    } catch (NoSuchFileException e) {
      return new Position(segment, offset);
    }
    int at = 0;
    while (out.size() < max) {
      int newline = indexOf(bytes, (byte) '\n', at);
      if (newline < 0) {
        break;
      }
      String line = new String(bytes, at, newline - at, StandardCharsets.UTF_8);
      at = newline + 1;
      String text = verified(line);
      Position next = new Position(segment, offset + at);
      if (text == null) {
        LOG.warn("Skipped a damaged record in {} at byte {}", file, offset + at - line.length() - 1);
        continue;
      }
      out.add(new Entry(text, next));
    }
    return new Position(segment, offset + at);
  }

  /** The record's text, or null when its checksum does not match. */
  private static String verified(String line) {
    int space = line.indexOf(' ');
    if (space != 8) {
      return null;
    }
    String text = line.substring(9);
    CRC32C crc = new CRC32C();
    crc.update(text.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().toHexDigits((int) crc.getValue()).equals(line.substring(0, 8)) ? text : null;
  }

  /** The complete, undamaged records in a segment: what {@link #read} will give back. */
  private static long countRecords(Path file) throws IOException {
    long count = 0;
    Position at = new Position(0, 0);
    while (true) {
      List<Entry> found = new ArrayList<>();
      Position next = readSegment(file, 0, at.offset(), Long.MAX_VALUE, Integer.MAX_VALUE, found);
      count += found.size();
      if (next.offset() == at.offset()) {
        return count;
      }
      at = next;
    }
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  /** Writes what was appended, then lets go of the directory. */
  @Override
  public void close() {
    closed = true;
    try {
      writer.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (lock) {
      try {
        if (open != null) {
          open.close();
        }
        lockChannel.close();
      } catch (IOException e) {
        LOG.debug("Closing the journal: {}", e.getMessage());
      }
    }
  }
}
