// GET /api/v1/rooms/{room_id}/trips
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, seg } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { TripPlan } from './get-trip';

export async function listTrips(roomId: string, signal?: AbortSignal): Promise<TripPlan[]> {
  const answer = await api.get<TripPlan[] | { items: TripPlan[] }>(`/api/v1/rooms/${seg(roomId)}/trips`, { signal });
  return Array.isArray(answer) ? answer : (answer.items ?? []);
}

export const tripsQueryOptions = (roomId: string) => queryOptions({ queryKey: queryKeys.trips(roomId), queryFn: ({ signal }) => listTrips(roomId, signal) });

export function useTrips(roomId: string) {
  return useQuery(tripsQueryOptions(roomId));
}
