-- Accounts, org-scoped roles, sessions and API tokens.
CREATE TABLE app_user (
  id                   serial PRIMARY KEY,
  username             text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
  display_name         text NOT NULL,
  password_hash        text NOT NULL,
  must_change_password boolean NOT NULL DEFAULT false,
  disabled             boolean NOT NULL DEFAULT false,
  -- Repeated failed sign-ins lock the account for a growing while (backoff).
  failed_attempts      integer NOT NULL DEFAULT 0,
  locked_until         timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now()
);

-- A role holds over an org unit and everything under it (PK: the whole country).
CREATE TABLE user_role (
  user_id     integer NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  role        text NOT NULL CHECK (role IN ('data_clerk', 'reviewer', 'me_officer', 'committee_viewer', 'admin')),
  org_unit_id integer NOT NULL REFERENCES org_unit(id),
  PRIMARY KEY (user_id, role, org_unit_id)
);

-- Only hashes of session ids and tokens are stored: a copy of the database signs nobody in.
CREATE TABLE user_session (
  id_hash      text PRIMARY KEY,
  user_id      integer NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  csrf_token   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL
);
CREATE INDEX user_session_user ON user_session(user_id);

CREATE TABLE api_token (
  id           serial PRIMARY KEY,
  user_id      integer NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  name         text NOT NULL,
  token_hash   text NOT NULL UNIQUE,
  -- The first characters of the token, shown so a user can tell tokens apart.
  prefix       text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  expires_at   timestamptz,
  revoked_at   timestamptz
);

-- Approval workflow: one submission per reporting unit, framework and period.
CREATE TABLE submission (
  id           serial PRIMARY KEY,
  framework_id integer NOT NULL REFERENCES framework(id) ON DELETE CASCADE,
  org_unit_id  integer NOT NULL REFERENCES org_unit(id),
  period_id    integer NOT NULL REFERENCES period(id),
  status       text NOT NULL DEFAULT 'draft'
               CHECK (status IN ('draft', 'submitted', 'returned', 'approved_district', 'approved_province', 'accepted')),
  updated_by   text NOT NULL,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (framework_id, org_unit_id, period_id)
);
CREATE INDEX submission_unit_period ON submission(org_unit_id, period_id);

-- Every step of a submission, with the reviewer's reason for a return.
CREATE TABLE submission_event (
  id            serial PRIMARY KEY,
  submission_id integer NOT NULL REFERENCES submission(id) ON DELETE CASCADE,
  action        text NOT NULL CHECK (action IN ('submit', 'approve', 'accept', 'return', 'reopen')),
  from_status   text NOT NULL,
  to_status     text NOT NULL,
  reason        text,
  actor         text NOT NULL,
  at            timestamptz NOT NULL DEFAULT now(),
  CHECK (action <> 'return' OR length(trim(reason)) > 0)
);
CREATE INDEX submission_event_submission ON submission_event(submission_id);

-- A time-limited permission to change locked (approved) data or data of a closed period.
CREATE TABLE lock_exception (
  id            serial PRIMARY KEY,
  submission_id integer NOT NULL REFERENCES submission(id) ON DELETE CASCADE,
  reason        text NOT NULL CHECK (length(trim(reason)) > 0),
  granted_by    text NOT NULL,
  granted_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  revoked_at    timestamptz,
  CHECK (expires_at > granted_at)
);
CREATE INDEX lock_exception_submission ON lock_exception(submission_id);

-- Days after a period ends during which values may still be entered; later the period is closed.
ALTER TABLE framework ADD COLUMN entry_expiry_days integer NOT NULL DEFAULT 90 CHECK (entry_expiry_days >= 0);

-- Means of verification: a file or a link, attached to one value (by its key) or to a submission.
CREATE TABLE evidence (
  id            serial PRIMARY KEY,
  kind          text NOT NULL CHECK (kind IN ('file', 'link')),
  submission_id integer REFERENCES submission(id) ON DELETE CASCADE,
  indicator_id  integer REFERENCES indicator(id) ON DELETE CASCADE,
  org_unit_id   integer REFERENCES org_unit(id),
  period_id     integer REFERENCES period(id),
  disagg        text,
  url           text,
  file_name     text,
  media_type    text,
  size_bytes    bigint,
  sha256        text,
  -- Files live in the data directory (embedded mode) or in PostgreSQL large objects (server mode).
  storage       text CHECK (storage IN ('disk', 'large_object')),
  storage_ref   text,
  description   text NOT NULL DEFAULT '',
  uploaded_by   text NOT NULL,
  uploaded_at   timestamptz NOT NULL DEFAULT now(),
  CHECK ((submission_id IS NULL) <> (indicator_id IS NULL)),
  CHECK (indicator_id IS NULL OR (org_unit_id IS NOT NULL AND period_id IS NOT NULL AND disagg IS NOT NULL)),
  CHECK ((kind = 'link') = (url IS NOT NULL)),
  CHECK (kind = 'link' OR (file_name IS NOT NULL AND media_type IS NOT NULL AND sha256 IS NOT NULL AND storage IS NOT NULL))
);
CREATE INDEX evidence_value ON evidence(indicator_id, org_unit_id, period_id, disagg);
CREATE INDEX evidence_submission ON evidence(submission_id);

-- The audit trail: each entry carries the hash of the one before it, so a rewrite anywhere breaks the chain.
CREATE TABLE audit_entry (
  id        bigserial PRIMARY KEY,
  at        timestamptz NOT NULL,
  actor     text NOT NULL,
  action    text NOT NULL,
  entity    text NOT NULL,
  entity_id text,
  org_unit  text,
  detail    jsonb NOT NULL DEFAULT '{}',
  prev_hash text NOT NULL,
  hash      text NOT NULL UNIQUE
);

-- The chain's last entry, written with each append, so cutting entries off the end is detected too.
CREATE TABLE audit_head (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  last_id   bigint NOT NULL,
  last_hash text NOT NULL
);

-- Append-only for the application: no update, delete or truncate of an entry, whoever asks.
CREATE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_entry is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_entry_no_update BEFORE UPDATE OR DELETE ON audit_entry FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only();

