-- Instances rejected by an IHE IOCM rejection note (RAD-66), remembered after the instance is
-- deleted so that the archive can refuse it when it is sent again. study_uid and series_uid are
-- as the note listed them; note_uid is the note's SOP Instance UID, code its title (DCM 1130xx).
CREATE TABLE rejected_instance (
  sop_uid VARCHAR(64) COLLATE "C" NOT NULL CONSTRAINT rejected_instance_pk PRIMARY KEY,
  study_uid VARCHAR(64) COLLATE "C",
  series_uid VARCHAR(64) COLLATE "C",
  code VARCHAR(16) NOT NULL,
  note_uid VARCHAR(64) COLLATE "C" NOT NULL,
  rejected TIMESTAMP NOT NULL
);
