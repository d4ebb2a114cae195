package org.mosaicpacs.api.index;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * An instance that an IHE IOCM rejection note rejected, as the index remembers it after the
 * instance itself is gone, so that the archive can refuse it when it is sent again.
 *
 * @param sopInstanceUid    the rejected SOP Instance UID
 * @param studyInstanceUid  its study, as the note listed it (may be null)
 * @param seriesInstanceUid its series, as the note listed it (may be null)
 * @param code              the note's title, a DCM Code Value (113001, 113037, 113038 or 113039)
 * @param noteUid           the SOP Instance UID of the rejection note
 * @param rejected          when the archive acted on the note
 * @since 1.2
 */
public record Rejection(String sopInstanceUid, String studyInstanceUid, String seriesInstanceUid, String code,
                        String noteUid, Instant rejected) {

    /** The rejection titles of IHE IOCM: Code Value in the DCM scheme to Code Meaning (PS3.16 Annex D). */
    public static final Map<String, String> TITLES = Map.of(
            "113001", "Rejected for Quality Reasons",
            "113037", "Rejected for Patient Safety Reasons",
            "113038", "Incorrect Modality Worklist Entry",
            "113039", "Data Retention Policy Expired");

    public Rejection {
        Objects.requireNonNull(sopInstanceUid, "sopInstanceUid");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(noteUid, "noteUid");
        Objects.requireNonNull(rejected, "rejected");
    }

    /** The note's title for people: its meaning, if an IOCM title, then the code in brackets. */
    public String title() {
        String meaning = TITLES.get(code);
        return meaning == null ? "rejection code " + code : meaning + " (" + code + ")";
    }
}
