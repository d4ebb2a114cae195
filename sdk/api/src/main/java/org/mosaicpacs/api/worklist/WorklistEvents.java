package org.mosaicpacs.api.worklist;

/**
 * EventAdmin topics the worklist store posts (asynchronously, after the change is committed) and
 * the names of their properties. Events carry the item id only, never patient data.
 */
public final class WorklistEvents {

    /** An item was created. Property: {@link #PROPERTY_ITEM_ID}. */
    public static final String ITEM_CREATED = "org/mosaicpacs/worklist/ITEM_CREATED";
    /** An item was changed (attributes or step status). Property: {@link #PROPERTY_ITEM_ID}. */
    public static final String ITEM_UPDATED = "org/mosaicpacs/worklist/ITEM_UPDATED";
    /** An item was removed. Property: {@link #PROPERTY_ITEM_ID}. */
    public static final String ITEM_DELETED = "org/mosaicpacs/worklist/ITEM_DELETED";
    /** The item id (String). */
    public static final String PROPERTY_ITEM_ID = "mosaic.worklist.item";

    private WorklistEvents() {
    }
}
