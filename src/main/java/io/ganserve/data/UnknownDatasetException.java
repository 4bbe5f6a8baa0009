package io.ganserve.data;

/** A name that is neither built in nor a folder under the image folder root. */
public class UnknownDatasetException extends RuntimeException {

    public UnknownDatasetException(String name, java.nio.file.Path root) {
        super("no dataset named '" + (name.length() > 80 ? name.substring(0, 80) + "…" : name)
                + "': it is not built in and there is no folder of that name in " + root);
    }
}
