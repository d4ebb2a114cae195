package org.mosaicpacs.sample.ai.segmentation.internal;

import java.io.IOException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.mosaicpacs.api.ai.AiConnector;
import org.mosaicpacs.api.ai.AiConnectorProperties;
import org.mosaicpacs.api.ai.AiException;
import org.mosaicpacs.api.ai.AiRequest;
import org.mosaicpacs.api.ai.AiResult;
import org.mosaicpacs.api.ai.CodedConcept;
import org.mosaicpacs.api.ai.MeasurementReport;
import org.mosaicpacs.api.archive.Archive;
import org.mosaicpacs.api.archive.ArchiveException;
import org.mosaicpacs.api.archive.StoredInstance;
import org.mosaicpacs.api.index.InstanceRecord;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.UidGenerator;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sample AI connector: segments the air-filled lung and the bone of a CT series by thresholding
 * and 3D connected components, and returns a BINARY Segmentation with one segment each and a
 * TID 1500 Measurement Report with the volume of each segment.
 *
 * <p>Runs on every stable study with a CT series (its default rule, {@code mosaic.ai.modality=CT},
 * can be changed in its configuration). Of several CT series it takes the one with the most CT
 * Image Storage instances. Fails permanently for compressed slices, slices that do not form one
 * volume, or too few slices; finds nothing (no objects) when neither segment has a voxel left.
 */
