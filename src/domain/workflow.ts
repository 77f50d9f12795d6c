/**
 * The approval workflow of a submission (one reporting unit, framework and period), as pure rules.
 *
 * draft → submitted → approved_district → approved_province → accepted, with `returned` (editable again,
 * resubmittable) reachable from any state that awaits a review. The chain depends on the reporting unit's level:
 * a district passes district, province and NACTA; a province or division skips the district step; a federal
 * unit (the country) goes from submitted straight to accepted.
 */
import type { OrgUnitLevel } from './org-unit.ts';

export const SUBMISSION_STATUSES = ['draft', 'submitted', 'returned', 'approved_district', 'approved_province', 'accepted'] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];

/** The level at which an approval step is taken: the grant of whoever takes it sits on the unit's ancestor there. */
export type StepLevel = 'district' | 'province' | 'country';

export interface ApprovalStep {
  level: StepLevel;
  /** Acceptance by NACTA is the last step; the others approve. */
  action: 'approve' | 'accept';
  to: SubmissionStatus;
}

const STEP: Record<StepLevel, ApprovalStep> = {
  district: { level: 'district', action: 'approve', to: 'approved_district' },
  province: { level: 'province', action: 'approve', to: 'approved_province' },
  country: { level: 'country', action: 'accept', to: 'accepted' },
};

/** The approval steps a submission of a unit at this level passes, in order. */
export function approvalChain(level: OrgUnitLevel): ApprovalStep[] {
  if (level === 'district') return [STEP.district, STEP.province, STEP.country];
  if (level === 'province' || level === 'division') return [STEP.province, STEP.country];
  return [STEP.country];
}

/** The step that a submission in this status waits for, or null when nothing awaits review. */
export function nextStep(status: SubmissionStatus, level: OrgUnitLevel): ApprovalStep | null {
  const chain = approvalChain(level);
  if (status === 'submitted') return chain[0]!;
  const done = chain.findIndex((s) => s.to === status);
  if (done < 0) return null;
  return chain[done + 1] ?? null;
}

/** Whether values under a submission in this status may be changed (without a lock exception). */
export function isEditable(status: SubmissionStatus): boolean {
  return status === 'draft' || status === 'returned';
}

/**
 * Reads with a stage see only values whose submission has reached it. 'approved' means at least the first
 * approval step of the unit's own chain has been taken (for a federal unit, whose only step is acceptance,
 * that is acceptance); 'accepted' means NACTA has accepted it.
 */
export type ReadStage = 'approved' | 'accepted';

/** The statuses that satisfy a stage, whatever the unit's level (a status belongs to one chain position per level). */
export function statusesAtStage(stage: ReadStage): SubmissionStatus[] {
  return stage === 'accepted' ? ['accepted'] : ['approved_district', 'approved_province', 'accepted'];
}

export type WorkflowAction = 'submit' | 'approve' | 'return';

export class WorkflowError extends Error {
  constructor(readonly statusCode: 400 | 409, readonly code: 'bad_request' | 'conflict', message: string) {
    super(message);
    this.name = 'WorkflowError';
  }
}

export interface Transition {
  /** The event's action as stored: an approval that ends the chain is an `accept`. */
  action: 'submit' | 'approve' | 'accept' | 'return';
  from: SubmissionStatus;
  to: SubmissionStatus;
  /** The step being taken (approve) or refused (return); null for a submission. */
  step: ApprovalStep | null;
  reason: string | null;
}

/**
 * The transition an action makes from a status, or a WorkflowError: 409 when the submission is not in a
 * status the action applies to (approving approved data, submitting a submitted one), 400 for a return
 * without a reason.
 */
export function transition(status: SubmissionStatus, level: OrgUnitLevel, action: WorkflowAction, reason?: string | null): Transition {
  if (action === 'submit') {
    if (!isEditable(status)) throw new WorkflowError(409, 'conflict', `the submission is ${label(status)}: only a draft or a returned submission can be submitted`);
    return { action: 'submit', from: status, to: 'submitted', step: null, reason: null };
  }
  const step = nextStep(status, level);
  if (!step) throw new WorkflowError(409, 'conflict', `the submission is ${label(status)}: nothing awaits ${action === 'approve' ? 'approval' : 'a return'}`);
  if (action === 'approve') return { action: step.action, from: status, to: step.to, step, reason: null };
  const why = reason?.trim() ?? '';
  if (!why) throw new WorkflowError(400, 'bad_request', 'a return needs a reason the submitter can act on');
  return { action: 'return', from: status, to: 'returned', step, reason: why };
}

/** A review grant as the workflow sees it: the org unit the grant sits on. */
export interface ReviewGrant {
  orgUnitId: number;
}

/**
 * Whether a reviewer may take (or refuse) a step: one of their review grants must sit exactly on the unit's
 * ancestor at the step's level (district step: that district; province step: the province; acceptance: the
 * country). A grant higher up covers the unit but belongs to a later step.
 */
export function mayTakeStep(grants: readonly ReviewGrant[], step: ApprovalStep, ancestorAt: Partial<Record<StepLevel, number>>): boolean {
  const unit = ancestorAt[step.level];
  return unit !== undefined && grants.some((g) => g.orgUnitId === unit);
}

function label(status: SubmissionStatus): string {
  return status.replace('_', ' at ');
}
