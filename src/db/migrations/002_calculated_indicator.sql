-- Calculated indicators: a formula over indicators (and other calculated indicators), evaluated on request.
-- Codes share one namespace with indicator.code; the service refuses a clash.
CREATE TABLE calculated_indicator (
  id          serial PRIMARY KEY,
  code        text NOT NULL UNIQUE,
  name_en     text NOT NULL,
  name_ur     text NOT NULL DEFAULT '',
  description text NOT NULL DEFAULT '',
  formula     text NOT NULL,
  unit_type   text NOT NULL CHECK (unit_type IN ('count', 'percentage', 'currency', 'index')),
  polarity    text NOT NULL CHECK (polarity IN ('higher', 'lower')),
  frequency   text NOT NULL CHECK (frequency IN ('monthly', 'quarterly', 'half_year', 'year', 'fiscal_year')),
  -- 'ytd' evaluates the formula on each indicator's values from the start of the calendar year to the period.
  aggregation text NOT NULL DEFAULT 'period' CHECK (aggregation IN ('period', 'ytd'))
);
