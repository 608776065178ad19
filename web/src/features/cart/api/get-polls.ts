// GET /api/v1/rooms/{room_id}/polls
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Schema } from '@/api';
import { api, seg } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

export type PollEntry = Schema<'PollEntry'>;
export type Polls = Schema<'PollSummary'>;

export const pollsQueryOptions = (roomId: string) =>
  queryOptions({ queryKey: queryKeys.polls(roomId), queryFn: ({ signal }) => api.get<Polls>(`/api/v1/rooms/${seg(roomId)}/polls`, { signal }) });

export function usePolls(roomId: string) {
  return useQuery(pollsQueryOptions(roomId));
}
