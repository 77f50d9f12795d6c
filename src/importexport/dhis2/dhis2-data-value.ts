/** One DHIS2 data value, as JSON or CSV carries it, turned into the SourceRow the import pipeline reads. */
import type { SourceRow } from '../source-row.ts';
import { schemeFor, type Dhis2IdSchemes } from './dhis2-id-scheme.ts';
import type { Dhis2Mapping } from './dhis2-mapping.ts';

/** The fields of a DHIS2 data value that Jaiza keeps; created, lastUpdated and followup are DHIS2's own. */
export interface Dhis2DataValue {
  dataElement?: string;
  period?: string;
  orgUnit?: string;
  categoryOptionCombo?: string;
  attributeOptionCombo?: string;
  value?: string | null;
  storedBy?: string | null;
  comment?: string | null;
  deleted?: boolean;
}

/**
 * Ids that resolve become Jaiza codes; ids that do not are passed on as they are, so the pipeline's
 * "unknown indicator" / "unknown org unit" error names the DHIS2 id the file used.
 */
export function dhis2ValueReader(mapping: Dhis2Mapping, schemes: Dhis2IdSchemes): (value: Dhis2DataValue, row: number) => SourceRow {
  const deScheme = schemeFor(schemes, 'dataElement');
  const ouScheme = schemeFor(schemes, 'orgUnit');
  const cocScheme = schemeFor(schemes, 'categoryOptionCombo');
  const combo = (id: string | undefined) => {
    const raw = (id ?? '').trim();
    return mapping.resolve('categoryOptionCombo', cocScheme, raw) ?? raw;
  };

  return (v, row) => {
    const dataElement = (v.dataElement ?? '').trim();
    const orgUnit = (v.orgUnit ?? '').trim();
    const de = dataElement === '' ? null : mapping.resolveDataElement(deScheme, dataElement);
    // Jaiza has no attribute dimension of its own: a mapped attribute combo adds its categories to the key.
    const disaggregation = [combo(v.categoryOptionCombo), combo(v.attributeOptionCombo)].filter((k) => k !== '').join(';');
    const out: SourceRow = {
      row,
      indicator: de?.indicator ?? dataElement,
      orgUnit: orgUnit === '' ? '' : (mapping.resolve('orgUnit', ouScheme, orgUnit) ?? orgUnit),
      period: (v.period ?? '').trim(),
      disaggregation,
    };
    if (v.value !== undefined) {
      if (de?.part === 'numerator') out.numerator = v.value;
      else if (de?.part === 'denominator') out.denominator = v.value;
      else out.value = v.value;
    }
    if (v.comment !== undefined) out.comment = v.comment === '' ? null : v.comment;
    if (v.deleted === true) out.deleted = true;
    if (v.storedBy) out.storedBy = v.storedBy;
    return out;
  };
}
