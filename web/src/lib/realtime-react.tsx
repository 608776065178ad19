// React bindings of the realtime client: a provider that starts it while
// signed in, and hooks that subscribe to rooms and read its state. Components
// use these and the query cache; they never see the socket.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { Schema } from '@/api';
import { api } from './api-client';
import { queryKeys } from './query-keys';
import { RealtimeClient, type ConnectionState, type TypingState, type ViewingState } from './realtime';
import { useSignedIn } from './session';

const RealtimeContext = createContext<RealtimeClient | null>(null);

export function RealtimeProvider({ children, client }: { children: ReactNode; client?: RealtimeClient }) {
  const queryClient = useQueryClient();
  const signedIn = useSignedIn();
  const realtime = useMemo(
    () =>
      client ??
      new RealtimeClient({
        queryClient,
        getTicket: async () => (await api.post<Schema<'TicketView'>>('/api/v1/realtime/ticket')).ticket,
      }),
    [client, queryClient],
  );
  useEffect(() => {
    if (!signedIn) return;
    realtime.start();
    return () => realtime.stop();
  }, [realtime, signedIn]);
  return <RealtimeContext.Provider value={realtime}>{children}</RealtimeContext.Provider>;
}

export function useRealtime(): RealtimeClient | null {
  return useContext(RealtimeContext);
}

export function useConnectionState(): ConnectionState {
  const rt = useRealtime();
  return useSyncExternalStore(
    (cb) => (rt ? rt.onStateChange(cb) : () => {}),
    () => rt?.getState() ?? 'idle',
    () => 'idle' as ConnectionState,
  );
}

/** Keeps the room subscribed while the calling component is mounted. */
export function useRoomSubscription(roomId: string | undefined): void {
  const rt = useRealtime();
  useEffect(() => {
    if (!rt || !roomId) return;
    return rt.subscribe(roomId);
  }, [rt, roomId]);
}

/** User ids typing in the room now, refreshed as indicators expire. */
export function useTyping(roomId: string): string[] {
  const { data } = useQuery<TypingState>({
    queryKey: queryKeys.typing(roomId),
    queryFn: () => ({}),
    staleTime: Infinity,
    initialData: {},
  });
  const [now, setNow] = useState(() => Date.now());
  const active = Object.entries(data).filter(([, until]) => until > now);
  useEffect(() => {
    if (active.length === 0) return;
    const soonest = Math.min(...active.map(([, until]) => until));
    const t = setTimeout(() => setNow(Date.now()), Math.max(50, soonest - Date.now() + 10));
    return () => clearTimeout(t);
  });
  // Re-evaluate when new typing frames arrive.
  useEffect(() => setNow(Date.now()), [data]);
  return active.map(([userId]) => userId);
}

export function useViewing(roomId: string): ViewingState {
  const { data } = useQuery<ViewingState>({
    queryKey: queryKeys.viewing(roomId),
    queryFn: () => ({}),
    staleTime: Infinity,
    initialData: {},
  });
  return data;
}
