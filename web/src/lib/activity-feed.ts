// The shape of a room's activity feed in the query cache, shared by the REST
// loader (features/activity) and the socket (lib/realtime). REST stays the
// source of truth; live activities are merged in by id so none shows twice.

export interface ActivityLike {
  id: string;
  cursor?: string | null;
}

export interface FeedData<A extends ActivityLike = ActivityLike> {
  items: A[];
  /** Cursor of the newest activity held, the point to resume from. */
  cursor: string | null;
  /**
   * True when the items came only from the socket before the history loaded:
   * the next load must fetch from the start instead of after `cursor`.
   */
  partial: boolean;
}

/** Appends the activities of `incoming` not already in `base`, keeping order. */
export function mergeActivities<A extends ActivityLike>(base: readonly A[], incoming: readonly A[]): A[] {
  if (incoming.length === 0) return base as A[];
  const seen = new Set(base.map((a) => a.id));
  const out = base.slice();
  for (const a of incoming) {
    if (seen.has(a.id)) continue;
    seen.add(a.id);
    out.push(a);
  }
  return out;
}

export function lastCursor(items: readonly ActivityLike[], fallback: string | null): string | null {
  for (let i = items.length - 1; i >= 0; i--) {
    const c = items[i]?.cursor;
    if (c) return c;
  }
  return fallback;
}

/** The feed after one live activity; the same object when it is a duplicate. */
export function appendLive<A extends ActivityLike>(feed: FeedData<A> | undefined, activity: A): FeedData<A> {
  if (!feed) return { items: [activity], cursor: activity.cursor ?? null, partial: true };
  if (feed.items.some((a) => a.id === activity.id)) return feed;
  return { ...feed, items: [...feed.items, activity], cursor: activity.cursor ?? feed.cursor };
}
