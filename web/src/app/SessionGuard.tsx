import { useEffect, useRef, useState } from 'react';
import { SessionExpiredDialog } from '@/features/auth';
import { api } from '@/lib/api-client';

/**
 * When the refresh token is refused mid-session, asks the user to sign in
 * again over the current page instead of navigating away, then lets the
 * waiting requests retry: what they typed stays where it was.
 */
export function SessionGuard() {
  const [open, setOpen] = useState(false);
  const resolver = useRef<((ok: boolean) => void) | null>(null);

  useEffect(() => {
    api.onSessionLost = () =>
      new Promise<boolean>((resolve) => {
        resolver.current = resolve;
        setOpen(true);
      });
    return () => {
      api.onSessionLost = undefined;
    };
  }, []);

  const finish = (ok: boolean) => {
    setOpen(false);
    resolver.current?.(ok);
    resolver.current = null;
    // On cancel the api client ends the session, and the route guard sends the user to sign in.
  };

  return <SessionExpiredDialog open={open} onSignedIn={() => finish(true)} onCancel={() => finish(false)} />;
}