@Component(service = AiConnector.class, configurationPid = CtSegmentationConnector.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@AiConnectorProperties(name = CtSegmentationConnector.NAME, modality = "CT")
@Designate(ocd = CtSegmentationConnector.Config.class)
public class CtSegmentationConnector implements AiConnector {

    static final String PID = "org.mosaicpacs.sample.ai.segmentation";
    static final String NAME = "sample-ct-segmentation";
    private static final Logger LOG = LoggerFactory.getLogger(CtSegmentationConnector.class);

    private static final CodedConcept ANATOMICAL_STRUCTURE = CodedConcept.sct("91723000", "Anatomical Structure");
    private static final CodedConcept LUNG = CodedConcept.sct("39607008", "Lung");
    private static final CodedConcept BONE = CodedConcept.sct("272673000", "Bone");

    @ObjectClassDefinition(name = "Mosaic sample CT segmentation", description = "Threshold and connected-component "
            + "segmentation of lung and bone, written back as SEG and SR.")
    public @interface Config {

        @AttributeDefinition(name = "Modalities", description = "Studies with a series of these modalities are processed.")
        String[] mosaic_ai_modality() default {"CT"};

        @AttributeDefinition(name = "Lung: highest HU", description = "Voxels at or below are air (lung, or outside the body).")
        int lungMaxHu() default -400;

        @AttributeDefinition(name = "Bone: lowest HU", description = "Voxels at or above are bone.")
        int boneMinHu() default 200;

        @AttributeDefinition(name = "Smallest component (mm3)", description = "Connected components below this volume are dropped.")
        double minComponentMm3() default 500;

        @AttributeDefinition(name = "Fewest slices", description = "Series with fewer slices are refused.")
        int minSlices() default 3;

        @AttributeDefinition(name = "Series number", description = "Series Number of the SEG; the SR gets the next one.")
        int seriesNumber() default 9100;
    }

    private final Archive archive;
    private final ThresholdSegmenter segmenter;
    private final SegmentationWriter writer;
    private final String deviceUid;
    private final String version;
    private final int minSlices;
    private final int seriesNumber;

    @Activate
    public CtSegmentationConnector(@Reference Archive archive, BundleContext context, Config config) {
        this(archive, config, context.getBundle().getVersion().toString());
    }

    CtSegmentationConnector(Archive archive, Config config, String version) {
        this.archive = archive;
        this.segmenter = new ThresholdSegmenter(new ThresholdSegmenter.Parameters(config.lungMaxHu(), config.boneMinHu(),
                config.minComponentMm3()));
        this.version = version;
        this.writer = new SegmentationWriter("Mosaic PACS sample plugins", "Threshold lung and bone segmentation", version);
        // one Device Observer UID per algorithm version (TID 1004), the same on every node: a name-based UUID
        this.deviceUid = "2.25." + UidGenerator.unsigned(java.util.UUID.nameUUIDFromBytes(
                (NAME + "/" + version).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        this.minSlices = config.minSlices();
        this.seriesNumber = config.seriesNumber();
    }

    @Override
    public AiResult process(AiRequest request) throws AiException, InterruptedException {
        List<InstanceRecord> series = largestCtSeries(request.instances());
        if (series.size() < minSlices) {
            throw AiException.permanentFailure("the CT series has " + series.size() + " slice(s); at least " + minSlices
                    + " are needed");
        }
        CtVolume volume;
        try {
            volume = CtVolume.read(series.stream().map(InstanceRecord::sopInstanceUid).toList(), this::open);
        } catch (IOException e) {
            throw AiException.transientFailure("cannot read the CT series: " + e.getMessage(), e);
        }
        ThresholdSegmenter.Mask lung = segmenter.lung(volume);
        ThresholdSegmenter.Mask bone = segmenter.bone(volume);
        List<SegmentationWriter.Segment> segments = new ArrayList<>();
        if (lung.count() > 0) {
            segments.add(new SegmentationWriter.Segment(segments.size() + 1, "Lung", ANATOMICAL_STRUCTURE, LUNG,
                    SegmentationWriter.cieLab(197, 165, 145), lung.voxels()));
        }
        if (bone.count() > 0) {
            segments.add(new SegmentationWriter.Segment(segments.size() + 1, "Bone", ANATOMICAL_STRUCTURE, BONE,
                    SegmentationWriter.cieLab(241, 214, 145), bone.voxels()));
        }
        if (segments.isEmpty()) {
            return AiResult.nothingFound("no lung or bone found in " + volume.slices.size() + " slices");
        }
        LocalDateTime now = LocalDateTime.now();
        String segSeries = UidGenerator.newUid();
        String segUid = UidGenerator.newUid();
        DataSet seg = writer.write(volume, segments, segSeries, segUid, seriesNumber, now);

        DataSet first = volume.slices.get(0).header();
        MeasurementReport.Builder report = MeasurementReport.builder(first)
                .device(deviceUid, "Mosaic sample CT segmentation " + version)
                .series("Sample CT segmentation volumes", seriesNumber + 1)
                .contentDateTime(now)
                .segmentationSeries(segSeries)
                .sourceImages(volume.slices.stream().map(s -> new MeasurementReport.SourceImage(
                        s.header().getString(Tag.SeriesInstanceUID), s.header().getString(Tag.SOPClassUID),
                        s.header().getString(Tag.SOPInstanceUID))).toList());
        StringBuilder summary = new StringBuilder();
        for (SegmentationWriter.Segment s : segments) {
            double mm3 = s.voxels().cardinality() * volume.voxelVolumeMm3();
            report.group(new MeasurementReport.Group(s.label(), UidGenerator.newUid(), s.category(), s.type(), s.type(),
                    new MeasurementReport.SegmentReference(segUid, s.number()), first.getString(Tag.SeriesInstanceUID),
                    List.of(new MeasurementReport.Measurement(MeasurementReport.VOLUME, round(mm3),
                            MeasurementReport.CUBIC_MILLIMETER)), List.of()));
            summary.append(summary.length() == 0 ? "" : ", ")
                    .append(String.format(Locale.ROOT, "%s %.1f ml", s.label(), mm3 / 1000));
        }
        DataSet sr = report.build(UidGenerator.newUid(), UidGenerator.newUid());
        LOG.info("Job {}: {} in {} slices", request.jobId(), summary, volume.slices.size());
        return AiResult.of(summary + " (" + volume.slices.size() + " slices)", seg, sr);
    }

    /** The CT Image Storage instances of the series with most of them. */
    static List<InstanceRecord> largestCtSeries(List<InstanceRecord> instances) {
        Map<String, List<InstanceRecord>> bySeries = new TreeMap<>();
        for (InstanceRecord i : instances) {
            if (UID.CTImageStorage.equals(i.sopClassUid())) {
                bySeries.computeIfAbsent(i.seriesInstanceUid(), s -> new ArrayList<>()).add(i);
            }
        }
        return bySeries.values().stream().max(java.util.Comparator.comparingInt(List::size)).orElse(List.of());
    }

    private java.io.InputStream open(String sopInstanceUid) throws AiException {
        try {
            StoredInstance instance = archive.open(sopInstanceUid);
            return new java.io.FilterInputStream(instance.stream()) {
                @Override
                public void close() throws IOException {
                    instance.close();
                }
            };
        } catch (ArchiveException e) {
            throw e.reason() == ArchiveException.Reason.NOT_FOUND
                    ? AiException.permanentFailure("slice " + sopInstanceUid + " is no longer in the archive", e)
                    : AiException.transientFailure("cannot open a slice: " + e.getMessage(), e);
        }
    }

    private static double round(double mm3) {
        return Math.round(mm3 * 10) / 10.0;
    }
}
