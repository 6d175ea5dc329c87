package io.cqrsworkers.imports;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The entries of an archive read from a stream (an S3 object), one at a time: each is checked (a plain CSV file name,
 * no folder, no {@code ..}, not twice), inflated into a temporary file while the limits are counted, and handed out
 * with the S3 key it goes to, {@code csv-imports/<tenant>/<zip id>/<name>}. Only one entry is on disk at a time (the
 * upload deletes it) and none is in the heap; a run killed in the middle leaves at most that entry, in the job's
 * own folder, which the job's next run deletes before it starts. The archive is read once, front to back (local
 * headers: a ZIP's central directory is at its end, which a stream reaches last).
 * <p>
 * {@link #hasNext} reads the next entry's header (a splitter asks it before it runs the current element), so an
 * element's bytes are on disk before that happens. Bad input throws {@link ZipRejectedException} with the reason.
 */
public final class ZipEntries implements Iterator<ZipEntries.Unpacked> {

    /** The original's file name rule when the request names no table: {@code <14 digits>-<table>.csv}. */
    static final Pattern TABLE_IN_NAME = Pattern.compile("\\d{14}-(.+)\\.csv$");
    private static final byte[] LOCAL_HEADER = {'P', 'K', 3, 4};
    private static final byte[] END_OF_ARCHIVE = {'P', 'K', 5, 6};

    /** One entry on disk: its name, where it goes, the temporary file, its size. */
    public record Unpacked(int index, String name, String key, Path file, long size) {
    }

    private final ZipInputStream zip;
    private final ZipLimits limits;
    private final String keyPrefix;
    private final boolean tableInName;
    private final Path dir;
    private final Set<String> names = new HashSet<>();
    private final List<Unpacked> unpacked = new ArrayList<>();
    private ZipEntry pending;
    private boolean ended;
    private long bytes;

    /**
     * @param keyPrefix   the S3 prefix of the entries, ending with '/'
     * @param tableInName true when the request names no table: every name must carry one
     */
    public ZipEntries(InputStream archive, ZipLimits limits, String keyPrefix, boolean tableInName) {
        this(archive, limits, keyPrefix, tableInName, null);
    }

    /**
     * @param dir the folder of the entry on disk, the job's own: what a killed run of the same job left there is
     *            deleted first; null for a new temporary folder
     */
    public ZipEntries(InputStream archive, ZipLimits limits, String keyPrefix, boolean tableInName, Path dir) {
        BufferedInputStream in = new BufferedInputStream(archive, 64 * 1024);
        checkSignature(peek(in));
        this.zip = new ZipInputStream(in);
        this.limits = limits;
        this.keyPrefix = keyPrefix;
        this.tableInName = tableInName;
        try {
            if (dir == null) {
                this.dir = Files.createTempDirectory("zip-import-");
            } else {
                this.dir = dir;
                discard();
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] peek(BufferedInputStream in) {
        try {
            in.mark(4);
            byte[] first = in.readNBytes(4);
            in.reset();
            return first;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Not a ZIP, or a ZIP without entries (the original answers 400 to both): the archive's first four bytes. */
    public static void checkSignature(byte[] first) {
        if (Arrays.equals(first, END_OF_ARCHIVE)) {
            throw new ZipRejectedException("The archive is empty: it holds no files");
        }
        if (!Arrays.equals(first, LOCAL_HEADER)) {
            throw new ZipRejectedException("Not a ZIP archive (it does not start with a ZIP file header)");
        }
    }

    @Override
    public boolean hasNext() {
        if (pending == null && !ended) {
            try {
                pending = zip.getNextEntry();
            } catch (IOException e) {
                throw corrupt("after entry " + (unpacked.isEmpty() ? "(none)" : "'" + last().name() + "'"), e);
            }
            ended = pending == null;
        }
        return pending != null;
    }

    @Override
    public Unpacked next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        ZipEntry entry = pending;
        pending = null;
        String name = checkName(entry);
        if (unpacked.size() + 1 > limits.maxEntries()) {
            throw new ZipRejectedException("The archive holds more than " + limits.maxEntries() + " files "
                    + "(app.import.zip.max-entries)");
        }
        Path file = dir.resolve(unpacked.size() + ".csv");
        long size;
        try (OutputStream out = Files.newOutputStream(file)) {
            size = copy(name, out);
        } catch (ZipRejectedException e) {
            throw e;
        } catch (IOException e) {
            throw corrupt("'" + name + "'", e);
        }
        Unpacked one = new Unpacked(unpacked.size(), name, keyPrefix + name, file, size);
        unpacked.add(one);
        return one;
    }

    /** Inflates the current entry, counting every byte against the limit before it is written. */
    private long copy(String name, OutputStream out) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long size = 0;
        int n;
        while ((n = zip.read(buffer)) > 0) {
            bytes += n;
            size += n;
            if (bytes > limits.maxUnpackedBytes()) {
                throw new ZipRejectedException("The archive unpacks to more than " + limits.maxUnpackedBytes()
                        + " bytes (app.import.zip.max-unpacked-bytes); stopped in '" + name + "'");
            }
            out.write(buffer, 0, n);
        }
        return size;
    }

    private String checkName(ZipEntry entry) {
        String name = entry.getName();
        String reason = null;
        if (name.startsWith("/") || name.startsWith("\\") || name.matches("^[A-Za-z]:.*")) {
            reason = "an absolute path";
        } else if (Stream.of(name.split("[/\\\\]")).anyMatch(".."::equals)) {
            reason = "a name with '..'";
        } else if (entry.isDirectory() || name.contains("/") || name.contains("\\")) {
            reason = "in a folder; nested folders are not imported, put every CSV file at the archive's top level";
        } else if (!name.toLowerCase().endsWith(".csv")) {
            reason = "not a CSV file (the name must end with .csv)";
        } else if (!names.add(name)) {
            reason = "in the archive twice";
        } else if (tableInName && !TABLE_IN_NAME.matcher(name).find()) {
            reason = "the request names no tableName, so each file must be named <14 digits>-<table>.csv";
        }
        if (reason != null) {
            throw new ZipRejectedException("Entry '" + name + "': " + reason);
        }
        return name;
    }

    /** The table a file name names ({@code <14 digits>-<table>.csv}), or null. */
    static String tableOf(String name) {
        Matcher m = TABLE_IN_NAME.matcher(name);
        return m.find() ? m.group(1) : null;
    }

    private Unpacked last() {
        return unpacked.get(unpacked.size() - 1);
    }

    private static ZipRejectedException corrupt(String where, IOException e) {
        String what = e instanceof EOFException ? "the archive ends early" : e.getMessage();
        return new ZipRejectedException("Corrupt archive at entry " + where + ": " + what, e);
    }

    /** The entries handed out so far, in archive order. */
    public List<Unpacked> unpacked() {
        return List.copyOf(unpacked);
    }

    /** The S3 keys of the entries, sorted as the original sorts them (JavaScript's default sort: UTF-16 order). */
    public List<String> sortedKeys() {
        return unpacked.stream().map(Unpacked::key).sorted(Comparator.naturalOrder()).toList();
    }

    /**
     * Deletes what is left on disk (an entry whose upload failed); the archive stream is the caller's. Not
     * {@code Closeable} on purpose: a splitter closes its iterator once {@link #hasNext} says false, before it has
     * run the last element.
     */
    public void discard() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
