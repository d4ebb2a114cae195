package org.mosaicpacs.service.mpps.internal;

import java.sql.SQLException;
import java.time.Clock;

import javax.sql.DataSource;

import org.mosaicpacs.api.worklist.WorklistStore;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.net.Dimse;
import org.mosaicpacs.dicom.net.DimseResponse;
import org.mosaicpacs.dicom.net.DimseStatusException;
import org.mosaicpacs.dicom.net.Status;
import org.mosaicpacs.dicom.net.handler.DimseContext;
import org.mosaicpacs.dicom.net.handler.DimseHandler;
import org.mosaicpacs.dicom.net.handler.DimseHandlerProperties;
import org.mosaicpacs.dicom.net.handler.DimseRequest;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Modality Performed Procedure Step SCP (PS3.4 F.7, SOP Class 1.2.840.10008.3.1.2.3.3): N-CREATE
 * and N-SET, kept in the index database (DataSource {@code mosaic}), linked to the worklist items
 * (a {@link WorklistStore}, when one is registered) and to the series the step lists.
 *
 * <p>Statuses. N-CREATE-RSP: 0000 Success (with the Affected SOP Instance UID, assigned when the
 * request had none); 0120 Missing Attribute, 0121 Missing Attribute Value (Offending Element lists
 * them); 0106 Invalid Attribute Value (status other than IN PROGRESS, with the Attribute List);
 * 0111 Duplicate SOP Instance; 0117 Invalid Object Instance (malformed UID). N-SET-RSP: 0000;
 * 0112 No Such Object Instance; 0110 Processing Failure with Error Comment "Performed Procedure
 * Step Object may no longer be updated" and Error ID A710 once COMPLETED or DISCONTINUED; 0105
 * No Such Attribute (a change to an attribute N-SET may not carry); 0106 (unknown status); 0121
 * (COMPLETED or DISCONTINUED without the final-state attributes).
 *
 * <p>Also the Modality Performed Procedure Step Retrieve SOP Class (PS3.4 F.8,
 * 1.2.840.10008.3.1.2.3.4): N-GET returns the listed attributes of a step (all when none are
 * listed; attributes the step lacks are left out), 0112 for an unknown UID.
 *
 * <p>Any other DIMSE service of either SOP class: 0211 Unrecognized Operation. A database
 * failure: 0110 Processing Failure with the reason.
 */
@Component(service = DimseHandler.class, configurationPid = MppsScp.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@DimseHandlerProperties(sopclass = {UID.ModalityPerformedProcedureStep, UID.ModalityPerformedProcedureStepRetrieve})
@Designate(ocd = MppsScp.Config.class)
public class MppsScp implements DimseHandler {

    static final String PID = "org.mosaicpacs.service.mpps";

    @ObjectClassDefinition(name = "Mosaic MPPS SCP", description = "Modality Performed Procedure Step: attribute "
            + "rules, worklist links and the database (also read by /api/mpps).")
    public @interface Config {

        @AttributeDefinition(name = "Require Type 2 attributes", description = "Refuse an N-CREATE that leaves out a "
                + "Type 2 attribute of PS3.4 Table F.7.2-1 (0120 Missing Attribute). Off: only Type 1 are required, "
                + "as many modalities omit some Type 2 attributes.")
        boolean strictType2() default false;

        @AttributeDefinition(name = "DataSource filter", description = "Which DataSource service holds the MPPS tables.")
        String dataSource_target() default "(dataSourceName=mosaic)";
    }

    private final MppsManager manager;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile WorklistStore worklist;

    @Activate
    public MppsScp(@Reference(name = "dataSource", target = "(dataSourceName=mosaic)") DataSource dataSource,
                   @Reference EventAdmin events, Config config) throws SQLException {
        this.manager = new MppsManager(new MppsRepository(dataSource), new MppsAttributeRules(config.strictType2()),
                new WorklistLinks(() -> worklist), events, Clock.systemUTC());
    }

    /** For tests and plain Java: an SCP on a given manager. */
    MppsScp(MppsManager manager) {
        this.manager = manager;
    }

    @Override
    public DimseResponse handle(DimseRequest request, DimseContext context) throws Exception {
        boolean performedStep = UID.ModalityPerformedProcedureStep.equals(request.sopClassUid());
        DataSet data = request.hasDataSet() ? request.dataSet() : new DataSet();
        try {
            if (request.dimse() == Dimse.N_CREATE_RQ && performedStep) {
                PerformedProcedureStep step = manager.create(request.sopInstanceUid(), data,
                        context.association().callingAeTitle());
                return DimseResponse.success().withAffectedSopInstanceUid(step.sopInstanceUid());
            }
            if (request.dimse() == Dimse.N_SET_RQ && performedStep) {
                manager.set(request.sopInstanceUid(), data);
                return DimseResponse.success();
            }
            if (request.dimse() == Dimse.N_GET_RQ && UID.ModalityPerformedProcedureStepRetrieve.equals(request.sopClassUid())) {
                return DimseResponse.success().withDataSet(manager.get(request.sopInstanceUid(),
                        request.attributeIdentifiers()));
            }
        } catch (SQLException e) {
            throw new DimseStatusException(Status.PROCESSING_FAILURE, "MPPS database failure: " + e.getMessage(), e);
        }
        throw new DimseStatusException(Status.UNRECOGNIZED_OPERATION,
                request.dimse() + " is not part of this MPPS SOP Class");
    }
}
