/**
 * The one place that maps paths to screens and builds the navigation. A sign-in screen and role-based
 * navigation (#5) hook in here: each route can say who may see it.
 */
import type { ReactNode } from 'react';
import type { MessageKey } from '../i18n/i18n.tsx';
import { HomeScreen } from '../screens/HomeScreen.tsx';
import { StatusScreen } from '../screens/StatusScreen.tsx';
import { OrgUnitScreen } from '../screens/OrgUnitScreen.tsx';
import { IndicatorScreen } from '../screens/IndicatorScreen.tsx';
import { DataEntryScreen } from '../screens/DataEntryScreen.tsx';
import { ImportScreen } from '../screens/ImportScreen.tsx';
import { CompletenessScreen } from '../screens/CompletenessScreen.tsx';
import { FrameworkScreen } from '../screens/FrameworkScreen.tsx';
import { InboxScreen, SubmissionScreen } from '../screens/InboxScreen.tsx';
import { AuditScreen, LockExceptionsScreen, UsersScreen } from '../screens/AdminScreens.tsx';
import type { Role } from '../api/governance.ts';

export interface Route {
  pattern: string;
  render: (params: Record<string, string>) => ReactNode;
  /** Shown in the top navigation under this label. */
  nav?: MessageKey;
  /** Shown in the navigation only to users holding one of these roles (the server enforces it either way). */
  roles?: Role[];
}

export const routes: Route[] = [
  { pattern: '/', render: () => <HomeScreen />, nav: 'nav.scorecard' },
  { pattern: '/data-entry', render: () => <DataEntryScreen />, nav: 'nav.dataEntry', roles: ['data_clerk', 'admin'] },
  { pattern: '/import', render: () => <ImportScreen />, nav: 'nav.import', roles: ['data_clerk', 'admin'] },
  { pattern: '/inbox', render: () => <InboxScreen />, nav: 'nav.inbox', roles: ['reviewer', 'admin'] },
  { pattern: '/submissions/:id', render: (p) => <SubmissionScreen id={Number(p.id)} /> },
  { pattern: '/admin/users', render: () => <UsersScreen />, nav: 'nav.users', roles: ['admin'] },
  { pattern: '/admin/lock-exceptions', render: () => <LockExceptionsScreen />, nav: 'nav.locks', roles: ['admin'] },
  { pattern: '/admin/audit', render: () => <AuditScreen />, nav: 'nav.audit', roles: ['admin'] },
  { pattern: '/completeness', render: () => <CompletenessScreen />, nav: 'nav.completeness' },
  { pattern: '/framework', render: () => <FrameworkScreen />, nav: 'nav.framework' },
  { pattern: '/pillars/:code', render: (p) => <StatusScreen pillar={p.code!} /> },
  { pattern: '/objectives/:code', render: (p) => <StatusScreen objective={p.code!} /> },
  { pattern: '/org-units/:code', render: (p) => <OrgUnitScreen code={p.code!} /> },
  { pattern: '/indicators/:code', render: (p) => <IndicatorScreen code={p.code!} /> },
];

export const paths = {
  home: () => '/',
  pillar: (code: string, orgUnit?: string) => (orgUnit && orgUnit !== 'PK' ? `/pillars/${encodeURIComponent(code)}?orgUnit=${encodeURIComponent(orgUnit)}` : `/pillars/${encodeURIComponent(code)}`),
  objective: (code: string, orgUnit?: string) => (orgUnit && orgUnit !== 'PK' ? `/objectives/${encodeURIComponent(code)}?orgUnit=${encodeURIComponent(orgUnit)}` : `/objectives/${encodeURIComponent(code)}`),
  orgUnit: (code: string) => `/org-units/${encodeURIComponent(code)}`,
  indicator: (code: string, orgUnit?: string) => (orgUnit && orgUnit !== 'PK' ? `/indicators/${encodeURIComponent(code)}?orgUnit=${encodeURIComponent(orgUnit)}` : `/indicators/${encodeURIComponent(code)}`),
  dataEntry: (q: { orgUnit?: string; period?: string } = {}) => {
    const s = new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => Boolean(e[1]))).toString();
    return s ? `/data-entry?${s}` : '/data-entry';
  },
};
