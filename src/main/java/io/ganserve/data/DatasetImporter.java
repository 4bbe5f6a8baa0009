package io.ganserve.data;

import static io.ganserve.data.ClientText.echo;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Imports an uploaded dataset into the image folder root: a zip of PNG/JPEG images
 * ({@link ZipImageImport}) or an IDX images file with an optional IDX labels file, either gzipped
 * ({@link IdxImport}). Everything is extracted into a hidden {@code .incoming-*} folder beside the
 * datasets, checked entry by entry against {@link UploadLimits} ({@link ImportBudget}), and only then
 * moved under its name in one atomic rename; any failure deletes the folder, so a refused upload
 * leaves nothing behind.
 */
public final class DatasetImporter {

    /** The manifest's file name: hidden, so the image-folder loader skips it. */
    public static final String MANIFEST = ".dataset.json";
    /** Lower-case, so two uploads never differ by case only on a case-insensitive disk. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    private static final String INCOMING_PREFIX = ".incoming-";
    private static final System.Logger LOG = System.getLogger(DatasetImporter.class.getName());

    private final Path root;
    private final UploadLimits limits;
    private final Set<String> reservedNames;
    private final Clock clock;
    private final ZipImageImport zip;
    private final IdxImport idx;
    private final ObjectMapper json = JsonMapper.builder().build();
    private final Object moveLock = new Object();

    /** One uploaded file: the name the client gave it (may be null) and its bytes, which the caller closes. */
    public record Part(String filename, InputStream content) {
        public Part {
            Objects.requireNonNull(content, "content");
        }
    }

    public DatasetImporter(Path root, UploadLimits limits, Collection<String> reservedNames, Clock clock) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
        this.limits = Objects.requireNonNull(limits, "limits");
        this.reservedNames = Set.copyOf(reservedNames);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.zip = new ZipImageImport(limits);
        this.idx = new IdxImport(limits);
    }

    public UploadLimits limits() {
        return limits;
    }

    /** Deletes what an import cut short by a crash left behind; nothing else under the root is touched. */
    public void removeLeftovers() {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> entries = Files.list(root)) {
            entries.filter(p -> p.getFileName().toString().startsWith(INCOMING_PREFIX)).forEach(DatasetImporter::deleteTree);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    /**
     * Checks {@code name}, imports {@code file} (and {@code labels}, IDX only; may be null) and
     * answers the manifest of the new dataset.
     *
     * @throws InvalidUploadException a rule broken, naming the field
     * @throws DatasetExistsException a dataset of that name exists already
     */
    public DatasetManifest importDataset(String name, Part file, Part labels) {
        checkName(name);
        if (file == null) {
            throw new InvalidUploadException("file", "is required: a zip of PNG or JPEG images, or an IDX images file "
                    + "(*-images-idx3-ubyte, optionally gzipped)");
        }
        Path target = root.resolve(name);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new DatasetExistsException(name);
        }
        Path incoming;
        try {
            Files.createDirectories(root);
            incoming = Files.createDirectory(root.resolve(INCOMING_PREFIX + UUID.randomUUID()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create an import folder under " + root, e);
        }
        try {
            ImportBudget budget = new ImportBudget(limits);
            BufferedInputStream in = budget.sent(file.content(), "file");
            ImportedDataset imported = switch (sniff(in)) {
                case ZIP -> {
                    if (labels != null) {
                        throw new InvalidUploadException("labels", "goes with an IDX images file only: a zip's labels "
                                + "are its class folders");
                    }
                    yield zip.importInto(incoming, in, budget);
                }
                case IDX -> idx.importInto(incoming, in, labels == null ? null : labels.content(), budget);
            };
            DatasetManifest manifest = new DatasetManifest(name, imported.format(), imported.images(), imported.classes(),
                    imported.width(), imported.height(), bytesUnder(imported.folder()), clock.instant(),
                    echo(file.filename()));
            Files.write(imported.folder().resolve(MANIFEST), json.writeValueAsBytes(manifest));
            synchronized (moveLock) {
                // checked again here: another upload of the same name may have finished meanwhile
                if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    throw new DatasetExistsException(name);
                }
                Files.move(imported.folder(), target, StandardCopyOption.ATOMIC_MOVE);
            }
            return manifest;
        } catch (IOException e) {
            throw new UncheckedIOException("importing dataset '" + name + "' failed", e);
        } finally {
            deleteQuietly(incoming);
        }
    }

    /** Name rules for uploads; also used to tell a request's {@code name} apart from its content. */
    public void checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidUploadException("name", "is required: the dataset's name, matching " + NAME.pattern());
        }
        if (!NAME.matcher(name).matches()) {
            throw new InvalidUploadException("name", "must match " + NAME.pattern() + " (lower-case letters, digits and "
                    + "'-', starting with a letter or digit, at most 64), was '" + echo(name) + "'");
        }
        if (reservedNames.contains(name)) {
            throw new InvalidUploadException("name", "'" + name + "' is a built-in dataset; choose another name");
        }
    }

    private enum Kind { ZIP, IDX }

    /** By the first bytes, not the file name, which the client may have got wrong. */
    private static Kind sniff(BufferedInputStream in) throws IOException {
        in.mark(4);
        byte[] head = in.readNBytes(4);
        in.reset();
        if (head.length == 0) {
            throw new InvalidUploadException("file", "is empty");
        }
        if (head.length >= 2 && head[0] == 'P' && head[1] == 'K') {
            return Kind.ZIP;
        }
        // an uncompressed IDX file starts with two zero bytes (its magic number's upper half)
        if (IdxReader.isGzip(head) || head.length == 4 && head[0] == 0 && head[1] == 0) {
            return Kind.IDX;
        }
        throw new InvalidUploadException("file", "must be a zip archive of PNG or JPEG images, or an IDX images file "
                + "(*-images-idx3-ubyte, optionally gzipped); its first bytes are neither");
    }

    private static long bytesUnder(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
    }

    /** Cleanup after success or failure; a failure to clean must not hide why the import failed. */
    private static void deleteQuietly(Path folder) {
        try {
            deleteTree(folder);
        } catch (UncheckedIOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not delete the import folder {0}: {1}", folder, e.toString());
        }
    }

    static void deleteTree(Path folder) {
        try {
            Files.walkFileTree(folder, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException e) {
            // already gone: the import folder itself was moved into place
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + folder, e);
        }
    }
}
