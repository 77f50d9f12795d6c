import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { connect } from './connect.ts';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'jaiza-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the embedded data directory', () => {
  it('refuses a second process with a clear message while the first holds it, and frees it on close', async () => {
    const first = await connect({ dataDir: dir });
    const second = await run('node', ['bin/jaiza.js', '--data-dir', dir, 'seed', '--no-demo'], { env: { ...process.env, DATABASE_URL: '' } })
      .then(() => ({ code: 0, stderr: '' }), (e: { code: number; stderr: string }) => e);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`The data directory ${dir} is in use by another Jaiza process`);
    await first.close();
    const again = await connect({ dataDir: dir });
    expect(again.migrationVersion).toBeGreaterThan(0);
    await again.close();
  });
});
