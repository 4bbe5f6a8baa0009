package io.ganserve.data;

import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Imports an uploaded dataset into the image folder root: a zip of PNG/JPEG images (flat, or one
 * folder per class, optionally inside one enclosing folder), or an IDX images file with an optional
 * IDX labels file, either gzipped. Everything is extracted into a hidden {@code .incoming-*} folder
 * beside the datasets, checked entry by entry against {@link UploadLimits}, and only then moved
 * under its name in one atomic rename; any failure deletes the folder, so a refused upload leaves
 * nothing behind. The checks count bytes as they are read or inflated and look at image headers
 * before decoding pixels, so neither an archive's declared sizes nor an image's can fool them.
 */
public final class DatasetImporter {

    /** The manifest's file name: hidden, so the image-folder loader skips it. */
    public static final String MANIFEST = ".dataset.json";
    /** Lower-case, so two uploads never differ by case only on a case-insensitive disk. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    static final String IDX_IMAGES = "train-images-idx3-ubyte";
    static final String IDX_LABELS = "train-labels-idx1-ubyte";

    private static final String INCOMING_PREFIX = ".incoming-";
    private static final String MAC_METADATA = "__MACOSX";
    private static final int BUFFER_BYTES = 1 << 16;
    /** Enclosing folder / class folder / file. */
    private static final int MAX_DEPTH = 3;
    private static final int MAX_SEGMENT = 200;
    private static final int ECHO = 80;
    private static final System.Logger LOG = System.getLogger(DatasetImporter.class.getName());

