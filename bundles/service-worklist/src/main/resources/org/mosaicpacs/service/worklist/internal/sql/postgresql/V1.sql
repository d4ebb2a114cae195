-- Mosaic Modality Worklist, schema version 1 (PostgreSQL).
-- One row per worklist item (one Scheduled Procedure Step). The columns hold what C-FIND and the
-- REST filters narrow on with an index (person names upper-cased); attrs holds the whole data set
-- (Explicit VR Little Endian, UTF-8), which the exact matching of PS3.4 C.2.2.2 runs on in Java.

CREATE TABLE mwl_item (
  item_id VARCHAR(64) NOT NULL PRIMARY KEY,
  patient_id VARCHAR(64),
  patient_name VARCHAR(400),
  accession_no VARCHAR(64),
  study_uid VARCHAR(64),
  req_proc_id VARCHAR(64),
  sps_id VARCHAR(64),
  sps_start_date CHAR(8),
  sps_start_time VARCHAR(16),
  modality VARCHAR(16),
  station_aet VARCHAR(400),
  performing_physician VARCHAR(400),
  sps_status VARCHAR(16),
  attrs BYTEA NOT NULL,
  updated TIMESTAMP NOT NULL
);
CREATE INDEX mwl_item_patient_id_ix ON mwl_item (patient_id);
CREATE INDEX mwl_item_accession_ix ON mwl_item (accession_no);
CREATE INDEX mwl_item_study_uid_ix ON mwl_item (study_uid);
CREATE INDEX mwl_item_sps_id_ix ON mwl_item (sps_id);
CREATE INDEX mwl_item_start_ix ON mwl_item (sps_start_date, sps_start_time);
CREATE INDEX mwl_item_modality_ix ON mwl_item (modality);
CREATE INDEX mwl_item_status_ix ON mwl_item (sps_status);
