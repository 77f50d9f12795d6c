/** Session ids and API tokens are stored only as their sha256: a copy of the database signs nobody in. */
import { createHash, randomBytes } from 'node:crypto';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** 32 random bytes, URL-safe, for session ids, CSRF tokens and API tokens. */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}
