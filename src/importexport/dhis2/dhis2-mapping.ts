/**
 * The DHIS2 objects a province's instance uses, mapped onto Jaiza's codes, held in memory for one import or
 * export so every data value resolves without a query.
 */
import type { Queryable } from '../../db/database.ts';
import { DEFAULT_UIDS } from './dhis2-uid.ts';
import type { Dhis2ObjectKind, IdScheme } from './dhis2-id-scheme.ts';

export const DHIS2_SYSTEM = 'dhis2';

/** external_id.object_type values this module writes and reads. */
export type ExternalObjectType = 'indicator' | 'indicator_part' | 'org_unit' | 'disaggregation';

export const OBJECT_TYPES_OF_KIND: Record<Dhis2ObjectKind, readonly ExternalObjectType[]> = {
  dataElement: ['indicator', 'indicator_part'],
  orgUnit: ['org_unit'],
  categoryOptionCombo: ['disaggregation'],
};

export type IndicatorPart = 'numerator' | 'denominator';

/** What a data element carries: the indicator's value, or one part of a percentage. */
export interface DataElementRef {
  indicator: string;
  part: 'value' | IndicatorPart;
}

/** local_ref of a numerator/denominator data element: `RSK-04.numerator`. */
export function indicatorPartRef(indicator: string, part: IndicatorPart): string {
  return `${indicator}.${part}`;
}

const PART_REF = /^(.+)\.(numerator|denominator)$/i;

/** Splits `RSK-04.NUMERATOR` (any case) into the indicator code as written and the part. */
export function parseIndicatorPart(text: string): { indicator: string; part: IndicatorPart } | null {
  const m = PART_REF.exec(text.trim());
  return m ? { indicator: m[1]!, part: m[2]!.toLowerCase() as IndicatorPart } : null;
}

/** One row of external_id: a DHIS2 object and the Jaiza reference it stands for. */
export interface ExternalObject {
  objectType: ExternalObjectType;
  uid: string;
  code: string | null;
  name: string | null;
  localRef: string;
}

/** Marks a code or name that several DHIS2 objects share with different meanings: it cannot identify one. */
const AMBIGUOUS = Symbol('ambiguous');

class KindLookup {
  private readonly byUid = new Map<string, ExternalObject>();
  private readonly byCode = new Map<string, ExternalObject | typeof AMBIGUOUS>();
  private readonly byName = new Map<string, ExternalObject | typeof AMBIGUOUS>();
  private readonly byLocalRef = new Map<string, ExternalObject>();

  add(o: ExternalObject): void {
    this.byUid.set(o.uid, o);
    if (o.code) addUnique(this.byCode, o.code, o);
    if (o.name) addUnique(this.byName, o.name, o);
    // The first object (by uid) wins on export, so the choice is stable between runs.
    if (!this.byLocalRef.has(o.localRef)) this.byLocalRef.set(o.localRef, o);
  }

  find(scheme: IdScheme, id: string): ExternalObject | null {
    const found = scheme === 'uid' ? this.byUid.get(id.trim()) : (scheme === 'code' ? this.byCode : this.byName).get(key(id));
    return found === undefined || found === AMBIGUOUS ? null : found;
  }

  identify(scheme: IdScheme, localRef: string): string | null {
    const o = this.byLocalRef.get(localRef);
    if (!o) return null;
    return scheme === 'uid' ? o.uid : scheme === 'code' ? o.code : o.name;
  }
}

function key(text: string): string {
  return text.trim().toLowerCase();
}

function addUnique(map: Map<string, ExternalObject | typeof AMBIGUOUS>, text: string, o: ExternalObject): void {
  const k = key(text);
  const existing = map.get(k);
  if (existing === undefined) map.set(k, o);
  else if (existing !== AMBIGUOUS && existing.localRef !== o.localRef) map.set(k, AMBIGUOUS);
}

export class Dhis2Mapping {
  private readonly lookups: Record<Dhis2ObjectKind, KindLookup> = {
    dataElement: new KindLookup(),
    orgUnit: new KindLookup(),
    categoryOptionCombo: new KindLookup(),
  };
  private readonly indicatorCodes: Map<string, string>;
  private readonly orgUnitCodes: Map<string, string>;

  /**
   * @param objects the mapped DHIS2 objects
   * @param indicatorCodes, orgUnitCodes Jaiza's codes, used as they are when a DHIS2 code has no mapping
   */
  constructor(objects: Iterable<ExternalObject>, indicatorCodes: Iterable<string>, orgUnitCodes: Iterable<string>) {
    for (const o of objects) {
      const kind = (Object.keys(OBJECT_TYPES_OF_KIND) as Dhis2ObjectKind[]).find((k) => OBJECT_TYPES_OF_KIND[k].includes(o.objectType));
      if (kind) this.lookups[kind].add(o);
    }
    this.indicatorCodes = new Map([...indicatorCodes].map((c) => [key(c), c]));
    this.orgUnitCodes = new Map([...orgUnitCodes].map((c) => [key(c), c]));
  }

  /**
   * The Jaiza reference a DHIS2 id stands for: an indicator code or `CODE.numerator` for a data element,
   * an org unit code, a disaggregation key ('' for the default combo); null when nothing matches.
   */
  resolve(kind: Dhis2ObjectKind, scheme: IdScheme, id: string): string | null {
    const mapped = this.lookups[kind].find(scheme, id);
    if (mapped) return mapped.localRef;
    if (kind === 'categoryOptionCombo') return isDefaultCombo(id) ? '' : null;
    if (scheme !== 'code') return null;
    if (kind === 'orgUnit') return this.orgUnitCodes.get(key(id)) ?? null;
    const direct = this.indicatorCodes.get(key(id));
    if (direct) return direct;
    const part = parseIndicatorPart(id);
    const base = part && this.indicatorCodes.get(key(part.indicator));
    return base ? indicatorPartRef(base, part!.part) : null;
  }

  resolveDataElement(scheme: IdScheme, id: string): DataElementRef | null {
    const ref = this.resolve('dataElement', scheme, id);
    if (ref === null) return null;
    return parseIndicatorPart(ref) ?? { indicator: ref, part: 'value' };
  }

  /** The DHIS2 id (in the given scheme) of the object mapped to a Jaiza reference, or null when none is. */
  identify(kind: Dhis2ObjectKind, scheme: IdScheme, localRef: string): string | null {
    return this.lookups[kind].identify(scheme, localRef);
  }
}

/**
 * DHIS2 treats an omitted combo as its built-in default, whose uid is the same on every instance; files mixing
 * schemes often keep that uid, and no code or name could be mistaken for it.
 */
function isDefaultCombo(id: string): boolean {
  const t = id.trim();
  return t === '' || t.toLowerCase() === 'default' || t === DEFAULT_UIDS.categoryOptionCombo;
}

export async function loadDhis2Mapping(db: Queryable): Promise<Dhis2Mapping> {
  const objects = await db.query<ExternalObject>(
    `SELECT object_type AS "objectType", external_id AS uid, code, name, local_ref AS "localRef"
       FROM external_id WHERE system = $1 ORDER BY object_type, external_id`,
    [DHIS2_SYSTEM],
  );
  const indicators = await db.query<{ code: string }>('SELECT code FROM indicator');
  const orgUnits = await db.query<{ code: string }>('SELECT code FROM org_unit');
  return new Dhis2Mapping(
    objects.rows,
    indicators.rows.map((r) => r.code),
    orgUnits.rows.map((r) => r.code),
  );
}
