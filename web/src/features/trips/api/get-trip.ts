// GET /api/v1/rooms/{room_id}/trips/{trip_id}
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, seg } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

// Narrow local shapes until src/api/schema.d.ts lands; replace with components["schemas"]["TripPlan"].
export interface Traveler {
  user_id?: string | null;
  name?: string | null;
  age?: number | null;
  gender?: string | null;
}
export interface PackingProduct {
  id: string;
  title?: string;
  images?: string[];
  price?: { amount: string; currency: string };
  [key: string]: unknown;
}
export interface PackingItem {
  /** Assumed: a traveller's name, a user id, or a Traveler object. */
  traveler: string | Traveler | null;
  item: string;
  category?: string | null;
  quantity: number;
  reason?: string | null;
  products?: (PackingProduct | string)[];
  /** Assumed optional fields the server may keep when PATCHed. */
  checked?: boolean;
  product_id?: string | null;
}
export interface TripPlan {
  id: string;
  destination: string;
  trip_type: string;
  duration: number;
  start_date?: string | null;
  climate?: string | null;
  occasion?: string | null;
  travelers?: Traveler[] | number;
  packing_list: PackingItem[];
  created_at?: string;
}

export function travelerLabel(t: PackingItem['traveler'], nameOf: (id: string) => string | undefined): string {
  if (!t) return 'Everyone';
  if (typeof t === 'string') return nameOf(t) ?? t;
  return t.name ?? (t.user_id ? (nameOf(t.user_id) ?? 'Traveller') : 'Traveller');
}

export function getTrip(roomId: string, tripId: string, signal?: AbortSignal): Promise<TripPlan> {
  return api.get<TripPlan>(`/api/v1/rooms/${seg(roomId)}/trips/${seg(tripId)}`, { signal });
}

export const tripQueryOptions = (roomId: string, tripId: string) =>
  queryOptions({ queryKey: queryKeys.trip(roomId, tripId), queryFn: ({ signal }) => getTrip(roomId, tripId, signal) });

export function useTrip(roomId: string, tripId: string | null) {
  return useQuery({ ...tripQueryOptions(roomId, tripId ?? ''), enabled: !!tripId });
}
