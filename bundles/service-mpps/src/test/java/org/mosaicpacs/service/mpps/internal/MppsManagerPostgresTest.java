package org.mosaicpacs.service.mpps.internal;

/** {@link MppsManagerContract} on PostgreSQL, the database of several nodes. */
class MppsManagerPostgresTest extends MppsManagerContract {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
