import { QueryClient } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FeedData } from './activity-feed';
import { queryKeys } from './query-keys';
import { RealtimeClient, type SocketLike } from './realtime';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: Record<string, unknown>[] = [];
  closed = false;
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close() {
    this.closed = true;
    this.readyState = 3;
  }
  // Server side of the fake.
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  push(frame: unknown) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  drop() {
    this.readyState = 3;
    this.onclose?.({ code: 1006 });
  }
}

const ROOM = 'room-1';
const act = (n: number) => ({ id: `a${n}`, room_id: ROOM, user_id: 'u2', action_type: 'liked', product_id: 'p1', cursor: `c${n}` });

function setup() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const sockets: FakeSocket[] = [];
  let tickets = 0;
  const rt = new RealtimeClient({
    queryClient: qc,
    getTicket: async () => `t${++tickets}`,
    socketFactory: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    socketUrl: (ticket) => `ws://test/api/v1/realtime?ticket=${ticket}`,
    backoff: { baseMs: 1000, maxMs: 8000 },
    random: () => 1,
    watchNetwork: false,
  });
  return { qc, rt, sockets };
}

const flush = () => vi.advanceTimersByTimeAsync(0);

describe('RealtimeClient', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('connects with a fresh ticket and subscribes with the known cursor', async () => {
    const { rt, sockets, qc } = setup();
    qc.setQueryData<FeedData>(queryKeys.activities(ROOM), { items: [], cursor: 'c0', partial: false });
    rt.subscribe(ROOM);
    rt.start();
    await flush();
    expect(sockets).toHaveLength(1);
    expect(sockets[0]!.url).toBe('ws://test/api/v1/realtime?ticket=t1');
    sockets[0]!.open();
    expect(rt.getState()).toBe('open');
    expect(sockets[0]!.sent).toEqual([{ type: 'subscribe', room_id: ROOM, cursor: 'c0' }]);
  });

  it('reconnects with exponential backoff and jitter, and resumes from the last cursor', async () => {
    const { rt, sockets, qc } = setup();
    rt.start();
    rt.subscribe(ROOM);
    await flush();
    sockets[0]!.open();
    sockets[0]!.push({ type: 'subscribed', room_id: ROOM, cursor: null });
    sockets[0]!.push({ type: 'activity', room_id: ROOM, activity: act(1) });
    sockets[0]!.push({ type: 'activity', room_id: ROOM, activity: act(2) });

    // Fails three times in a row without a message: delays 1s, 2s, 4s (random() = 1 → full ceiling).
    sockets[0]!.drop();
    expect(rt.getState()).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(999);
    expect(sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sockets).toHaveLength(2);
    expect(sockets[1]!.url).toContain('ticket=t2');

    sockets[1]!.drop();
    await vi.advanceTimersByTimeAsync(1999);
    expect(sockets).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(sockets).toHaveLength(3);

    sockets[2]!.drop();
    await vi.advanceTimersByTimeAsync(3999);
    expect(sockets).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(sockets).toHaveLength(4);

    sockets[3]!.open();
    expect(rt.getState()).toBe('open');
    expect(sockets[3]!.sent).toEqual([{ type: 'subscribe', room_id: ROOM, cursor: 'c2' }]);
    const feed = qc.getQueryData<FeedData>(queryKeys.activities(ROOM));
    expect(feed?.items.map((a) => a.id)).toEqual(['a1', 'a2']);
  });

  it('caps the backoff and keeps jitter within half to all of the ceiling', () => {
    const qc = new QueryClient();
    const values = [0, 0.5, 0.999];
    let i = 0;
    const rt = new RealtimeClient({
      queryClient: qc,
      getTicket: async () => 't',
      backoff: { baseMs: 1000, maxMs: 8000 },
      random: () => values[i++ % values.length]!,
      watchNetwork: false,
    });
    expect(rt.backoffDelay(0)).toBe(500);
    expect(rt.backoffDelay(1)).toBe(1500);
    expect(rt.backoffDelay(10)).toBe(7996);
    for (let n = 0; n < 20; n++) {
      const d = rt.backoffDelay(n);
      expect(d).toBeGreaterThanOrEqual(Math.min(8000, 1000 * 2 ** n) / 2);
      expect(d).toBeLessThanOrEqual(8000);
    }
  });

  it('shows no activity twice when a resumed stream replays what was already seen', async () => {
    const { rt, sockets, qc } = setup();
    rt.start();
    rt.subscribe(ROOM);
    await flush();
    sockets[0]!.open();
    sockets[0]!.push({ type: 'activity', room_id: ROOM, activity: act(1) });
    sockets[0]!.push({ type: 'activity', room_id: ROOM, activity: act(2) });
    sockets[0]!.push({ type: 'activity', room_id: ROOM, activity: act(2) });
    sockets[0]!.drop();
    await vi.advanceTimersByTimeAsync(1000);
    sockets[1]!.open();
    // A replay that overlaps what the client has, then something new.
    sockets[1]!.push({ type: 'activity', room_id: ROOM, activity: act(1) });
    sockets[1]!.push({ type: 'activity', room_id: ROOM, activity: act(2) });
    sockets[1]!.push({ type: 'activity', room_id: ROOM, activity: act(3) });
    const feed = qc.getQueryData<FeedData>(queryKeys.activities(ROOM));
    expect(feed?.items.map((a) => a.id)).toEqual(['a1', 'a2', 'a3']);
    expect(feed?.cursor).toBe('c3');
  });

  it('merges live activities into a feed loaded over REST without duplicates', async () => {
    const { rt, sockets, qc } = setup();
    qc.setQueryData<FeedData>(queryKeys.activities(ROOM), { items: [act(1), act(2)], cursor: 'c2', partial: false });
    rt.start();
    rt.subscribe(ROOM);
    await flush();
    sockets[0]!.open();
    expect(sockets[0]!.sent[0]).toEqual({ type: 'subscribe', room_id: ROOM, cursor: 'c2' });
    sockets[0]!.push({ type: 'activity', room_id: ROOM, activity: act(2) });
    sockets[0]!.push({ type: 'activity', room_id: ROOM, activity: act(3) });
    expect(qc.getQueryData<FeedData>(queryKeys.activities(ROOM))?.items.map((a) => a.id)).toEqual(['a1', 'a2', 'a3']);
  });

  it('retries when the ticket cannot be had', async () => {
    const qc = new QueryClient();
    const sockets: FakeSocket[] = [];
    let calls = 0;
    const rt = new RealtimeClient({
      queryClient: qc,
      getTicket: async () => {
        calls += 1;
        if (calls === 1) throw new Error('offline');
        return 'ok';
      },
      socketFactory: (url) => {
        const s = new FakeSocket(url);
        sockets.push(s);
        return s;
      },
      socketUrl: (t) => t,
      backoff: { baseMs: 100, maxMs: 1000 },
      random: () => 0,
      watchNetwork: false,
    });
    rt.start();
    await flush();
    expect(sockets).toHaveLength(0);
    expect(rt.getState()).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(50);
    expect(sockets).toHaveLength(1);
  });

  it('updates presence, typing and viewing in the cache', async () => {
    const { rt, sockets, qc } = setup();
    qc.setQueryData(queryKeys.room(ROOM), { id: ROOM, members: [{ user_id: 'u2', is_online: false, last_seen: null }] });
    rt.start();
    rt.subscribe(ROOM);
    await flush();
    sockets[0]!.open();
    sockets[0]!.push({ type: 'presence', room_id: ROOM, user_id: 'u2', is_online: true, last_seen: '2026-11-23T10:00:00Z' });
    sockets[0]!.push({ type: 'typing', room_id: ROOM, user_id: 'u2' });
    sockets[0]!.push({ type: 'viewing', room_id: ROOM, user_id: 'u2', product_id: 'p9' });
    const room = qc.getQueryData<{ members: { is_online: boolean }[] }>(queryKeys.room(ROOM));
    expect(room?.members[0]?.is_online).toBe(true);
    expect(Object.keys(qc.getQueryData<Record<string, number>>(queryKeys.typing(ROOM)) ?? {})).toEqual(['u2']);
    expect(qc.getQueryData<Record<string, { product_id: string }>>(queryKeys.viewing(ROOM))?.u2?.product_id).toBe('p9');
  });

  it('does not resubscribe to a room the server unsubscribed it from', async () => {
    const { rt, sockets } = setup();
    rt.start();
    rt.subscribe(ROOM);
    rt.subscribe('room-2');
    await flush();
    sockets[0]!.open();
    sockets[0]!.push({ type: 'unsubscribed', room_id: ROOM, reason: 'removed' });
    sockets[0]!.drop();
    await vi.advanceTimersByTimeAsync(1000);
    sockets[1]!.open();
    expect(sockets[1]!.sent).toEqual([{ type: 'subscribe', room_id: 'room-2', cursor: null }]);
  });

  it('stops reconnecting after stop()', async () => {
    const { rt, sockets } = setup();
    rt.start();
    await flush();
    sockets[0]!.open();
    rt.stop();
    expect(sockets[0]!.closed).toBe(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sockets).toHaveLength(1);
    expect(rt.getState()).toBe('idle');
  });

  it('refetches the cart, the wishlist and the changed products on a cart_changed frame', async () => {
    const { rt, sockets, qc } = setup();
    const observe = (key: readonly unknown[], name: string) =>
      qc.prefetchQuery({ queryKey: key, queryFn: async () => ({ name }), staleTime: Infinity });
    await observe(queryKeys.cart(ROOM), 'cart');
    await observe(queryKeys.wishlist(ROOM), 'wishlist');
    await observe(queryKeys.product('p1'), 'p1');
    await observe(queryKeys.product('p2'), 'p2');
    await observe(queryKeys.cart('room-2'), 'other cart');
    rt.start();
    rt.subscribe(ROOM);
    await flush();
    sockets[0]!.open();
    sockets[0]!.push({ type: 'cart_changed', room_id: ROOM, product_ids: ['p1'], reason: 'catalog' });
    const state = (key: readonly unknown[]) => qc.getQueryState(key)?.isInvalidated;
    expect(state(queryKeys.cart(ROOM))).toBe(true);
    expect(state(queryKeys.wishlist(ROOM))).toBe(true);
    expect(state(queryKeys.product('p1'))).toBe(true);
    expect(state(queryKeys.product('p2'))).toBe(false);
    expect(state(queryKeys.cart('room-2'))).toBe(false);
  });

  it('writes a member’s recommendation lists from a recommendations frame into the cache, per type', async () => {
    const { rt, sockets, qc } = setup();
    const card = (id: string) => ({ id, title: `Product ${id}`, brand: 'Acme', image: null, price: { amount: '999.00', currency: 'INR' } });
    const list = (id: string, type: string, products: string[]) => ({
      id,
      type,
      for_user: 'u-me',
      reason: `Because ${type}`,
      products: products.map(card),
      triggered_by: 'u2',
      created_at: '2026-11-24T10:00:00Z',
      expires_at: '2026-11-25T10:00:00Z',
    });
    qc.setQueryData(queryKeys.recommendations(ROOM), [list('old', 'for_member', ['p0'])]);
    qc.setQueryData(queryKeys.recommendations(ROOM, undefined, 'trip'), []);
    qc.setQueryData(queryKeys.recommendations(ROOM, 'u-other'), [list('theirs', 'for_member', ['p9'])]);
    rt.start();
    rt.subscribe(ROOM);
    await flush();
    sockets[0]!.open();
    const lists = [list('r1', 'trending_in_room', ['p1', 'p2']), list('r2', 'trip', ['p3'])];
    sockets[0]!.push({ type: 'recommendations', room_id: ROOM, for_user: 'u-me', recommendations: lists });
    expect(qc.getQueryData(queryKeys.recommendations(ROOM))).toEqual(lists);
    expect(qc.getQueryData(queryKeys.recommendations(ROOM, 'u-me'))).toEqual(lists);
    expect(qc.getQueryData(queryKeys.recommendations(ROOM, undefined, 'trip'))).toEqual([lists[1]]);
    // Another member's lists, read through for_user, are not touched.
    expect(qc.getQueryData<{ id: string }[]>(queryKeys.recommendations(ROOM, 'u-other'))?.[0]?.id).toBe('theirs');
    expect(qc.getQueryState(queryKeys.recommendations(ROOM))?.isInvalidated).toBe(false);
  });

  it('refetches the room’s trips and each trip on trip_planned and trip_updated activities', async () => {
    const { rt, sockets, qc } = setup();
    const observe = (key: readonly unknown[]) => qc.prefetchQuery({ queryKey: key, queryFn: async () => ({}), staleTime: Infinity });
    await observe(queryKeys.trips(ROOM));
    await observe(queryKeys.trip(ROOM, 't1'));
    await observe(queryKeys.trips('room-2'));
    rt.start();
    rt.subscribe(ROOM);
    await flush();
    sockets[0]!.open();
    sockets[0]!.push({ type: 'activity', room_id: ROOM, activity: { id: 'a1', room_id: ROOM, user_id: 'u2', action_type: 'trip_updated', cursor: 'c1', metadata: { trip_id: 't1' } } });
    const state = (key: readonly unknown[]) => qc.getQueryState(key)?.isInvalidated;
    expect(state(queryKeys.trips(ROOM))).toBe(true);
    expect(state(queryKeys.trip(ROOM, 't1'))).toBe(true);
    expect(state(queryKeys.trips('room-2'))).toBe(false);
  });
});
