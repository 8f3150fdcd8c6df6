package io.github.flinksoftmax.postprocess;

import java.io.Serializable;
import java.util.List;

/**
 * Class names by index. A row longer than the list has unnamed classes beyond it: their label is
 * {@code null} and encoders leave the label out rather than invent one.
 */
public final class Labels implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final Labels NONE = new Labels(List.of());

    private final String[] names;

    public Labels(List<String> names) {
        this.names = names.toArray(new String[0]);
    }

    /** The name of class {@code index}, or {@code null} when it has none. */
    public String label(int index) {
        return index >= 0 && index < names.length ? names[index] : null;
    }

    public int size() {
        return names.length;
    }

    public boolean isEmpty() {
        return names.length == 0;
    }
}
