package org.mosaicpacs.api.ai;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Sequence;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.VR;

/**
 * Writes AI findings as a DICOM Comprehensive 3D SR document following TID 1500 "Measurement
 * Report" (PS3.16): language, device observer (TID 1001/1004), procedure reported, an Image
 * Library (TID 1600) of the source images, and one measurement group per finding, either TID 1411
 * "Volumetric ROI Measurements" (referencing a segment of a Segmentation) or TID 1501 "Measurement
 * and Qualitative Evaluation Group" (a finding without a region).
 *
 * <pre>
 * DataSet sr = MeasurementReport.builder(firstCtSlice)
 *         .device(algorithmUid, "Lung segmentation 1.0")
 *         .sourceImages(ctSlices)
 *         .group(new MeasurementReport.Group("Lung 1", trackingUid, category, lungType, lungSite,
 *                 new MeasurementReport.SegmentReference(segSopInstanceUid, 1), ctSeriesUid,
 *                 List.of(new MeasurementReport.Measurement(MeasurementReport.VOLUME, 4321.5, MeasurementReport.CUBIC_MILLIMETER)),
 *                 List.of()))
 *         .build(seriesUid, sopInstanceUid);
 * </pre>
 *
 * Not thread-safe; one builder per document.
 */
public final class MeasurementReport {

    /** (126000, DCM, "Imaging Measurement Report"): the document title of CID 7021. */
    public static final CodedConcept IMAGING_MEASUREMENT_REPORT = CodedConcept.dcm("126000", "Imaging Measurement Report");
    /** (118565006, SCT, "Volume"). */
    public static final CodedConcept VOLUME = CodedConcept.sct("118565006", "Volume");
    /** (mm3, UCUM, "cubic millimeter"). */
    public static final CodedConcept CUBIC_MILLIMETER = CodedConcept.ucum("mm3", "cubic millimeter");
    /** (1, UCUM, "no units"), for counts and probabilities. */
    public static final CodedConcept NO_UNITS = CodedConcept.ucum("1", "no units");

    private static final CodedConcept LANGUAGE = CodedConcept.dcm("121049", "Language of Content Item and Descendants");
    private static final CodedConcept ENGLISH = new CodedConcept("en-US", "RFC5646", "English (United States)");
    private static final CodedConcept COUNTRY = CodedConcept.dcm("121046", "Country of Language");
    private static final CodedConcept USA = new CodedConcept("US", "ISO3166_1", "United States");
    private static final CodedConcept OBSERVER_TYPE = CodedConcept.dcm("121005", "Observer Type");
    private static final CodedConcept DEVICE = CodedConcept.dcm("121007", "Device");
    private static final CodedConcept DEVICE_OBSERVER_UID = CodedConcept.dcm("121012", "Device Observer UID");
    private static final CodedConcept DEVICE_OBSERVER_NAME = CodedConcept.dcm("121013", "Device Observer Name");
    private static final CodedConcept PROCEDURE_REPORTED = CodedConcept.dcm("121058", "Procedure reported");
    private static final CodedConcept IMAGE_LIBRARY = CodedConcept.dcm("111028", "Image Library");
    private static final CodedConcept IMAGE_LIBRARY_GROUP = CodedConcept.dcm("126200", "Image Library Group");
    private static final CodedConcept IMAGING_MEASUREMENTS = CodedConcept.dcm("126010", "Imaging Measurements");
    private static final CodedConcept MEASUREMENT_GROUP = CodedConcept.dcm("125007", "Measurement Group");
    private static final CodedConcept TRACKING_IDENTIFIER = CodedConcept.dcm("112039", "Tracking Identifier");
    private static final CodedConcept TRACKING_UID = CodedConcept.dcm("112040", "Tracking Unique Identifier");
    private static final CodedConcept FINDING_CATEGORY = CodedConcept.sct("276214006", "Finding category");
    private static final CodedConcept FINDING = CodedConcept.dcm("121071", "Finding");
    private static final CodedConcept FINDING_SITE = CodedConcept.sct("363698007", "Finding Site");
    private static final CodedConcept REFERENCED_SEGMENT = CodedConcept.dcm("121191", "Referenced Segment");
    private static final CodedConcept SOURCE_SERIES = CodedConcept.dcm("121232", "Source series for segmentation");

