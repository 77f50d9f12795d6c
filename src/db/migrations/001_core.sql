-- Org units: the administrative hierarchy with effective dates, so boundaries can change.
CREATE TABLE org_unit (
  id          serial PRIMARY KEY,
  code        text NOT NULL UNIQUE,
  name_en     text NOT NULL,
  name_ur     text NOT NULL DEFAULT '',
  level       text NOT NULL CHECK (level IN ('country', 'province', 'division', 'district')),
  parent_id   integer REFERENCES org_unit(id),
  kind        text,
  status      text NOT NULL DEFAULT 'active',
  valid_from  date,
  valid_to    date,
  note        text,
  aliases     text[] NOT NULL DEFAULT '{}',
  CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_from < valid_to)
);
CREATE INDEX org_unit_parent ON org_unit(parent_id);

-- Closure table: every (ancestor, descendant) pair, itself included, for roll-ups without recursion.
CREATE TABLE org_unit_closure (
  ancestor_id   integer NOT NULL REFERENCES org_unit(id) ON DELETE CASCADE,
  descendant_id integer NOT NULL REFERENCES org_unit(id) ON DELETE CASCADE,
  depth         integer NOT NULL,
  PRIMARY KEY (ancestor_id, descendant_id)
);
CREATE INDEX org_unit_closure_descendant ON org_unit_closure(descendant_id);

-- Splits and merges: which units a unit was carved from (or merged into).
CREATE TABLE org_unit_predecessor (
  org_unit_id    integer NOT NULL REFERENCES org_unit(id) ON DELETE CASCADE,
  predecessor_id integer NOT NULL REFERENCES org_unit(id) ON DELETE CASCADE,
  change_kind    text NOT NULL CHECK (change_kind IN ('split', 'merge', 'rename')),
  effective      date NOT NULL,
  PRIMARY KEY (org_unit_id, predecessor_id)
);

-- Reporting institutions (NACTA, Home Departments, CoE-CVEs, CTDs, ...), attached to the unit they cover.
CREATE TABLE institution (
  id          serial PRIMARY KEY,
  code        text NOT NULL UNIQUE,
  name_en     text NOT NULL,
  name_ur     text NOT NULL DEFAULT '',
  kind        text NOT NULL,
  org_unit_id integer NOT NULL REFERENCES org_unit(id),
  parent_id   integer REFERENCES institution(id)
);

-- Disaggregation catalogue shared by all frameworks.
CREATE TABLE disaggregation_category (
  id      serial PRIMARY KEY,
  code    text NOT NULL UNIQUE CHECK (code ~ '^[a-z][a-z0-9_]*$'),
  name_en text NOT NULL,
  name_ur text NOT NULL DEFAULT ''
);
CREATE TABLE disaggregation_option (
  id          serial PRIMARY KEY,
  category_id integer NOT NULL REFERENCES disaggregation_category(id) ON DELETE CASCADE,
  code        text NOT NULL CHECK (code ~ '^[A-Za-z0-9+._-]+$'),
  name_en     text NOT NULL,
  name_ur     text NOT NULL DEFAULT '',
  sort        integer NOT NULL DEFAULT 0,
  UNIQUE (category_id, code)
);

-- Results framework: framework -> pillar -> objective -> indicator.
CREATE TABLE framework (
  id          serial PRIMARY KEY,
  code        text NOT NULL UNIQUE,
  name_en     text NOT NULL,
  name_ur     text NOT NULL DEFAULT '',
  description text NOT NULL DEFAULT '',
  version     text NOT NULL DEFAULT '1'
);
CREATE TABLE pillar (
  id           serial PRIMARY KEY,
  framework_id integer NOT NULL REFERENCES framework(id) ON DELETE CASCADE,
  code         text NOT NULL,
  name_en      text NOT NULL,
  name_ur      text NOT NULL DEFAULT '',
  description  text NOT NULL DEFAULT '',
  sort         integer NOT NULL DEFAULT 0,
  UNIQUE (framework_id, code)
);
CREATE TABLE objective (
  id        serial PRIMARY KEY,
  pillar_id integer NOT NULL REFERENCES pillar(id) ON DELETE CASCADE,
  code      text NOT NULL,
  name_en   text NOT NULL,
  name_ur   text NOT NULL DEFAULT '',
  sort      integer NOT NULL DEFAULT 0,
  UNIQUE (pillar_id, code)
);
CREATE TABLE indicator (
  id                    serial PRIMARY KEY,
  objective_id          integer NOT NULL REFERENCES objective(id) ON DELETE CASCADE,
  code                  text NOT NULL UNIQUE,
  name_en               text NOT NULL,
  name_ur               text NOT NULL DEFAULT '',
  definition_en         text NOT NULL DEFAULT '',
  definition_ur         text NOT NULL DEFAULT '',
  unit_type             text NOT NULL CHECK (unit_type IN ('count', 'percentage', 'currency', 'yes_no', 'milestone', 'index')),
  aggregation_org       text NOT NULL CHECK (aggregation_org IN ('sum', 'last', 'ratio')),
  aggregation_time      text NOT NULL CHECK (aggregation_time IN ('sum', 'last', 'ratio')),
  polarity              text NOT NULL CHECK (polarity IN ('higher', 'lower')),
  frequency             text NOT NULL CHECK (frequency IN ('monthly', 'quarterly', 'half_year', 'year', 'fiscal_year')),
  lowest_level          text NOT NULL CHECK (lowest_level IN ('federal', 'province', 'district')),
  phase                 text NOT NULL CHECK (phase IN ('short', 'medium', 'long')),
  means_of_verification text NOT NULL DEFAULT '',
  baseline_value        double precision,
  baseline_period       text,
  min_value             double precision,
  max_value             double precision,
  sort                  integer NOT NULL DEFAULT 0
);
CREATE INDEX indicator_objective ON indicator(objective_id);
CREATE TABLE indicator_institution (
  indicator_id   integer NOT NULL REFERENCES indicator(id) ON DELETE CASCADE,
  institution_id integer NOT NULL REFERENCES institution(id),
  sort           integer NOT NULL DEFAULT 0,
  PRIMARY KEY (indicator_id, institution_id)
);
CREATE TABLE indicator_disaggregation (
  indicator_id integer NOT NULL REFERENCES indicator(id) ON DELETE CASCADE,
  category_id  integer NOT NULL REFERENCES disaggregation_category(id),
  sort         integer NOT NULL DEFAULT 0,
  PRIMARY KEY (indicator_id, category_id)
);

