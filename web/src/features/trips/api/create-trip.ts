// POST /api/v1/rooms/{room_id}/trips
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { Traveler, TripPlan } from './get-trip';

export interface CreateTripBody {
  destination: string;
  trip_type: string;
  duration: number;
  start_date?: string;
  climate?: string;
  travelers: Traveler[] | number;
  occasion?: string;
}

export const TRIP_TYPES = ['leisure', 'beach', 'mountains', 'city', 'business', 'wedding', 'adventure', 'pilgrimage'] as const;
export const CLIMATES = ['hot', 'mild', 'cold', 'rainy', 'snowy'] as const;

export function createTrip(roomId: string, body: CreateTripBody): Promise<TripPlan> {
  return api.post<TripPlan>(`/api/v1/rooms/${seg(roomId)}/trips`, body);
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
