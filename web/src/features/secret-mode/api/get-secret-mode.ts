// GET /api/v1/rooms/{room_id}/secret-mode
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Schema } from '@/api';
import { api, seg } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

export type SecretModeState = Schema<'SecretModeView'>;

export function getSecretMode(roomId: string, signal?: AbortSignal): Promise<SecretModeState> {
  return api.get<SecretModeState>(`/api/v1/rooms/${seg(roomId)}/secret-mode`, { signal });
}

export const secretModeQueryOptions = (roomId: string) =>
  queryOptions({ queryKey: queryKeys.secretMode(roomId), queryFn: ({ signal }) => getSecretMode(roomId, signal), staleTime: 5 * 60_000 });

/** The caller's secret-mode state in the room; off until loaded. */
export function useSecretMode(roomId: string): SecretModeState {
  const { data } = useQuery(secretModeQueryOptions(roomId));
  return data ?? { room_id: roomId, enabled: false, hidden_from: [] };
}
