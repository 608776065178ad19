// GET /api/v1/rooms/{room_id}/recommendations?for_user=&type=
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Schema } from '@/api';
import { api, seg } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

export type Recommendation = Schema<'RecommendationView'>;
export type RecommendedProduct = Schema<'ProductCard'>;

/**
 * Lists for one member: the caller when `forUser` is absent. Realtime
 * `recommendations` frames write the caller's lists into these same keys
 * (lib/realtime.ts), so the panel updates without a refetch.
 */
export function listRecommendations(roomId: string, forUser?: string, type?: string, signal?: AbortSignal): Promise<Recommendation[]> {
  return api.get<Recommendation[]>(`/api/v1/rooms/${seg(roomId)}/recommendations`, {
    query: { for_user: forUser, type },
    signal,
  });
}

export const recommendationsQueryOptions = (roomId: string, forUser?: string, type?: string) =>
  queryOptions({
    queryKey: queryKeys.recommendations(roomId, forUser, type),
    queryFn: ({ signal }) => listRecommendations(roomId, forUser, type, signal),
  });

export function useRecommendations(roomId: string, forUser?: string, type?: string) {
  return useQuery(recommendationsQueryOptions(roomId, forUser, type));
}
