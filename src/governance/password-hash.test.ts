import { describe, expect, it } from 'vitest';
import { assertPasswordPolicy, hashPassword, passwordProblem, verifyPassword } from './password-hash.ts';
import { lockSeconds } from './sign-in.ts';

describe('password hashing', () => {
  it('hashes with Argon2id and verifies only the right password', async () => {
    const h = await hashPassword('correct-horse-battery');
    expect(h).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(h, 'correct-horse-battery')).toBe(true);
    expect(await verifyPassword(h, 'correct-horse-batterz')).toBe(false);
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
  });

  it('names the reason a password is refused', () => {
    expect(passwordProblem('short')).toMatch(/at least 10 characters/);
    expect(passwordProblem('          ')).toMatch(/blank/);
    expect(passwordProblem('ten chars!')).toBeNull();
    expect(() => assertPasswordPolicy('123456789')).toThrow(/at least 10/);
  });

  it('locks from the fifth failure, doubling from a minute up to an hour', () => {
    expect([4, 5, 6, 7, 11, 12, 30].map(lockSeconds)).toEqual([0, 60, 120, 240, 3600, 3600, 3600]);
  });
});
