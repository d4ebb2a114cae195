package org.mosaicpacs.service.mpps.internal;

import org.mosaicpacs.testing.TestDatabase;

/** {@link MppsManagerContract} on embedded Derby, the zero-configuration database. */
class MppsManagerDerbyTest extends MppsManagerContract {

    @Override
    TestDatabase database() {
        return TestDatabase.DERBY;
    }
}
