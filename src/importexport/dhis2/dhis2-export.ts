/**
 * Streaming writers of DHIS2 data value sets (JSON and CSV) from Jaiza's data values, so a province can load
 * Jaiza's data back into its DHIS2 instance. Ids are written in the scheme asked for, from the DHIS2 mapping;
 * an object with no mapping is written with its Jaiza code.
 */
import { once } from 'node:events';
import { stringify } from 'csv-stringify/sync';
import { isRatio } from '../../domain/framework.ts';
import type { ExportValue } from '../export-values.ts';
import { CSV_COLUMNS } from './dhis2-data-value-set.ts';
import { schemeFor, type Dhis2IdSchemes } from './dhis2-id-scheme.ts';
import { indicatorPartRef, type Dhis2Mapping } from './dhis2-mapping.ts';

export { writeDhis2Metadata } from './dhis2-metadata-export.ts';

/** One DHIS2 data value as written; categoryOptionCombo is left out for the default (total). */
interface Dhis2OutValue {
  dataElement: string;
  period: string;
  orgUnit: string;
  categoryOptionCombo?: string;
  value: string;
  storedBy: string;
  lastUpdated: string;
  comment?: string;
}

/**
 * A percentage goes out as its NUMERATOR and DENOMINATOR data elements when DHIS2 has them, since DHIS2
 * aggregates those correctly; otherwise, like every other indicator, as its value.
 */
function dhis2Values(mapping: Dhis2Mapping, schemes: Dhis2IdSchemes): (v: ExportValue) => Dhis2OutValue[] {
  const deScheme = schemeFor(schemes, 'dataElement');
  const ouScheme = schemeFor(schemes, 'orgUnit');
  const cocScheme = schemeFor(schemes, 'categoryOptionCombo');
  return (v) => {
    const combo = mapping.identify('categoryOptionCombo', cocScheme, v.disaggregation) ?? v.disaggregation;
    const base = {
      period: v.period,
      orgUnit: mapping.identify('orgUnit', ouScheme, v.orgUnit) ?? v.orgUnit,
      ...(combo === '' ? {} : { categoryOptionCombo: combo }),
      storedBy: v.storedBy,
      lastUpdated: v.storedAt.toISOString(),
      ...(v.comment ? { comment: v.comment } : {}),
    };
    if (isRatio(v.unitType)) {
      const parts = [
        [mapping.identify('dataElement', deScheme, indicatorPartRef(v.indicator, 'numerator')), v.numerator],
        [mapping.identify('dataElement', deScheme, indicatorPartRef(v.indicator, 'denominator')), v.denominator],
      ] as const;
      const written = parts.filter(([id, x]) => id !== null && x !== null);
      if (written.length > 0) return written.map(([id, x]) => ({ dataElement: id!, ...base, value: String(x) }));
    }
    if (v.value === null) return [];
    const dataElement = mapping.identify('dataElement', deScheme, v.indicator) ?? v.indicator;
    return [{ dataElement, ...base, value: String(v.value) }];
  };
}

/** Collects small writes into large ones and waits when the destination asks it to. */
class BufferedWriter {
  private chunks: string[] = [];
  private size = 0;

  constructor(private readonly out: NodeJS.WritableStream) {}

  async write(text: string): Promise<void> {
    this.chunks.push(text);
    this.size += text.length;
    if (this.size >= 64 * 1024) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.chunks.length === 0) return;
    const text = this.chunks.join('');
    this.chunks = [];
    this.size = 0;
    if (!this.out.write(text)) await once(this.out, 'drain');
  }
}

/** Writes `{"dataValues":[…]}`; leaves `out` open. Returns the number of DHIS2 values written. */
export async function writeDhis2DataValueSetJson(
  rows: AsyncIterable<ExportValue>,
  mapping: Dhis2Mapping,
  schemes: Dhis2IdSchemes,
  out: NodeJS.WritableStream,
): Promise<number> {
  const toValues = dhis2Values(mapping, schemes);
  const w = new BufferedWriter(out);
  let count = 0;
  await w.write('{"dataValues":[');
  for await (const row of rows) {
    for (const value of toValues(row)) {
      await w.write(`${count === 0 ? '\n' : ',\n'}${JSON.stringify(value)}`);
      count++;
    }
  }
  await w.write('\n]}\n');
  await w.flush();
  return count;
}


/** Writes DHIS2's CSV layout with its header row; leaves `out` open. Returns the number of DHIS2 values written. */
export async function writeDhis2DataValueSetCsv(
  rows: AsyncIterable<ExportValue>,
  mapping: Dhis2Mapping,
  schemes: Dhis2IdSchemes,
  out: NodeJS.WritableStream,
): Promise<number> {
  const toValues = dhis2Values(mapping, schemes);
  const w = new BufferedWriter(out);
  let count = 0;
  await w.write(stringify([[...CSV_COLUMNS]]));
  for await (const row of rows) {
    for (const v of toValues(row)) {
      const record = [v.dataElement, v.period, v.orgUnit, v.categoryOptionCombo ?? '', '', v.value, v.storedBy, v.lastUpdated, v.comment ?? '', 'false', 'false'];
      await w.write(stringify([record]));
      count++;
    }
  }
  await w.flush();
  return count;
}
