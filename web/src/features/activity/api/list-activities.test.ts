import { QueryClient } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '@/lib/api-client';
import { appendLive, type FeedData } from '@/lib/activity-feed';
import { queryKeys } from '@/lib/query-keys';
import { loadFeed, type Activity } from './list-activities';

const act = (n: number): Activity => ({
  id: `a${n}`,
  room_id: 'r',
  user_id: 'u',
  action_type: 'liked',
  product_id: 'p',
  created_at: '2026-11-23T10:00:00Z',
  cursor: `c${n}`,
  is_secret: false,
  metadata: {},
  visibility: 'everyone',
});

afterEach(() => vi.restoreAllMocks());

describe('loadFeed', () => {
  it('pages through history and keeps activities the socket delivered meanwhile', async () => {
    const qc = new QueryClient();
    const key = queryKeys.activities('r');
    const get = vi.spyOn(api, 'get').mockImplementation(async (_path, options) => {
      const cursor = options?.query?.cursor ?? null;
      if (cursor === null) {
        // While the first page is in flight, a live activity arrives (and one the page also holds).
        qc.setQueryData<FeedData<Activity>>(key, (old) => appendLive(appendLive(old, act(2)), act(4)));
        return { items: [act(1), act(2)], next_cursor: 'c2' };
      }
      return { items: [act(3)], next_cursor: null };
    });
    const feed = await loadFeed(qc, 'r');
    expect(get).toHaveBeenCalledTimes(2);
    expect(feed.items.map((a) => a.id)).toEqual(['a1', 'a2', 'a3', 'a4']);
    expect(feed.cursor).toBe('c4');
    expect(feed.partial).toBe(false);
  });

  it('catches up after the held cursor on a refetch', async () => {
    const qc = new QueryClient();
    qc.setQueryData<FeedData<Activity>>(queryKeys.activities('r'), { items: [act(1)], cursor: 'c1', partial: false });
    const get = vi.spyOn(api, 'get').mockResolvedValue({ items: [act(2)], next_cursor: null });
    const feed = await loadFeed(qc, 'r');
    expect(get.mock.calls[0]?.[1]?.query?.cursor).toBe('c1');
    expect(feed.items.map((a) => a.id)).toEqual(['a1', 'a2']);
  });
});
