// GET /api/v1/rooms/{room_id}/activities?cursor=&limit=
import { queryOptions, useQuery, type QueryClient } from '@tanstack/react-query';
import type { Schema } from '@/api';
import { api, seg } from '@/lib/api-client';
import { lastCursor, mergeActivities, type FeedData } from '@/lib/activity-feed';
import { queryKeys } from '@/lib/query-keys';

export type Activity = Schema<'ActivityView'>;
type ActivityPage = Schema<'ActivityPage'>;

const PAGE = 100;
/** History fetched in one load at most; older activity is not shown. */
const MAX_PAGES = 20;

/**
 * Loads the feed: from the start the first time, after the held cursor on
 * later loads (a catch-up, e.g. after a reconnect). Activities the socket
 * delivered while the request ran are merged in, so none is lost or doubled.
 */
export async function loadFeed(client: QueryClient, roomId: string, signal?: AbortSignal): Promise<FeedData<Activity>> {
  const key = queryKeys.activities(roomId);
  const before = client.getQueryData<FeedData<Activity>>(key);
  const base = before && !before.partial ? before.items : [];
  let cursor: string | null = before && !before.partial ? before.cursor : null;
  const fetched: Activity[] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await api.get<ActivityPage>(`/api/v1/rooms/${seg(roomId)}/activities`, { query: { cursor, limit: PAGE }, signal });
    const items = Array.isArray(answer.items) ? answer.items : [];
    fetched.push(...items);
    cursor = lastCursor(items, answer.next_cursor ?? cursor);
    if (!answer.next_cursor || items.length === 0) break;
    cursor = answer.next_cursor;
  }
  const live = client.getQueryData<FeedData<Activity>>(key)?.items ?? [];
  const items = mergeActivities(mergeActivities(base, fetched), live);
  return { items, cursor: lastCursor(items, cursor), partial: false };
}

export const activitiesQueryOptions = (roomId: string) =>
  queryOptions({
    queryKey: queryKeys.activities(roomId),
    queryFn: ({ client, signal }) => loadFeed(client, roomId, signal),
    // The socket keeps it fresh; a refetch is a catch-up, never a reload.
    staleTime: Infinity,
  });

export function useActivities(roomId: string) {
  return useQuery(activitiesQueryOptions(roomId));
}

/**
 * Whom a secret activity (or cart line, wishlist item) is hidden from: its
 * `visibility` is `"everyone"`, `{hidden_from: […]}` or `{only: […]}`.
 */
export function hiddenFrom(item: { visibility?: Schema<'Visibility'> | unknown }): string[] {
  const v = item.visibility;
  if (v && typeof v === 'object' && Array.isArray((v as { hidden_from?: unknown }).hidden_from)) {
    return (v as { hidden_from: unknown[] }).hidden_from.filter((x): x is string => typeof x === 'string');
  }
  return [];
}