    private final Path root;
    private final UploadLimits limits;
    private final Set<String> reservedNames;
    private final Clock clock;
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
            Budget budget = new Budget();
            BufferedInputStream in = new BufferedInputStream(new UploadStream(file.content(), "file"), BUFFER_BYTES);
            Imported imported = switch (sniff(in)) {
                case ZIP -> {
                    if (labels != null) {
                        throw new InvalidUploadException("labels", "goes with an IDX images file only: a zip's labels "
                                + "are its class folders");
                    }
                    yield importZip(in, incoming, budget);
                }
                case IDX -> importIdx(in, labels, incoming, budget);
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

    /** Cleanup after success or failure; a failure to clean must not hide why the import failed. */
    private static void deleteQuietly(Path folder) {
        try {
            deleteTree(folder);
        } catch (UncheckedIOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not delete the import folder {0}: {1}", folder, e.toString());
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

    private record Imported(Path folder, String format, int images, List<String> classes, int width, int height) {}

    private Kind sniff(BufferedInputStream in) throws IOException {
        in.mark(4);
        byte[] head = in.readNBytes(4);
        in.reset();
        if (head.length == 0) {
            throw new InvalidUploadException("file", "is empty");
        }
        if (head.length >= 2 && head[0] == 'P' && head[1] == 'K') {
            return Kind.ZIP;
        }
        if (isGzip(head) || head.length == 4 && head[0] == 0 && head[1] == 0) {
            return Kind.IDX;
        }
        throw new InvalidUploadException("file", "must be a zip archive of PNG or JPEG images, or an IDX images file "
                + "(*-images-idx3-ubyte, optionally gzipped); its first bytes are neither");
    }

    // ---- zip ----------------------------------------------------------------------------------

    private Imported importZip(InputStream in, Path incoming, Budget budget) throws IOException {
        List<List<String>> images = new ArrayList<>();
        int entries = 0;
        try {
            ZipInputStream zip = new ZipInputStream(in, StandardCharsets.UTF_8);
            for (ZipEntry entry = nextEntry(zip); entry != null; entry = nextEntry(zip)) {
                if (++entries > limits.maxEntries()) {
                    throw new InvalidUploadException("file", "holds more than " + limits.maxEntries()
                            + " entries (ganserve.datasets.upload.max-entries)");
                }
                String entryName = entry.getName();
                List<String> segments = segmentsOf(entryName);
                if (entry.isDirectory() || segments.isEmpty() || ignored(segments)) {
                    // inflated and counted all the same: a bomb may hide in an entry nobody keeps
                    copy(zip, OutputStream.nullOutputStream(), budget, "file");
                    continue;
                }
                if (segments.size() > MAX_DEPTH) {
                    throw new InvalidUploadException("file", "entry '" + echo(entryName) + "' is nested too deep: "
                            + "images go at the top level or in one folder per class, optionally all inside one folder");
                }
                if (images.size() >= limits.maxImages()) {
                    throw new InvalidUploadException("file", "holds more than " + limits.maxImages()
                            + " images (ganserve.datasets.upload.max-images)");
                }
                Path destination = inside(incoming, segments, entryName);
                extract(zip, destination, entryName, budget);
                checkImage(destination, entryName, budget);
                images.add(segments);
            }
        } catch (ZipException | EOFException e) {
            throw new InvalidUploadException("file", "is not a readable zip archive: " + e.getMessage(), e);
        }
        if (images.isEmpty()) {
            throw new InvalidUploadException("file", "holds no PNG or JPEG images"
                    + (entries == 0 ? " (no zip entries at all)" : ""));
        }
        return zipLayout(incoming, images);
    }

    private static ZipEntry nextEntry(ZipInputStream zip) throws IOException {
        try {
            return zip.getNextEntry();
        } catch (IllegalArgumentException e) {
            // ZipInputStream's way of saying an entry name is not valid UTF-8
            throw new InvalidUploadException("file", "has an entry whose name is not valid UTF-8", e);
        }
    }

    /**
     * The entry's path segments; refuses absolute paths and {@code ..} (zip slip). Backslashes count
     * as separators, since Windows tools write them, and "." and empty segments are dropped.
     */
    private static List<String> segmentsOf(String entryName) {
        if (entryName.indexOf('\0') >= 0) {
            throw new InvalidUploadException("file", "entry '" + echo(entryName) + "' has a NUL character in its name");
        }
        String path = entryName.replace('\\', '/');
        if (path.startsWith("/") || path.matches("^[A-Za-z]:.*")) {
            throw new InvalidUploadException("file", "entry '" + echo(entryName) + "' is an absolute path; entries "
                    + "must be relative to the archive");
        }
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (segment.equals("..")) {
                throw new InvalidUploadException("file", "entry '" + echo(entryName) + "' climbs out of the archive "
                        + "with '..'");
            }
            if (segment.length() > MAX_SEGMENT) {
                throw new InvalidUploadException("file", "entry '" + echo(entryName) + "' has a name part longer "
                        + "than " + MAX_SEGMENT + " characters");
            }
            if (!segment.isEmpty() && !segment.equals(".")) {
                segments.add(segment);
            }
        }
        return segments;
    }

    /** Hidden files and folders, and the resource forks macOS adds to every zip it makes. */
    private static boolean ignored(List<String> segments) {
        return segments.getFirst().equals(MAC_METADATA) || segments.stream().anyMatch(s -> s.startsWith("."));
    }

    private static Path inside(Path folder, List<String> segments, String entryName) {
        Path path = folder;
        for (String segment : segments) {
            path = path.resolve(segment);
        }
        path = path.normalize();
        // segmentsOf already refused '..' and absolute names; this holds even if it is ever loosened
        if (!path.startsWith(folder) || path.equals(folder)) {
            throw new InvalidUploadException("file", "entry '" + echo(entryName) + "' points outside the archive");
        }
        return path;
    }

    private void extract(ZipInputStream zip, Path destination, String entryName, Budget budget) throws IOException {
        try {
            Files.createDirectories(destination.getParent());
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(destination,
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), BUFFER_BYTES)) {
                copy(zip, out, budget, "file");
            }
        } catch (FileAlreadyExistsException | NotDirectoryException e) {
            throw new InvalidUploadException("file", "entry '" + echo(entryName) + "' appears twice, or clashes with "
                    + "another entry's folder", e);
        }
    }

