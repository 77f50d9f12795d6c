/** Password hashing (Argon2id) and the password policy every new password meets. */
import { Algorithm, hash, verify } from '@node-rs/argon2';

export const MIN_PASSWORD_LENGTH = 10;

/** Why a password is refused, or null when it meets the policy. */
export function passwordProblem(password: string): string | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return `the password must have at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.trim() === '') return 'the password must not be blank';
  return null;
}

export class PasswordPolicyError extends Error {
  readonly statusCode = 400;
  readonly code = 'weak_password';
  constructor(message: string) {
    super(message);
    this.name = 'PasswordPolicyError';
  }
}

export function assertPasswordPolicy(password: string): void {
  const problem = passwordProblem(password);
  if (problem) throw new PasswordPolicyError(problem);
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: Algorithm.Argon2id });
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    // A stored hash that does not parse never matches.
    return false;
  }
}
