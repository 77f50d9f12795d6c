-- Whether an indicator may appear on the transparency portal and in open data (its accepted values, after
-- small-cell suppression). Off by default: publishing is a decision someone makes per indicator.
ALTER TABLE indicator ADD COLUMN public boolean NOT NULL DEFAULT false;
