-- AI jobs: one row per (connector, study, set of input instances). Same SQL on Derby and PostgreSQL.
CREATE TABLE ai_job (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  connector VARCHAR(128) NOT NULL,
  rule_name VARCHAR(128) NOT NULL,
  study_uid VARCHAR(64) NOT NULL,
  input_key CHAR(64) NOT NULL,
  input_count INTEGER NOT NULL,
  parameters VARCHAR(4000) NOT NULL,
  calling_aet VARCHAR(16),
  state VARCHAR(16) NOT NULL,
  attempts INTEGER NOT NULL,
  max_attempts INTEGER NOT NULL,
  next_attempt_at TIMESTAMP NOT NULL,
  lease_owner VARCHAR(100),
  lease_until TIMESTAMP,
  created_at TIMESTAMP NOT NULL,
  updated_at TIMESTAMP NOT NULL,
  summary VARCHAR(1000),
  last_error VARCHAR(1000),
  CONSTRAINT ai_job_input_key UNIQUE (connector, study_uid, input_key)
);
CREATE INDEX ai_job_due ON ai_job (state, next_attempt_at);
CREATE INDEX ai_job_study ON ai_job (study_uid);
-- The instances a job was queued for: what it processes even if more arrive later.
CREATE TABLE ai_job_input (
  job_id BIGINT NOT NULL REFERENCES ai_job (id) ON DELETE CASCADE,
  sop_instance_uid VARCHAR(64) NOT NULL,
  PRIMARY KEY (job_id, sop_instance_uid)
);
-- What a job stored. Series listed here are never input of another job: results do not trigger AI.
CREATE TABLE ai_job_result (
  job_id BIGINT NOT NULL REFERENCES ai_job (id) ON DELETE CASCADE,
  sop_instance_uid VARCHAR(64) NOT NULL,
  series_instance_uid VARCHAR(64) NOT NULL,
  sop_class_uid VARCHAR(64) NOT NULL,
  PRIMARY KEY (job_id, sop_instance_uid)
);
CREATE INDEX ai_job_result_series ON ai_job_result (series_instance_uid);
