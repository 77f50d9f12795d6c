-- A framework's periods never close for entry unless it says after how many days they do: existing data and
-- frameworks that have not decided keep accepting values for old periods; the demo framework sets its own.
ALTER TABLE framework ALTER COLUMN entry_expiry_days DROP NOT NULL;
ALTER TABLE framework ALTER COLUMN entry_expiry_days SET DEFAULT NULL;
UPDATE framework SET entry_expiry_days = NULL;
