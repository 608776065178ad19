// GET /api/v1/rooms/{room_id}/trips
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Schema } from '@/api';
import { api, seg } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { Trip } from './get-trip';

export type TripPage = Schema<'TripPage'>;

export async function listTrips(roomId: string, signal?: AbortSignal): Promise<Trip[]> {
  const page = await api.get<TripPage>(`/api/v1/rooms/${seg(roomId)}/trips`, { signal });
  return page.items;
}

// Exact key: the list lives at the trips prefix, and each trip below it.
export const tripsQueryOptions = (roomId: string) => queryOptions({ queryKey: queryKeys.trips(roomId), queryFn: ({ signal }) => listTrips(roomId, signal) });

export function useTrips(roomId: string) {
  return useQuery(tripsQueryOptions(roomId));
}
