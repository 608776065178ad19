// Whether this tab holds a session. The token itself lives in the api client;
// this only lets React re-render when it changes, and follows other tabs.
import { useSyncExternalStore } from 'react';
import { api, REFRESH_TOKEN_KEY } from './api-client';

function subscribe(onChange: () => void): () => void {
  const off = api.onSessionChange(onChange);
  const onStorage = (event: StorageEvent) => {
    if (event.key !== REFRESH_TOKEN_KEY) return;
    // Signed out elsewhere: drop our access token too.
    if (event.newValue === null) api.forgetAccessToken();
    onChange();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    off();
    window.removeEventListener('storage', onStorage);
  };
}

export function useSignedIn(): boolean {
  return useSyncExternalStore(subscribe, () => api.hasSession, () => false);
}

const PENDING_JOIN_KEY = 'familyroom.pending_join';

/** Remembers an invite code across sign-up or sign-in. */
export const pendingJoin = {
  set(code: string) {
    try {
      localStorage.setItem(PENDING_JOIN_KEY, code);
    } catch {
      // No storage: the ?next= link still carries it.
    }
  },
  take(): string | null {
    try {
      const code = localStorage.getItem(PENDING_JOIN_KEY);
      localStorage.removeItem(PENDING_JOIN_KEY);
      return code;
    } catch {
      return null;
    }
  },
  peek(): string | null {
    try {
      return localStorage.getItem(PENDING_JOIN_KEY);
    } catch {
      return null;
    }
  },
};

/** A same-origin path to go to after sign-in; anything else becomes /rooms. */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/rooms';
  return next;
}
