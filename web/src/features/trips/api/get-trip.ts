// GET /api/v1/rooms/{room_id}/trips/{trip_id}
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Schema } from '@/api';
import { api, seg } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

export type Trip = Schema<'TripView'>;
export type PackingLine = Schema<'PackingLineView'>;
export type TripTraveler = Schema<'TravelerView'>;
export type PackingProduct = Schema<'ProductCard'>;

/** The product a line has chosen, if it is among the line's offered products. */
export function chosenProduct(line: PackingLine): PackingProduct | undefined {
  if (!line.product_id) return undefined;
  return line.products.find((p) => p.id === line.product_id);
}

/** The traveller of a line: their name, or the family for shared lines. */
export function travelerLabel(line: PackingLine): string {
  return line.traveler ?? 'Shared';
}

export function getTrip(roomId: string, tripId: string, signal?: AbortSignal): Promise<Trip> {
  return api.get<Trip>(`/api/v1/rooms/${seg(roomId)}/trips/${seg(tripId)}`, { signal });
}

export const tripQueryOptions = (roomId: string, tripId: string) =>
  queryOptions({ queryKey: queryKeys.trip(roomId, tripId), queryFn: ({ signal }) => getTrip(roomId, tripId, signal) });

export function useTrip(roomId: string, tripId: string | null) {
  return useQuery({ ...tripQueryOptions(roomId, tripId ?? ''), enabled: !!tripId });
}
