-- Mosaic archive index, schema version 1 (PostgreSQL).
-- Entities: patient > study > series > instance. Columns hold what queries match on with an index;
-- attrs holds every attribute of the entity (EntityAttributes: Explicit VR LE, UTF-8), so any
-- attribute can be matched (in Java) and returned. Counters and Modalities/SOP Classes in Study
-- are kept in the same transaction as the instance rows.

-- Text columns use the "C" collation: prefix matching becomes an index range scan whatever the
-- database locale, and comparisons are by code point as in Java.
CREATE TABLE patient (
  pk BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  pat_identity VARCHAR(600) COLLATE "C" NOT NULL,
  pat_id VARCHAR(256) COLLATE "C",
  pat_issuer VARCHAR(256) COLLATE "C",
  pat_birthdate CHAR(8) COLLATE "C",
  pat_sex VARCHAR(16) COLLATE "C",
  num_studies INTEGER DEFAULT 0 NOT NULL,
  num_series INTEGER DEFAULT 0 NOT NULL,
  num_instances INTEGER DEFAULT 0 NOT NULL,
  attrs BYTEA NOT NULL,
  updated TIMESTAMP NOT NULL,
  CONSTRAINT patient_identity_uk UNIQUE (pat_identity)
);
CREATE INDEX patient_id_ix ON patient (pat_id);
CREATE INDEX patient_birthdate_ix ON patient (pat_birthdate);

CREATE TABLE study (
  pk BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  patient_fk BIGINT NOT NULL CONSTRAINT study_patient_fk REFERENCES patient (pk),
  study_uid VARCHAR(64) COLLATE "C" NOT NULL,
  study_date CHAR(8) COLLATE "C",
  study_time CHAR(13) COLLATE "C",
  accession_no VARCHAR(256) COLLATE "C",
  study_id VARCHAR(256) COLLATE "C",
  study_desc VARCHAR(1024) COLLATE "C",
  modalities VARCHAR(1024) COLLATE "C" DEFAULT '' NOT NULL,
  sop_classes VARCHAR(16000) COLLATE "C" DEFAULT '' NOT NULL,
  num_series INTEGER DEFAULT 0 NOT NULL,
  num_instances INTEGER DEFAULT 0 NOT NULL,
  attrs BYTEA NOT NULL,
  created TIMESTAMP NOT NULL,
  updated TIMESTAMP NOT NULL,
  CONSTRAINT study_uid_uk UNIQUE (study_uid)
);
CREATE INDEX study_patient_ix ON study (patient_fk);
CREATE INDEX study_date_ix ON study (study_date, study_time);
CREATE INDEX study_accession_ix ON study (accession_no);
CREATE INDEX study_id_ix ON study (study_id);

CREATE TABLE series (
  pk BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  study_fk BIGINT NOT NULL CONSTRAINT series_study_fk REFERENCES study (pk),
  series_uid VARCHAR(64) COLLATE "C" NOT NULL,
  modality VARCHAR(64) COLLATE "C",
  series_number INTEGER,
  series_desc VARCHAR(1024) COLLATE "C",
  num_instances INTEGER DEFAULT 0 NOT NULL,
  attrs BYTEA NOT NULL,
  created TIMESTAMP NOT NULL,
  updated TIMESTAMP NOT NULL,
  CONSTRAINT series_uid_uk UNIQUE (series_uid)
);
CREATE INDEX series_study_ix ON series (study_fk);
CREATE INDEX series_modality_ix ON series (modality);

CREATE TABLE instance (
  pk BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  series_fk BIGINT NOT NULL CONSTRAINT instance_series_fk REFERENCES series (pk),
  sop_uid VARCHAR(64) COLLATE "C" NOT NULL,
  sop_class_uid VARCHAR(64) COLLATE "C" NOT NULL,
  instance_number INTEGER,
  transfer_syntax_uid VARCHAR(64) COLLATE "C" NOT NULL,
  storage_id VARCHAR(64) COLLATE "C" NOT NULL,
  storage_key VARCHAR(1024) COLLATE "C" NOT NULL,
  object_size BIGINT NOT NULL,
  checksum_algorithm VARCHAR(32) COLLATE "C" NOT NULL,
  checksum VARCHAR(256) COLLATE "C" NOT NULL,
  received TIMESTAMP NOT NULL,
  attrs BYTEA NOT NULL,
  CONSTRAINT instance_uid_uk UNIQUE (sop_uid)
);
CREATE INDEX instance_series_ix ON instance (series_fk);
CREATE INDEX instance_sop_class_ix ON instance (sop_class_uid);

-- Person names in matching form, one row per component group (grp 0 alphabetic, 1 ideographic,
-- 2 phonetic) and per phonetic code of the family name (grp 3), of the entity owner_fk.
-- attr: 1 Patient's Name (patient), 2 Referring Physician's Name (study).
CREATE TABLE person_name (
  owner_fk BIGINT NOT NULL,
  attr SMALLINT NOT NULL,
  grp SMALLINT NOT NULL,
  norm VARCHAR(400) COLLATE "C" NOT NULL
);
CREATE INDEX person_name_norm_ix ON person_name (attr, norm);
CREATE INDEX person_name_owner_ix ON person_name (owner_fk, attr);