    /** A numeric measurement (TID 1419 / TID 300): concept, value, UCUM unit. */
    public record Measurement(CodedConcept concept, double value, CodedConcept unit) {
        public Measurement {
            Objects.requireNonNull(concept, "concept");
            Objects.requireNonNull(unit, "unit");
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("a measured value must be finite: " + value);
            }
        }
    }

    /** A qualitative evaluation: concept and coded value (e.g. (Probability of malignancy) = (High)). */
    public record Evaluation(CodedConcept concept, CodedConcept value) {
        public Evaluation {
            Objects.requireNonNull(concept, "concept");
            Objects.requireNonNull(value, "value");
        }
    }

    /** A segment of a Segmentation instance (SOP Class {@value UID#SegmentationStorage}). */
    public record SegmentReference(String segmentationSopInstanceUid, int segmentNumber) {
        public SegmentReference {
            Objects.requireNonNull(segmentationSopInstanceUid, "segmentationSopInstanceUid");
            if (segmentNumber < 1) {
                throw new IllegalArgumentException("segment numbers start at 1: " + segmentNumber);
            }
        }
    }

    /**
     * One finding.
     *
     * @param trackingIdentifier a label for people, e.g. "Lung 1"
     * @param trackingUid        a UID identifying the finding across reports
     * @param findingCategory    e.g. (91723000, SCT, "Anatomical Structure"), or null
     * @param finding            what was found, e.g. (39607008, SCT, "Lung"), or null
     * @param findingSite        where, or null
     * @param segment            the segment the measurements were made on (TID 1411), or null (TID 1501)
     * @param sourceSeriesUid    the series the segmentation was made from; required with {@code segment}
     * @param measurements       numeric measurements
     * @param evaluations        qualitative evaluations
     */
    public record Group(String trackingIdentifier, String trackingUid, CodedConcept findingCategory, CodedConcept finding,
                        CodedConcept findingSite, SegmentReference segment, String sourceSeriesUid,
                        List<Measurement> measurements, List<Evaluation> evaluations) {
        public Group {
            Objects.requireNonNull(trackingIdentifier, "trackingIdentifier");
            Objects.requireNonNull(trackingUid, "trackingUid");
            if (segment != null && sourceSeriesUid == null) {
                throw new IllegalArgumentException("a group with a segment needs its source series");
            }
            measurements = List.copyOf(measurements);
            evaluations = List.copyOf(evaluations);
        }
    }

    /** A source image: its series, SOP class and instance. */
    public record SourceImage(String seriesInstanceUid, String sopClassUid, String sopInstanceUid) {
    }

    private MeasurementReport() {
    }

    /**
     * A report in the study of {@code studySource} (an input instance: its patient and study
     * attributes are copied, see {@link StudyContext}).
     */
    public static Builder builder(DataSet studySource) {
        return new Builder(studySource);
    }

    /** Builds one document. */
    public static final class Builder {
        private final DataSet source;
        private final List<Group> groups = new ArrayList<>();
        private final List<SourceImage> sourceImages = new ArrayList<>();
        private String deviceUid;
        private String deviceName;
        private CodedConcept procedure;
        private String manufacturer = "Mosaic PACS";
        private String seriesDescription = "AI measurement report";
        private int seriesNumber = 9001;
        private String segmentationSeriesUid;
        private LocalDateTime contentDateTime = LocalDateTime.now();

        private Builder(DataSet source) {
            this.source = Objects.requireNonNull(source, "source");
        }

        /** The algorithm as the observer (TID 1004): its UID and name. Required. */
        public Builder device(String uid, String name) {
            this.deviceUid = Objects.requireNonNull(uid, "uid");
            this.deviceName = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Procedure reported (CID 100); default from the source's Modality (CT, MR, PT) or "Imaging procedure". */
        public Builder procedureReported(CodedConcept procedure) {
            this.procedure = procedure;
            return this;
        }

        /** Manufacturer (0008,0070) of the equipment that made the report. */
        public Builder manufacturer(String manufacturer) {
            this.manufacturer = manufacturer;
            return this;
        }

        /** Series Description and Series Number of the report's series. */
        public Builder series(String description, int number) {
            this.seriesDescription = description;
            this.seriesNumber = number;
            return this;
        }

        /** Content Date and Time. Default: when the builder was made. */
        public Builder contentDateTime(LocalDateTime when) {
            this.contentDateTime = Objects.requireNonNull(when, "when");
            return this;
        }

        /** The Series Instance UID of the Segmentation the groups' segments are in (for the evidence). */
        public Builder segmentationSeries(String seriesInstanceUid) {
            this.segmentationSeriesUid = seriesInstanceUid;
            return this;
        }

        /** The images the findings were derived from: listed in the Image Library. */
        public Builder sourceImages(List<SourceImage> images) {
            sourceImages.addAll(images);
            return this;
        }

        /** Adds a finding. */
        public Builder group(Group group) {
            groups.add(Objects.requireNonNull(group, "group"));
            return this;
        }

        /**
         * The Comprehensive 3D SR instance.
         *
         * @throws IllegalStateException if no device was set
         */
        public DataSet build(String seriesInstanceUid, String sopInstanceUid) {
            if (deviceUid == null) {
                throw new IllegalStateException("set the device observer (the algorithm) first");
            }
            DataSet ds = new DataSet();
            StudyContext.copy(source, ds);
            ds.setString(Tag.SOPClassUID, VR.UI, UID.Comprehensive3DSRStorage);
            ds.setString(Tag.SOPInstanceUID, VR.UI, sopInstanceUid);
            ds.setString(Tag.Modality, VR.CS, "SR");
            ds.setString(Tag.SeriesInstanceUID, VR.UI, seriesInstanceUid);
            ds.setInt(Tag.SeriesNumber, VR.IS, seriesNumber);
            ds.setString(Tag.SeriesDescription, VR.LO, seriesDescription);
            ds.newSequence(Tag.ReferencedPerformedProcedureStepSequence);
            ds.setString(Tag.Manufacturer, VR.LO, manufacturer);
            ds.setInt(Tag.InstanceNumber, VR.IS, 1);
            ds.setDate(Tag.ContentDate, contentDateTime.toLocalDate());
            ds.setTime(Tag.ContentTime, contentDateTime.toLocalTime().withNano(0));
            ds.setString(Tag.CompletionFlag, VR.CS, "COMPLETE");
            ds.setString(Tag.VerificationFlag, VR.CS, "UNVERIFIED");
            ds.newSequence(Tag.PerformedProcedureCodeSequence);
            writeEvidence(ds);
            // the root content item (PS3.3 C.17.3) with TID 1500
            ds.setString(Tag.ValueType, VR.CS, "CONTAINER");
            IMAGING_MEASUREMENT_REPORT.setAsSequence(ds, Tag.ConceptNameCodeSequence);
            ds.setString(Tag.ContinuityOfContent, VR.CS, "SEPARATE");
            template(ds, "1500");
            Sequence content = ds.newSequence(Tag.ContentSequence);
            DataSet language = code(content, "HAS CONCEPT MOD", LANGUAGE, ENGLISH);
            code(language.newSequence(Tag.ContentSequence), "HAS CONCEPT MOD", COUNTRY, USA);
            code(content, "HAS OBS CONTEXT", OBSERVER_TYPE, DEVICE);
            uidref(content, "HAS OBS CONTEXT", DEVICE_OBSERVER_UID, deviceUid);
            text(content, "HAS OBS CONTEXT", DEVICE_OBSERVER_NAME, deviceName);
            code(content, "HAS CONCEPT MOD", PROCEDURE_REPORTED, procedure != null ? procedure : procedureFor(source));
            DataSet library = container(content, IMAGE_LIBRARY, null);
            if (!sourceImages.isEmpty()) {
                Sequence libraryContent = library.newSequence(Tag.ContentSequence);
                DataSet group = container(libraryContent, IMAGE_LIBRARY_GROUP, null);
                Sequence entries = group.newSequence(Tag.ContentSequence);
                for (SourceImage image : sourceImages) {
                    DataSet entry = entries.addNewItem();
                    entry.setString(Tag.RelationshipType, VR.CS, "CONTAINS");
                    entry.setString(Tag.ValueType, VR.CS, "IMAGE");
                    DataSet ref = entry.newSequence(Tag.ReferencedSOPSequence).addNewItem();
                    ref.setString(Tag.ReferencedSOPClassUID, VR.UI, image.sopClassUid());
                    ref.setString(Tag.ReferencedSOPInstanceUID, VR.UI, image.sopInstanceUid());
                }
            }
            DataSet measurements = container(content, IMAGING_MEASUREMENTS, null);
            Sequence groupItems = measurements.newSequence(Tag.ContentSequence);
            for (Group g : groups) {
                writeGroup(groupItems, g);
            }
            return ds;
        }

        private void writeGroup(Sequence items, Group g) {
            DataSet group = container(items, MEASUREMENT_GROUP, g.segment() != null ? "1411" : "1501");
            Sequence content = group.newSequence(Tag.ContentSequence);
            text(content, "HAS OBS CONTEXT", TRACKING_IDENTIFIER, g.trackingIdentifier());
            uidref(content, "HAS OBS CONTEXT", TRACKING_UID, g.trackingUid());
            if (g.findingCategory() != null) {
                code(content, "CONTAINS", FINDING_CATEGORY, g.findingCategory());
            }
            if (g.finding() != null) {
                code(content, "CONTAINS", FINDING, g.finding());
            }
            if (g.segment() != null) {
                DataSet image = content.addNewItem();
                image.setString(Tag.RelationshipType, VR.CS, "CONTAINS");
                image.setString(Tag.ValueType, VR.CS, "IMAGE");
                REFERENCED_SEGMENT.setAsSequence(image, Tag.ConceptNameCodeSequence);
                DataSet ref = image.newSequence(Tag.ReferencedSOPSequence).addNewItem();
                ref.setString(Tag.ReferencedSOPClassUID, VR.UI, UID.SegmentationStorage);
                ref.setString(Tag.ReferencedSOPInstanceUID, VR.UI, g.segment().segmentationSopInstanceUid());
                ref.setInt(Tag.ReferencedSegmentNumber, VR.US, g.segment().segmentNumber());
                uidref(content, "CONTAINS", SOURCE_SERIES, g.sourceSeriesUid());
            }
            if (g.findingSite() != null) {
                code(content, "HAS CONCEPT MOD", FINDING_SITE, g.findingSite());
            }
            for (Measurement m : g.measurements()) {
                DataSet num = item(content, "CONTAINS", "NUM", m.concept());
                DataSet value = num.newSequence(Tag.MeasuredValueSequence).addNewItem();
                m.unit().setAsSequence(value, Tag.MeasurementUnitsCodeSequence);
                value.setString(Tag.NumericValue, VR.DS, decimalString(m.value()));
            }
            for (Evaluation e : g.evaluations()) {
                code(content, "CONTAINS", e.concept(), e.value());
            }
        }

        /**
         * Current Requested Procedure Evidence Sequence (PS3.3 C.17.2.2): every instance the
         * content refers to, by series.
         */
        private void writeEvidence(DataSet ds) {
            Map<String, Map<String, String>> bySeries = new LinkedHashMap<>();
            for (SourceImage image : sourceImages) {
                bySeries.computeIfAbsent(image.seriesInstanceUid(), s -> new LinkedHashMap<>())
                        .put(image.sopInstanceUid(), image.sopClassUid());
            }
            for (Group g : groups) {
                if (g.segment() != null) {
                    if (segmentationSeriesUid == null) {
                        throw new IllegalStateException("groups reference segments: name the Segmentation's series");
                    }
                    bySeries.computeIfAbsent(segmentationSeriesUid, s -> new LinkedHashMap<>())
                            .put(g.segment().segmentationSopInstanceUid(), UID.SegmentationStorage);
                }
            }
            if (bySeries.isEmpty()) {
                return;
            }
            DataSet study = ds.newSequence(Tag.CurrentRequestedProcedureEvidenceSequence).addNewItem();
            study.setString(Tag.StudyInstanceUID, VR.UI, source.getString(Tag.StudyInstanceUID));
            Sequence series = study.newSequence(Tag.ReferencedSeriesSequence);
            bySeries.forEach((seriesUid, instances) -> {
                DataSet s = series.addNewItem();
                s.setString(Tag.SeriesInstanceUID, VR.UI, seriesUid);
                Sequence sops = s.newSequence(Tag.ReferencedSOPSequence);
                instances.forEach((sop, sopClass) -> {
                    DataSet i = sops.addNewItem();
                    i.setString(Tag.ReferencedSOPClassUID, VR.UI, sopClass);
                    i.setString(Tag.ReferencedSOPInstanceUID, VR.UI, sop);
                });
            });
        }
    }

    /** (77477000, SCT, "CT"), (113091000, SCT, "MRI"), (44139005, SCT, "PET") or (363679005, SCT, "Imaging"). */
    static CodedConcept procedureFor(DataSet source) {
        String modality = source.getString(Tag.Modality);
        return switch (modality == null ? "" : modality.trim()) {
            case "CT" -> CodedConcept.sct("77477000", "Computerized axial tomography");
            case "MR" -> CodedConcept.sct("113091000", "Magnetic resonance imaging");
            case "PT" -> CodedConcept.sct("82918005", "Positron emission tomography");
            default -> CodedConcept.sct("363679005", "Imaging");
        };
    }

    private static DataSet item(Sequence content, String relationship, String valueType, CodedConcept name) {
        DataSet item = content.addNewItem();
        item.setString(Tag.RelationshipType, VR.CS, relationship);
        item.setString(Tag.ValueType, VR.CS, valueType);
        name.setAsSequence(item, Tag.ConceptNameCodeSequence);
        return item;
    }

    private static DataSet container(Sequence content, CodedConcept name, String templateId) {
        DataSet item = item(content, "CONTAINS", "CONTAINER", name);
        item.setString(Tag.ContinuityOfContent, VR.CS, "SEPARATE");
        if (templateId != null) {
            template(item, templateId);
        }
        return item;
    }

    private static DataSet code(Sequence content, String relationship, CodedConcept name, CodedConcept value) {
        DataSet item = item(content, relationship, "CODE", name);
        value.setAsSequence(item, Tag.ConceptCodeSequence);
        return item;
    }

    private static void text(Sequence content, String relationship, CodedConcept name, String value) {
        item(content, relationship, "TEXT", name).setString(Tag.TextValue, VR.UT, value);
    }

    private static void uidref(Sequence content, String relationship, CodedConcept name, String uid) {
        item(content, relationship, "UIDREF", name).setString(Tag.UID, VR.UI, uid);
    }

    private static void template(DataSet item, String templateId) {
        DataSet t = item.newSequence(Tag.ContentTemplateSequence).addNewItem();
        t.setString(Tag.MappingResource, VR.CS, "DCMR");
        t.setString(Tag.TemplateIdentifier, VR.CS, templateId);
    }

    /** A DS value of at most 16 characters (PS3.5 6.2). */
    static String decimalString(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        String s = Double.toString(v);
        if (s.length() <= 16 && !s.contains("E")) {
            return s;
        }
        for (int digits = 14; digits > 0; digits--) {
            String f = String.format(java.util.Locale.ROOT, "%." + digits + "g", v).replace("e+", "E").replace("e-", "E-");
            if (f.length() <= 16) {
                return f;
            }
        }
        throw new IllegalArgumentException("cannot write " + v + " as a decimal string");
    }
}
