-- Mosaic MPPS, schema version 1 (Apache Derby). Tables of the MPPS bundle only, beside the index.
-- mpps: one row per Modality Performed Procedure Step SOP Instance; attrs holds its whole data set
-- (Explicit VR Little Endian, UTF-8); the other columns are what the REST filters match on.
CREATE TABLE mpps (
  pk BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  sop_iuid VARCHAR(64) NOT NULL,
  status VARCHAR(16) NOT NULL,
  station_aet VARCHAR(64),
  calling_aet VARCHAR(64),
  modality VARCHAR(16),
  pps_id VARCHAR(64),
  start_date CHAR(8),
  start_time VARCHAR(16),
  end_date CHAR(8),
  end_time VARCHAR(16),
  attrs BLOB(16M) NOT NULL,
  created TIMESTAMP NOT NULL,
  updated TIMESTAMP NOT NULL,
  CONSTRAINT mpps_iuid_uk UNIQUE (sop_iuid)
);
CREATE INDEX mpps_status_ix ON mpps (status);
CREATE INDEX mpps_start_ix ON mpps (start_date, start_time);
CREATE INDEX mpps_station_ix ON mpps (station_aet);

-- Study Instance UIDs of the Scheduled Step Attributes Sequence items.
CREATE TABLE mpps_study (
  mpps_fk BIGINT NOT NULL CONSTRAINT mpps_study_fk REFERENCES mpps (pk),
  study_iuid VARCHAR(64) NOT NULL,
  CONSTRAINT mpps_study_pk PRIMARY KEY (mpps_fk, study_iuid)
);
CREATE INDEX mpps_study_ix ON mpps_study (study_iuid);

-- Series Instance UIDs of the Performed Series Sequence items.
CREATE TABLE mpps_series (
  mpps_fk BIGINT NOT NULL CONSTRAINT mpps_series_fk REFERENCES mpps (pk),
  series_iuid VARCHAR(64) NOT NULL,
  CONSTRAINT mpps_series_pk PRIMARY KEY (mpps_fk, series_iuid)
);
CREATE INDEX mpps_series_ix ON mpps_series (series_iuid);

-- Worklist items (WorklistItem.id) the step was scheduled as.
CREATE TABLE mpps_worklist (
  mpps_fk BIGINT NOT NULL CONSTRAINT mpps_worklist_fk REFERENCES mpps (pk),
  item_id VARCHAR(128) NOT NULL,
  CONSTRAINT mpps_worklist_pk PRIMARY KEY (mpps_fk, item_id)
);
CREATE INDEX mpps_worklist_ix ON mpps_worklist (item_id);
