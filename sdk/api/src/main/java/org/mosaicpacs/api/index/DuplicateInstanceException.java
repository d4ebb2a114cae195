package org.mosaicpacs.api.index;

/** An instance with this SOP Instance UID is already recorded and replacing was not asked for. */
public class DuplicateInstanceException extends IndexException {

    private static final long serialVersionUID = 1L;

    private final InstanceRecord existing;

    public DuplicateInstanceException(InstanceRecord existing) {
        super("SOP Instance " + existing.sopInstanceUid() + " is already stored");
        this.existing = existing;
    }

    /** The record already in the index. */
    public InstanceRecord existing() {
        return existing;
    }
}
