/** DHIS2-style identifiers: 11 characters, a letter then letters or digits. */
import { createHash } from 'node:crypto';

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ALPHANUMERIC = `${LETTERS}0123456789`;

/** The uids DHIS2 gives its built-in "default" category model on every instance. */
export const DEFAULT_UIDS = {
  categoryCombo: 'bjDvmb4bfuf',
  category: 'GLevLNI9wkl',
  categoryOption: 'xYerKDKCefk',
  categoryOptionCombo: 'HllvX50cXC0',
} as const;

export const DHIS2_UID = /^[A-Za-z][A-Za-z0-9]{10}$/;

/** The same seed always gives the same uid, so a re-export updates the objects DHIS2 already has. */
export function dhis2Uid(seed: string): string {
  const bytes = createHash('sha256').update(seed).digest();
  let uid = LETTERS[bytes[0]! % LETTERS.length]!;
  for (let i = 1; i < 11; i++) uid += ALPHANUMERIC[bytes[i]! % ALPHANUMERIC.length]!;
  return uid;
}
