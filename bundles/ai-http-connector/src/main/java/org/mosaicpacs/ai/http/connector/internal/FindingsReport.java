package org.mosaicpacs.ai.http.connector.internal;

import java.util.ArrayList;
import java.util.List;

import org.mosaicpacs.api.ai.AiException;
import org.mosaicpacs.api.ai.CodedConcept;
import org.mosaicpacs.api.ai.MeasurementReport;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.UidGenerator;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Turns an inference service's JSON findings into a TID 1500 Measurement Report, one TID 1501
 * measurement group per finding. The JSON (documented in the bundle README):
 *
 * <pre>
 * {"summary": "1 nodule",
 *  "findings": [{"label": "Nodule 1",
 *                "category": {"code": "49755003", "scheme": "SCT", "meaning": "Morphologically Altered Structure"},
 *                "finding":  {"code": "27925004", "scheme": "SCT", "meaning": "Nodule"},
 *                "site":     {"code": "39607008", "scheme": "SCT", "meaning": "Lung"},
 *                "measurements": [{"concept": {...}, "value": 7.5, "unit": {"code": "mm", "scheme": "UCUM", "meaning": "millimeter"}}],
 *                "evaluations":  [{"concept": {...}, "value": {...}}]}]}
 * </pre>
 */
final class FindingsReport {

    private FindingsReport() {
    }

    /**
     * The report, or null if the JSON lists no finding.
     *
     * @throws AiException (permanent) if the JSON does not have this shape
     */
    static DataSet build(JsonNode json, DataSet studySource, String deviceUid, String deviceName, int seriesNumber)
            throws AiException {
        JsonNode findings = json.path("findings");
        if (!findings.isArray()) {
            throw AiException.permanentFailure("the JSON answer has no \"findings\" array");
        }
        if (findings.isEmpty()) {
            return null;
        }
        MeasurementReport.Builder report = MeasurementReport.builder(studySource).device(deviceUid, deviceName)
                .series("AI findings (" + deviceName + ")", seriesNumber);
        int n = 0;
        for (JsonNode f : findings) {
            n++;
            try {
                List<MeasurementReport.Measurement> measurements = new ArrayList<>();
                for (JsonNode m : f.path("measurements")) {
                    JsonNode value = m.get("value");
                    if (value == null || !value.isNumber()) {
                        throw new IllegalArgumentException("a measurement has no numeric \"value\"");
                    }
                    measurements.add(new MeasurementReport.Measurement(code(m.get("concept"), "concept"), value.asDouble(),
                            code(m.get("unit"), "unit")));
                }
                List<MeasurementReport.Evaluation> evaluations = new ArrayList<>();
                for (JsonNode e : f.path("evaluations")) {
                    evaluations.add(new MeasurementReport.Evaluation(code(e.get("concept"), "concept"),
                            code(e.get("value"), "value")));
                }
                String label = f.path("label").asText("Finding " + n);
                report.group(new MeasurementReport.Group(label.isBlank() ? "Finding " + n : label, UidGenerator.newUid(),
                        optionalCode(f.get("category")), optionalCode(f.get("finding")), optionalCode(f.get("site")),
                        null, null, measurements, evaluations));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw AiException.permanentFailure("finding " + n + " of the JSON answer: " + e.getMessage(), e);
            }
        }
        return report.build(UidGenerator.newUid(), UidGenerator.newUid());
    }

    private static CodedConcept optionalCode(JsonNode node) {
        return node == null || node.isNull() ? null : code(node, "code");
    }

    private static CodedConcept code(JsonNode node, String what) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("\"" + what + "\" must be {\"code\", \"scheme\", \"meaning\"}");
        }
        return new CodedConcept(node.path("code").asText(null), node.path("scheme").asText(null),
                node.path("meaning").asText(null));
    }
}
