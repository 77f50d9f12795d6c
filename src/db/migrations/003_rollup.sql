-- Pre-aggregates kept current by every write, so scorecards never scan raw values.
-- value_total: a reporting unit's own total for an indicator and period (the reported total, or the sum of the
-- indicator's first disaggregation category where no total was reported). value_rollup: the sum of the totals of a
-- unit's whole subtree (or only the unit's own, for indicators that do not aggregate over org units).
-- Both are derived: a test checks them against a full recomputation from data_value on random data.
CREATE TABLE value_total (
  indicator_id integer NOT NULL,
  period_id    integer NOT NULL,
  org_unit_id  integer NOT NULL,
  value        double precision,
  numerator    double precision,
  denominator  double precision,
  n_values     integer NOT NULL,
  PRIMARY KEY (indicator_id, period_id, org_unit_id)
);

CREATE TABLE value_rollup (
  indicator_id integer NOT NULL,
  period_id    integer NOT NULL,
  org_unit_id  integer NOT NULL,
  value        double precision,
  numerator    double precision,
  denominator  double precision,
  n_values     integer NOT NULL,
  n_units      integer NOT NULL,
  -- Scorecards ask for a few units and periods across many indicators.
  PRIMARY KEY (org_unit_id, period_id, indicator_id)
);

-- The indicator attributes the pre-aggregates of an indicator were computed with. Analytics uses them only while
-- these still equal the indicator's own; a framework edit that changes them rebuilds that indicator's rows.
CREATE TABLE rollup_rule (
  indicator_id    integer PRIMARY KEY REFERENCES indicator(id) ON DELETE CASCADE,
  aggregation_org text NOT NULL,
  frequency       text NOT NULL,
  first_category  text
);
