// POST /api/v1/rooms/{room_id}/trips
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Schema } from '@/api';
import { api, seg } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { Trip } from './get-trip';

export type CreateTripBody = Schema<'CreateTripInput'>;
export type TravelerInput = Schema<'TravelerInput'>;
export type TravelerGender = Schema<'Gender'>;

// The values of the schema's `trip_type`, `climate` and `occasion` enums, in
// the order the form offers them; trip-enums.test.ts fails when they drift
// from docs/api/openapi.json.
export const TRIP_TYPES = ['leisure', 'city', 'beach', 'trek', 'business', 'wedding', 'ski', 'family_visit', 'road_trip'] as const satisfies readonly NonNullable<CreateTripBody['trip_type']>[];
export const CLIMATES = ['cold', 'snowy', 'cool', 'mild', 'warm', 'hot', 'tropical', 'rainy', 'desert'] as const satisfies readonly NonNullable<CreateTripBody['climate']>[];
export const OCCASIONS = ['none', 'casual', 'wedding', 'business', 'trek', 'beach', 'party', 'festival'] as const satisfies readonly NonNullable<CreateTripBody['occasion']>[];
export const GENDERS = ['women', 'men', 'girls', 'boys', 'unisex'] as const satisfies readonly TravelerGender[];

export type TripType = (typeof TRIP_TYPES)[number];
export type Climate = (typeof CLIMATES)[number];
export type Occasion = (typeof OCCASIONS)[number];

export function createTrip(roomId: string, body: CreateTripBody): Promise<Trip> {
  return api.post<Trip>(`/api/v1/rooms/${seg(roomId)}/trips`, body);
}

export function useCreateTrip(roomId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateTripBody) => createTrip(roomId, body),
    onSuccess: (trip) => {
      qc.setQueryData(queryKeys.trip(roomId, trip.id), trip);
      void qc.invalidateQueries({ queryKey: queryKeys.trips(roomId), exact: true });
    },
  });
}

/** Whole days from start to end inclusive, at least 1. */
export function durationDays(start: string, end: string): number {
  const a = Date.parse(start);
  const b = Date.parse(end);
  if (Number.isNaN(a) || Number.isNaN(b) || b < a) return 1;
  return Math.round((b - a) / 86_400_000) + 1;
}

/** A label a person would read: `family_visit` → `family visit`. */
export function humanize(value: string): string {
  return value.replace(/_/g, ' ');
}
