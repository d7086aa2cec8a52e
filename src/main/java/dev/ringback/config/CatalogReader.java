package dev.ringback.config;

import dev.ringback.domain.Catalog;
import dev.ringback.domain.Catalogs;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The message catalogs: one file per language, {@code <language>.properties} (UTF-8), shipped
 * under {@code messages/} in the jar, and an owner's own in {@code languages.catalog-dir}, which
 * add a language or replace a shipped one. Every catalog is checked against US English.
 */
final class CatalogReader {
  static final String SHIPPED = "messages";
  private static final String SUFFIX = ".properties";

  private CatalogReader() {}

  /**
   * @param ownDir the owner's catalogs, or empty for none
   * @throws ConfigException naming the file and key of the first problem
   */
  static Catalogs read(String key, String ownDir) {
    // US English first: a language without a catalog of its own country (en-AU) is spoken from it.
    Map<String, Catalog> catalogs = new LinkedHashMap<>();
    catalogs.put(Catalogs.REFERENCE, null);
    shipped().forEach((language, file) -> catalogs.put(language, catalog(language, file, file.toString())));
    if (!ownDir.isEmpty()) {
      Path dir = Path.of(ownDir);
      if (!Files.isDirectory(dir)) {
        throw new ConfigException(key, "'" + ownDir + "' is not a directory");
      }
      for (Path file : list(dir)) {
        String language = language(file);
        catalogs.put(language, catalog(language, file, file.toString()));
      }
    }
    try {
      return new Catalogs(catalogs.values());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(ownDir.isEmpty() ? SHIPPED : key + " (" + ownDir + ")", e.getMessage());
    }
  }

  /** The shipped catalogs by language, wherever the classes are: a jar or a directory. */
  private static Map<String, Path> shipped() {
    URL reference = CatalogReader.class.getClassLoader().getResource(SHIPPED + "/" + Catalogs.REFERENCE + SUFFIX);
    if (reference == null) {
      throw new IllegalStateException("the shipped catalogs are missing from the class path");
    }
    try {
      URI uri = reference.toURI();
      Map<String, Path> found = new TreeMap<>();
      if (uri.getScheme().equals("jar")) {
        FileSystem jar = jarFileSystem(uri);
        list(jar.getPath(SHIPPED)).forEach(file -> found.put(language(file), file));
      } else {
        list(Path.of(uri).getParent()).forEach(file -> found.put(language(file), file));
      }
      return found;
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static FileSystem jarFileSystem(URI uri) {
    try {
      return FileSystems.newFileSystem(uri, Map.of());
    } catch (FileSystemAlreadyExistsException e) {
      return FileSystems.getFileSystem(uri);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> list(Path dir) {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      entries.forEach(files::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    files.sort(null);
    return files;
  }

  private static String language(Path file) {
    String name = file.getFileName().toString();
    return name.substring(0, name.length() - SUFFIX.length());
  }

  private static Catalog catalog(String language, Path file, String where) {
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(file); Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException(where, "cannot be read (" + e.getMessage() + ")");
    }
    Map<String, String> sentences = new TreeMap<>();
    properties.stringPropertyNames().forEach(name -> sentences.put(name, properties.getProperty(name).trim()));
    try {
      return Catalog.of(language, sentences);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(where, e.getMessage());
    }
  }
}
