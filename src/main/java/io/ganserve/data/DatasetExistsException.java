package io.ganserve.data;

/** An upload under a name some dataset already has; datasets are never overwritten. */
public class DatasetExistsException extends RuntimeException {

    private final String datasetName;

    public DatasetExistsException(String datasetName) {
        super("a dataset named '" + datasetName + "' already exists; choose another name");
        this.datasetName = datasetName;
    }

    public String datasetName() {
        return datasetName;
    }
}