-- Periods are created on first use from their codes (2025Q3, 202509, 2025S2, 2025, 2025July).
CREATE TABLE period (
  id         serial PRIMARY KEY,
  code       text NOT NULL UNIQUE,
  type       text NOT NULL CHECK (type IN ('monthly', 'quarterly', 'half_year', 'year', 'fiscal_year')),
  start_date date NOT NULL,
  end_date   date NOT NULL
);
CREATE INDEX period_dates ON period(start_date, end_date);

-- Targets per org unit and period; end-of-phase targets carry the phase instead of a period.
CREATE TABLE target (
  id           serial PRIMARY KEY,
  indicator_id integer NOT NULL REFERENCES indicator(id) ON DELETE CASCADE,
  org_unit_id  integer NOT NULL REFERENCES org_unit(id),
  period       text,
  phase        text CHECK (phase IN ('short', 'medium', 'long')),
  value        double precision NOT NULL,
  CHECK ((period IS NULL) <> (phase IS NULL))
);
CREATE UNIQUE INDEX target_unique ON target(indicator_id, org_unit_id, coalesce(period, ''), coalesce(phase, ''));

-- One value per (indicator, org unit, period, disaggregation). disagg is the canonical key, '' = total.
-- No foreign keys here: their per-row checks cost more than the insert itself on a million-value import,
-- and the import pipeline is the only writer and resolves every id from the tables it would check.
CREATE TABLE data_value (
  id           bigserial PRIMARY KEY,
  indicator_id integer NOT NULL,
  org_unit_id  integer NOT NULL,
  period_id    integer NOT NULL,
  disagg       text NOT NULL DEFAULT '',
  value        double precision,
  numerator    double precision,
  denominator  double precision,
  comment      text,
  synthetic    boolean NOT NULL DEFAULT false,
  stored_by    text NOT NULL,
  stored_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (indicator_id, org_unit_id, period_id, disagg)
);
CREATE INDEX data_value_period ON data_value(period_id, indicator_id);
CREATE INDEX data_value_org_unit ON data_value(org_unit_id, period_id);

-- Every change to a stored value: the state it replaced (with who stored that, and when) and the new state.
-- A value's first storing is the data_value row itself, or the old side of its first change; so an import
-- of new values writes each value once, and the full timeline is still reconstructible.
CREATE TABLE data_value_history (
  id              bigserial PRIMARY KEY,
  indicator_id    integer NOT NULL,
  org_unit_id     integer NOT NULL,
  period_id       integer NOT NULL,
  disagg          text NOT NULL,
  action          text NOT NULL CHECK (action IN ('update', 'delete')),
  old_value       double precision,
  new_value       double precision,
  old_numerator   double precision,
  new_numerator   double precision,
  old_denominator double precision,
  new_denominator double precision,
  old_comment     text,
  new_comment     text,
  old_stored_by   text NOT NULL,
  old_stored_at   timestamptz NOT NULL,
  changed_by      text NOT NULL,
  changed_at      timestamptz NOT NULL DEFAULT now(),
  import_id       integer
);
CREATE INDEX data_value_history_key ON data_value_history(indicator_id, org_unit_id, period_id, disagg);

-- Validation rules: left <op> right, both expressions over indicators.
CREATE TABLE validation_rule (
  id           serial PRIMARY KEY,
  code         text NOT NULL UNIQUE,
  framework_id integer REFERENCES framework(id) ON DELETE CASCADE,
  name_en      text NOT NULL,
  name_ur      text NOT NULL DEFAULT '',
  left_expr    text NOT NULL,
  operator     text NOT NULL CHECK (operator IN ('<=', '<', '>=', '>', '==', '!=')),
  right_expr   text NOT NULL,
  severity     text NOT NULL DEFAULT 'error' CHECK (severity IN ('error', 'warning'))
);

-- External identifiers (DHIS2 uids, codes, names) mapped onto Jaiza objects.
CREATE TABLE external_id (
  system      text NOT NULL,
  object_type text NOT NULL CHECK (object_type IN ('indicator', 'org_unit', 'disaggregation', 'indicator_part')),
  external_id text NOT NULL,
  code        text,
  name        text,
  local_ref   text NOT NULL,
  PRIMARY KEY (system, object_type, external_id)
);

-- Each import run and its summary, so a user can see what a file did.
CREATE TABLE import_job (
  id         serial PRIMARY KEY,
  format     text NOT NULL,
  file_name  text,
  dry_run    boolean NOT NULL,
  status     text NOT NULL,
  summary    jsonb NOT NULL DEFAULT '{}',
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
