/** Who is signed in: read from /api/auth/me once, cleared by sign-out or any 401 (the sign-in screen then shows). */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { onSignedOut } from '../api/client.ts';
import { gov, type Me, type Role } from '../api/governance.ts';

interface Session {
  /** undefined while asking the server, null when nobody is signed in. */
  me: Me | null | undefined;
  refresh(): Promise<void>;
  signOut(): Promise<void>;
  has(...roles: Role[]): boolean;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const refresh = useCallback(async () => {
    try {
      setMe(await gov.me());
    } catch {
      setMe(null);
    }
  }, []);
  useEffect(() => {
    void refresh();
    return onSignedOut(() => setMe(null));
  }, [refresh]);
  const signOut = useCallback(async () => {
    await gov.signOut().catch(() => undefined);
    setMe(null);
  }, []);
  const value = useMemo<Session>(() => ({
    me, refresh, signOut,
    has: (...roles) => Boolean(me?.grants.some((g) => roles.includes(g.role))),
  }), [me, refresh, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
