package org.mosaicpacs.service.mpps.internal;

import org.mosaicpacs.testing.TestDatabase;

/** {@link MppsManagerContract} on PostgreSQL, the database of several nodes. */
class MppsManagerPostgresTest extends MppsManagerContract {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
