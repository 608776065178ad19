// GET /api/v1/rooms/{room_id}/recommendations?for_user=&type=
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, seg } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

// Narrow local shape until src/api/schema.d.ts lands; replace with components["schemas"]["Recommendation"].
// `products` may hold product objects or product ids; both are handled.
export interface RecommendedProduct {
  id: string;
  title?: string;
  [key: string]: unknown;
}
export interface Recommendation {
  id: string;
  type: string;
  products: (RecommendedProduct | string)[];
  reason?: string | null;
  triggered_by?: string | null;
  created_at?: string;
  expires_at?: string | null;
}

export function productIdOf(p: RecommendedProduct | string): string {
  return typeof p === 'string' ? p : p.id;
}

export async function listRecommendations(roomId: string, forUser?: string, type?: string, signal?: AbortSignal): Promise<Recommendation[]> {
  const answer = await api.get<Recommendation[] | { items: Recommendation[] }>(`/api/v1/rooms/${seg(roomId)}/recommendations`, {
    query: { for_user: forUser, type },
    signal,
  });
  return Array.isArray(answer) ? answer : (answer.items ?? []);
}

export const recommendationsQueryOptions = (roomId: string, forUser?: string, type?: string) =>
  queryOptions({
    queryKey: queryKeys.recommendations(roomId, forUser, type),
    queryFn: ({ signal }) => listRecommendations(roomId, forUser, type, signal),
  });

export function useRecommendations(roomId: string, forUser?: string, type?: string) {
  return useQuery(recommendationsQueryOptions(roomId, forUser, type));
}
