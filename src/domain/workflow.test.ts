import { describe, expect, it } from 'vitest';
import { approvalChain, isEditable, mayTakeStep, nextStep, statusesAtStage, transition, WorkflowError } from './workflow.ts';

describe('approval chain', () => {
  it('depends on the reporting unit level', () => {
    expect(approvalChain('district').map((s) => s.to)).toEqual(['approved_district', 'approved_province', 'accepted']);
    expect(approvalChain('province').map((s) => s.to)).toEqual(['approved_province', 'accepted']);
    expect(approvalChain('division').map((s) => s.to)).toEqual(['approved_province', 'accepted']);
    expect(approvalChain('country').map((s) => s.to)).toEqual(['accepted']);
  });

  it('walks a district submission through every step', () => {
    let status = transition('draft', 'district', 'submit').to;
    const actions: string[] = [];
    while (nextStep(status, 'district')) {
      const t = transition(status, 'district', 'approve');
      actions.push(t.action);
      status = t.to;
    }
    expect(status).toBe('accepted');
    expect(actions).toEqual(['approve', 'approve', 'accept']);
  });

  it('takes a federal submission from submitted to accepted', () => {
    expect(transition('submitted', 'country', 'approve')).toMatchObject({ action: 'accept', to: 'accepted' });
  });

  it('refuses approving approved data with a conflict', () => {
    expect(() => transition('accepted', 'district', 'approve')).toThrow(WorkflowError);
    try { transition('approved_province', 'province', 'approve'); } catch { throw new Error('province approved at province awaits acceptance'); }
    const e = (() => { try { transition('draft', 'district', 'approve'); } catch (x) { return x as WorkflowError; } })();
    expect(e?.statusCode).toBe(409);
  });

  it('returns with a reason only, and a returned submission can be submitted again', () => {
    const e = (() => { try { transition('submitted', 'district', 'return', '  '); } catch (x) { return x as WorkflowError; } })();
    expect(e?.statusCode).toBe(400);
    const t = transition('approved_district', 'district', 'return', ' figures double-counted ');
    expect(t).toMatchObject({ to: 'returned', reason: 'figures double-counted' });
    expect(t.step?.level).toBe('province');
    expect(transition('returned', 'district', 'submit').to).toBe('submitted');
    expect(() => transition('submitted', 'district', 'submit')).toThrow(/only a draft or a returned/);
  });

  it('locks everything between submission and acceptance', () => {
    expect(['draft', 'returned'].every((s) => isEditable(s as 'draft'))).toBe(true);
    expect(['submitted', 'approved_district', 'approved_province', 'accepted'].some((s) => isEditable(s as 'draft'))).toBe(false);
  });

  it('lets only a grant at the step level take the step', () => {
    const ancestors = { district: 30, province: 3, country: 1 };
    const step = nextStep('submitted', 'district')!;
    expect(mayTakeStep([{ orgUnitId: 30 }], step, ancestors)).toBe(true);
    expect(mayTakeStep([{ orgUnitId: 3 }], step, ancestors)).toBe(false);
    expect(mayTakeStep([{ orgUnitId: 3 }], nextStep('approved_district', 'district')!, ancestors)).toBe(true);
    expect(mayTakeStep([{ orgUnitId: 1 }], nextStep('approved_province', 'district')!, ancestors)).toBe(true);
    expect(mayTakeStep([{ orgUnitId: 31 }], step, ancestors)).toBe(false);
  });

  it('reads approved as at least the first approval step', () => {
    expect(statusesAtStage('accepted')).toEqual(['accepted']);
    expect(statusesAtStage('approved')).not.toContain('submitted');
  });
});
