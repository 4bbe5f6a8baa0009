package io.ganserve.data;

import java.nio.file.Path;
import java.util.List;

/** A dataset that cannot be found or holds nothing usable; says where it was looked for. */
public class DatasetUnavailableException extends RuntimeException {

    private final String datasetName;
    // Path is not Serializable; the places are also spelled out in the message.
    private final transient List<Path> lookedAt;

    public DatasetUnavailableException(String datasetName, List<Path> lookedAt, String message) {
        super(message);
        this.datasetName = datasetName;
        this.lookedAt = List.copyOf(lookedAt);
    }

    public String datasetName() {
        return datasetName;
    }

    public List<Path> lookedAt() {
        return lookedAt;
    }
}
