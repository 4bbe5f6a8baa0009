package io.ganserve.evaluation.translation;

import io.ganserve.data.DataKind;
import io.ganserve.data.Dataset;

/**
 * Two image sets of one shape seen as one labelled set: by domain (which vendor drew it) for the
 * vendor classifier, or by the sets' own classes for a feature network both domains share.
 */
final class TwoDomains implements Dataset {

    enum Labels { DOMAIN, CLASS }

    private final String name;
    private final Dataset a;
    private final Dataset b;
    private final Labels labels;

    TwoDomains(String name, Dataset a, Dataset b, Labels labels) {
        if (!java.util.Arrays.equals(a.sampleShape(), b.sampleShape())) {
            throw new IllegalArgumentException(a.name() + " and " + b.name() + " differ in shape");
        }
        if (labels == Labels.CLASS && (a.numClasses() == 0 || a.numClasses() != b.numClasses())) {
            throw new IllegalArgumentException(a.name() + " and " + b.name() + " must share their classes");
        }
        this.name = name;
        this.a = a;
        this.b = b;
        this.labels = labels;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public DataKind kind() {
        return a.kind();
    }

    @Override
    public int[] sampleShape() {
        return a.sampleShape();
    }

    @Override
    public int size() {
        return a.size() + b.size();
    }

    @Override
    public int numClasses() {
        return labels == Labels.DOMAIN ? 2 : a.numClasses();
    }

    @Override
    public int label(int index) {
        boolean inA = index < a.size();
        if (labels == Labels.DOMAIN) {
            return inA ? 0 : 1;
        }
        return inA ? a.label(index) : b.label(index - a.size());
    }

    @Override
    public void copySample(int index, float[] dst, int offset) {
        if (index < a.size()) {
            a.copySample(index, dst, offset);
        } else {
            b.copySample(index - a.size(), dst, offset);
        }
    }
}
