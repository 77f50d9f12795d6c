/**
 * Which DHIS2 property identifies an object in a data value set: uid (DHIS2's default), code or name.
 * As in DHIS2, the per-object schemes override the general idScheme.
 */
export const ID_SCHEMES = ['uid', 'code', 'name'] as const;
export type IdScheme = (typeof ID_SCHEMES)[number];

/** The objects a data value names. */
export type Dhis2ObjectKind = 'dataElement' | 'orgUnit' | 'categoryOptionCombo';

export interface Dhis2IdSchemes {
  idScheme?: IdScheme;
  dataElementIdScheme?: IdScheme;
  orgUnitIdScheme?: IdScheme;
  /** Also used for attributeOptionCombo, as in DHIS2. */
  categoryOptionComboIdScheme?: IdScheme;
}

export function schemeFor(schemes: Dhis2IdSchemes, kind: Dhis2ObjectKind): IdScheme {
  const specific =
    kind === 'dataElement'
      ? schemes.dataElementIdScheme
      : kind === 'orgUnit'
        ? schemes.orgUnitIdScheme
        : schemes.categoryOptionComboIdScheme;
  return specific ?? schemes.idScheme ?? 'uid';
}

/** Reads a scheme as DHIS2 users write it (UID, Code, name); throws naming the accepted ones. */
export function parseIdScheme(text: string): IdScheme {
  const t = text.trim().toLowerCase();
  const found = ID_SCHEMES.find((s) => s === t);
  if (!found) throw new Error(`"${text}" is not an id scheme: use uid, code or name`);
  return found;
}