    private void checkImage(Path file, String entryName, Budget budget) throws IOException {
        if (!ImageFiles.isImage(file)) {
            throw new InvalidUploadException("file", "entry '" + echo(entryName) + "' is not a PNG or JPEG image");
        }
        int width;
        int height;
        try (ImageInputStream stream = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
            if (!readers.hasNext()) {
                throw new InvalidUploadException("file", "entry '" + echo(entryName) + "' is not a PNG or JPEG image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(stream, true, true);
                try {
                    width = reader.getWidth(0);
                    height = reader.getHeight(0);
                } catch (IOException | RuntimeException e) {
                    throw undecodable(entryName, e);
                }
                if (width <= 0 || height <= 0 || width > limits.maxImageSide() || height > limits.maxImageSide()) {
                    throw new InvalidUploadException("file", "entry '" + echo(entryName) + "' is " + width + " x "
                            + height + " pixels; each side may be at most " + limits.maxImageSide()
                            + " (ganserve.datasets.upload.max-image-side)");
                }
                long decoded;
                try {
                    decoded = decodedBytes(reader, width, height);
                } catch (IOException | RuntimeException e) {
                    throw undecodable(entryName, e);
                }
                budget.decode(decoded, width, height, entryName);
                try {
                    // decoded exactly as training will decode it, so what passes here also loads there
                    BufferedImage image = reader.read(0);
                    SquarePixels.centreSquareOf(image);
                } catch (IOException | RuntimeException e) {
                    throw undecodable(entryName, e);
                }
            } finally {
                reader.dispose();
            }
        }
    }

    /**
     * What decoding will allocate for the image's pixels, from its header alone: the raw image type
     * says how many bands and bits each pixel has (16-bit RGBA is 8 bytes a pixel, grey 1). A reader
     * that cannot say (some JPEG colour spaces) is counted as 8-bit RGBA, the most a JPEG decodes to.
     */
    private static long decodedBytes(ImageReader reader, int width, int height) throws IOException {
        javax.imageio.ImageTypeSpecifier raw = reader.getRawImageType(0);
        long bitsPerPixel = 32;
        if (raw != null) {
            bitsPerPixel = 0;
            for (int bits : raw.getSampleModel().getSampleSize()) {
                bitsPerPixel += bits;
            }
        }
        return ((long) width * height * bitsPerPixel + 7) / 8;
    }

    private static InvalidUploadException undecodable(String entryName, Exception e) {
        return new InvalidUploadException("file", "entry '" + echo(entryName) + "' does not decode as an image ("
                + echo(String.valueOf(e.getMessage())) + ")", e);
    }

    /**
     * Decides the folder layout: one folder enclosing everything is stripped; then images are all
     * loose (unlabelled) or all in class folders, never both, as the image-folder loader would
     * otherwise drop the loose ones.
     */
    private static Imported zipLayout(Path incoming, List<List<String>> images) {
        String enclosing = images.getFirst().getFirst();
        boolean wrapped = images.stream().allMatch(s -> s.size() >= 2 && s.getFirst().equals(enclosing));
        int strip = wrapped ? 1 : 0;
        Path folder = wrapped ? incoming.resolve(enclosing) : incoming;
        boolean loose = false;
        TreeSet<String> classes = new TreeSet<>();
        for (List<String> segments : images) {
            int depth = segments.size() - strip;
            if (depth > 2) {
                throw new InvalidUploadException("file", "entry '" + String.join("/", segments) + "' is nested too "
                        + "deep: images go at the top level or in one folder per class, optionally all inside one folder");
            }
            if (depth == 1) {
                loose = true;
            } else {
                classes.add(segments.get(strip));
            }
        }
        if (loose && !classes.isEmpty()) {
            throw new InvalidUploadException("file", "mixes loose images with class folders " + classes
                    + ": put every image in a class folder, or none");
        }
        return new Imported(folder, "zip", images.size(), List.copyOf(classes), 0, 0);
    }

    // ---- IDX ----------------------------------------------------------------------------------

    private Imported importIdx(BufferedInputStream in, Part labels, Path incoming, Budget budget) throws IOException {
        int[] dims;
        try (DataInputStream images = new DataInputStream(gunzipIfNeeded(in))) {
            int magic = readInt(images, "file");
            if (magic == IdxReader.LABELS_MAGIC) {
                throw new InvalidUploadException("file", "is an IDX labels file (magic 0x00000801); send the images "
                        + "file (*-images-idx3-ubyte) as file and this one as labels");
            }
            if (magic != IdxReader.IMAGES_MAGIC) {
                throw new InvalidUploadException("file", String.format("is not an IDX images file: magic 0x%08x, "
                        + "expected 0x%08x (unsigned bytes, count x rows x columns)", magic, IdxReader.IMAGES_MAGIC));
            }
            long count = readDimension(images, "file");
            long rows = readDimension(images, "file");
            long cols = readDimension(images, "file");
            if (count == 0 || count > limits.maxImages()) {
                throw new InvalidUploadException("file", "holds " + count + " images; it must hold 1 to "
                        + limits.maxImages() + " (ganserve.datasets.upload.max-images)");
            }
            if (rows == 0 || cols == 0 || rows > limits.maxImageSide() || cols > limits.maxImageSide()) {
                throw new InvalidUploadException("file", "images are " + cols + " x " + rows + " pixels; each side must "
                        + "be 1 to " + limits.maxImageSide() + " (ganserve.datasets.upload.max-image-side)");
            }
            long bytes = count * rows * cols;
            // one unsigned byte a pixel: IDX images decode to exactly their data
            if (rows * cols > limits.maxDecodedBytesPerImage()) {
                throw new UploadTooLargeException("file", "images are " + cols + " x " + rows + " pixels and decode to "
                        + rows * cols + " bytes each, more than " + limits.maxDecodedBytesPerImage()
                        + " (ganserve.datasets.upload.max-decoded-bytes-per-image)");
            }
            if (bytes > limits.maxDecodedBytes()) {
                throw new UploadTooLargeException("file", "announces " + count + " x " + rows + " x " + cols + " = "
                        + bytes + " decoded bytes, more than " + limits.maxDecodedBytes()
                        + " (ganserve.datasets.upload.max-decoded-bytes)");
            }
            if (bytes > limits.maxUncompressedBytes()) {
                throw new InvalidUploadException("file", "announces " + count + " x " + rows + " x " + cols + " = "
                        + bytes + " bytes, more than " + limits.maxUncompressedBytes()
                        + " (ganserve.datasets.upload.max-uncompressed-bytes)");
            }
            dims = new int[] {(int) count, (int) rows, (int) cols};
            writeIdx(incoming.resolve(IDX_IMAGES), IdxReader.IMAGES_MAGIC, dims, images, bytes, budget, "file",
                    null);
        } catch (ZipException | EOFException e) {
            throw new InvalidUploadException("file", "is a corrupt or truncated gzip stream: " + e.getMessage(), e);
        }
        List<String> classes = List.of();
        if (labels != null) {
            classes = importIdxLabels(labels, dims[0], incoming, budget);
        }
        return new Imported(incoming, "idx", dims[0], classes, dims[2], dims[1]);
    }

    private List<String> importIdxLabels(Part labels, int count, Path incoming, Budget budget) throws IOException {
        BufferedInputStream raw = new BufferedInputStream(new UploadStream(labels.content(), "labels"), BUFFER_BYTES);
        raw.mark(2);
        byte[] head = raw.readNBytes(2);
        raw.reset();
        if (head.length == 0) {
            throw new InvalidUploadException("labels", "is empty");
        }
        int[] largest = {-1};
        try (DataInputStream in = new DataInputStream(gunzipIfNeeded(raw))) {
            int magic = readInt(in, "labels");
            if (magic != IdxReader.LABELS_MAGIC) {
                throw new InvalidUploadException("labels", String.format("is not an IDX labels file: magic 0x%08x, "
                        + "expected 0x%08x (unsigned bytes, one dimension)", magic, IdxReader.LABELS_MAGIC));
            }
            long labelCount = readDimension(in, "labels");
            if (labelCount != count) {
                throw new InvalidUploadException("labels", "holds " + labelCount + " labels for " + count + " images; "
                        + "the two files must match");
            }
            writeIdx(incoming.resolve(IDX_LABELS), IdxReader.LABELS_MAGIC, new int[] {count}, in, count, budget,
                    "labels", largest);
        } catch (ZipException | EOFException e) {
            throw new InvalidUploadException("labels", "is a corrupt or truncated gzip stream: " + e.getMessage(), e);
        }
        List<String> classes = new ArrayList<>();
        for (int label = 0; label <= largest[0]; label++) {
            classes.add(Integer.toString(label));
        }
        return classes;
    }

    /**
     * Copies exactly {@code length} data bytes after a freshly written header and refuses a file
     * holding fewer or more; {@code largest}, when given, receives the largest byte seen.
     */
    private void writeIdx(Path file, int magic, int[] dims, InputStream in, long length, Budget budget, String field,
                          int[] largest) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file,
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), BUFFER_BYTES))) {
            out.writeInt(magic);
            for (int dim : dims) {
                out.writeInt(dim);
            }
            byte[] buffer = new byte[BUFFER_BYTES];
            long remaining = length;
            while (remaining > 0) {
                int read = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                if (read < 0) {
                    throw new InvalidUploadException(field, "is truncated: its header announces " + length
                            + " bytes of data, it holds " + (length - remaining));
                }
                budget.spend(read, field);
                if (largest != null) {
                    for (int i = 0; i < read; i++) {
                        largest[0] = Math.max(largest[0], buffer[i] & 0xFF);
                    }
                }
                out.write(buffer, 0, read);
                remaining -= read;
            }
            if (in.read() != -1) {
                throw new InvalidUploadException(field, "holds more data than the " + length + " bytes its header "
                        + "announces");
            }
        }
    }

    private static InputStream gunzipIfNeeded(BufferedInputStream in) throws IOException {
        in.mark(2);
        byte[] head = in.readNBytes(2);
        in.reset();
        return isGzip(head) ? new GZIPInputStream(in, BUFFER_BYTES) : in;
    }

    private static boolean isGzip(byte[] head) {
        return head.length >= 2 && (head[0] & 0xFF) == 0x1f && (head[1] & 0xFF) == 0x8b;
    }

    private static int readInt(DataInputStream in, String field) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new InvalidUploadException(field, "ends inside its IDX header", e);
        }
    }

    private static long readDimension(DataInputStream in, String field) throws IOException {
        return Integer.toUnsignedLong(readInt(in, field));
    }

    // ---- shared -------------------------------------------------------------------------------

    private static void copy(InputStream in, OutputStream out, Budget budget, String field) throws IOException {
        byte[] buffer = new byte[BUFFER_BYTES];
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
            budget.spend(read, field);
            out.write(buffer, 0, read);
        }
    }

    /**
     * Bytes inflated (or read, for uncompressed files) so far, against max-uncompressed-bytes, and
     * pixels' bytes as decoded, against max-decoded-bytes(-per-image).
     */
    private final class Budget {
        private long spent;
        private long decoded;

        /** Called before an image is decoded, so a refused one never is. */
        void decode(long bytes, int width, int height, String entryName) {
            if (bytes > limits.maxDecodedBytesPerImage()) {
                throw new UploadTooLargeException("file", "entry '" + echo(entryName) + "' is " + width + " x " + height
                        + " pixels and decodes to " + bytes + " bytes, more than " + limits.maxDecodedBytesPerImage()
                        + " (ganserve.datasets.upload.max-decoded-bytes-per-image)");
            }
            decoded += bytes;
            if (decoded > limits.maxDecodedBytes()) {
                throw new UploadTooLargeException("file", "images up to entry '" + echo(entryName) + "' decode to "
                        + decoded + " bytes, more than " + limits.maxDecodedBytes()
                        + " (ganserve.datasets.upload.max-decoded-bytes)");
            }
        }

        void spend(int bytes, String field) {
            spent += bytes;
            if (spent > limits.maxUncompressedBytes()) {
                throw new InvalidUploadException(field, "inflates to more than " + limits.maxUncompressedBytes()
                        + " bytes (ganserve.datasets.upload.max-uncompressed-bytes)");
            }
        }
    }

    /** Counts the bytes of the upload as sent and stops at max-upload-bytes. */
    private final class UploadStream extends FilterInputStream {
        private final String field;
        private long count;

        UploadStream(InputStream in, String field) {
            super(in);
            this.field = field;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int read = super.read(b, off, len);
            if (read > 0) {
                counted(read);
            }
            return read;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            counted(skipped);
            return skipped;
        }

        @Override
        public void close() {
            // the caller owns the part's stream
        }

        private void counted(long bytes) {
            count += bytes;
            if (count > limits.maxUploadBytes()) {
                throw new UploadTooLargeException(field, "is larger than " + limits.maxUploadBytes()
                        + " bytes (ganserve.datasets.upload.max-upload-bytes)");
            }
        }
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

    /** Client text put into a message, cut short so a megabyte of name does not come back. */
    private static String echo(String text) {
        if (text == null) {
            return null;
        }
        return text.length() <= ECHO ? text : text.substring(0, ECHO) + "…";
    }
}
