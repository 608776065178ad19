// The one WebSocket of the tab. It owns the socket, the subscriptions and the
// resume cursor of each room, and turns server frames into query-cache
// updates; components never touch the socket, they read the cache and call
// the few send methods below. The socket is a notification channel: after a
// reconnect every room resumes from its last cursor, and REST stays the truth.

import type { QueryClient } from '@tanstack/react-query';
import type { Schema } from '@/api';
import { appendLive, type FeedData } from './activity-feed';
import { queryKeys } from './query-keys';

export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'offline';

/** The part of the browser WebSocket this module uses, so tests can pass a fake. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code?: number; reason?: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export type SocketFactory = (url: string) => SocketLike;

const OPEN = 1;

export interface LiveActivity {
  id: string;
  room_id?: string;
  user_id?: string;
  product_id?: string | null;
  action_type?: string;
  cursor?: string | null;
  [key: string]: unknown;
}

export type ServerFrame =
  | { type: 'subscribed'; room_id: string; cursor?: string | null }
  | { type: 'unsubscribed'; room_id: string; reason?: string }
  | { type: 'activity'; room_id: string; activity: LiveActivity }
  | { type: 'presence'; room_id: string; user_id: string; is_online: boolean; last_seen?: string | null }
  | { type: 'viewing'; room_id: string; user_id: string; product_id: string | null }
  | { type: 'typing'; room_id: string; user_id: string }
  | { type: 'recommendations'; room_id: string; for_user: string; recommendations: Schema<'RecommendationView'>[] }
  | { type: 'cart_changed'; room_id: string; product_ids: string[]; reason?: string }
  | { type: 'pong' }
  | { type: 'error'; code?: string; message?: string; room_id?: string };

/** Who is typing: user id to the time (ms) their indicator expires. */
export type TypingState = Record<string, number>;
/** What each member looks at: user id to product id and when it was seen. */
export type ViewingState = Record<string, { product_id: string | null; at: number }>;

interface MemberLike {
  user_id: string;
  is_online?: boolean;
  last_seen?: string | null;
  [key: string]: unknown;
}

export interface RealtimeOptions {
  queryClient: QueryClient;
  /** POSTs /api/v1/realtime/ticket and answers the ticket. */
  getTicket: () => Promise<string>;
  socketFactory?: SocketFactory;
  socketUrl?: (ticket: string) => string;
  backoff?: { baseMs: number; maxMs: number };
  /** In [0, 1); drives the jitter. */
  random?: () => number;
  pingIntervalMs?: number;
  /** A socket silent for this long is treated as dead and replaced. */
  idleTimeoutMs?: number;
  typingTtlMs?: number;
  /** Follow the browser's online/offline events. Default true when `window` exists. */
  watchNetwork?: boolean;
  /** How many activity ids per room are remembered for de-duplication. */
  dedupeWindow?: number;
}

function defaultSocketUrl(ticket: string): string {
  const { protocol, host } = window.location;
  const scheme = protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${host}/api/v1/realtime?ticket=${encodeURIComponent(ticket)}`;
}

function defaultFactory(url: string): SocketLike {
  return new WebSocket(url) as unknown as SocketLike;
}

/** Activity types whose REST views change with them, and which views. */
function viewsTouchedBy(action: string | undefined, roomId: string): readonly (readonly unknown[])[] {
  switch (action) {
    case 'added_to_cart':
    case 'removed_from_cart':
    case 'updated_cart':
      return [queryKeys.cart(roomId)];
    case 'added_to_wishlist':
    case 'removed_from_wishlist':
      return [queryKeys.wishlist(roomId)];
    case 'voted':
    case 'liked':
    case 'unliked':
    case 'commented':
      return [queryKeys.polls(roomId), queryKeys.votes(roomId)];
    case 'joined':
    case 'left':
    case 'removed':
    case 'role_changed':
      return [queryKeys.room(roomId), queryKeys.rooms()];
    case 'trip_planned':
    case 'trip_updated':
      return [queryKeys.trips(roomId)];
    case 'revealed':
      return [queryKeys.cart(roomId), queryKeys.wishlist(roomId), queryKeys.polls(roomId)];
    default:
      return [];
  }
}

export class RealtimeClient {
  private readonly qc: QueryClient;
  private readonly getTicket: () => Promise<string>;
  private readonly factory: SocketFactory;
  private readonly socketUrl: (ticket: string) => string;
  private readonly backoff: { baseMs: number; maxMs: number };
  private readonly random: () => number;
  private readonly pingIntervalMs: number;
  private readonly idleTimeoutMs: number;
  private readonly typingTtlMs: number;
  private readonly dedupeWindow: number;

  private socket: SocketLike | null = null;
  private state: ConnectionState = 'idle';
  private readonly stateListeners = new Set<(s: ConnectionState) => void>();
  private running = false;
  private attempt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private lastMessageAt = 0;
  /** Room id to the number of components that want it. */
  private readonly rooms = new Map<string, number>();
  /** Room id to the cursor of the newest activity received. */
  private readonly cursors = new Map<string, string | null>();
  /** Room id to the ids already delivered, oldest first. */
  private readonly seen = new Map<string, { set: Set<string>; order: string[] }>();
  private readonly lastTypingSent = new Map<string, number>();
  private detachNetwork: (() => void) | null = null;
  private readonly watchNetwork: boolean;
  /** The most recent `error` frame, for diagnostics. */
  lastError: { code?: string; message?: string } | null = null;

  constructor(options: RealtimeOptions) {
    this.qc = options.queryClient;
    this.getTicket = options.getTicket;
    this.factory = options.socketFactory ?? defaultFactory;
    this.socketUrl = options.socketUrl ?? defaultSocketUrl;
    this.backoff = options.backoff ?? { baseMs: 500, maxMs: 30_000 };
    this.random = options.random ?? Math.random;
    this.pingIntervalMs = options.pingIntervalMs ?? 25_000;
    this.idleTimeoutMs = options.idleTimeoutMs ?? 70_000;
    this.typingTtlMs = options.typingTtlMs ?? 5_000;
    this.dedupeWindow = options.dedupeWindow ?? 2_000;
    this.watchNetwork = options.watchNetwork ?? typeof window !== 'undefined';
  }

  // ---- state ---------------------------------------------------------------

  getState(): ConnectionState {
    return this.state;
  }

  onStateChange(listener: (s: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  private setState(next: ConnectionState): void {
    if (next === this.state) return;
    this.state = next;
    for (const l of this.stateListeners) l(next);
  }

  // ---- lifecycle -----------------------------------------------------------

  /** Connects and keeps connected until stop(). Idempotent. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.attempt = 0;
    if (this.watchNetwork) this.attachNetwork();
    if (this.watchNetwork && typeof navigator !== 'undefined' && navigator.onLine === false) {
      this.setState('offline');
      return;
    }
    void this.connect();
  }

  /** Closes the socket and forgets every room (sign-out). */
  stop(): void {
    this.running = false;
    this.clearTimers();
    this.detachNetwork?.();
    this.detachNetwork = null;
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = null;
      socket.onmessage = null;
      socket.close(1000, 'signed out');
    }
    this.rooms.clear();
    this.cursors.clear();
    this.seen.clear();
    this.setState('idle');
  }

  private attachNetwork(): void {
    if (typeof window === 'undefined') return;
    const online = () => {
      if (!this.running) return;
      // Back online: try now rather than wait out the backoff.
      this.attempt = 0;
      if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
      this.reconnectTimer = null;
      if (!this.socket) void this.connect();
    };
    const offline = () => {
      if (!this.running) return;
      this.dropSocket();
      this.setState('offline');
    };
    window.addEventListener('online', online);
    window.addEventListener('offline', offline);
    this.detachNetwork = () => {
      window.removeEventListener('online', online);
      window.removeEventListener('offline', offline);
    };
  }

  private clearTimers(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.reconnectTimer = null;
    this.pingTimer = null;
  }

  /** Delay before reconnect attempt `attempt` (0-based): exponential, capped, with jitter in [½, 1]. */
  backoffDelay(attempt: number): number {
    const ceiling = Math.min(this.backoff.maxMs, this.backoff.baseMs * 2 ** attempt);
    return Math.round(ceiling / 2 + (ceiling / 2) * this.random());
  }

  private scheduleReconnect(): void {
    if (!this.running || this.reconnectTimer) return;
    if (this.state !== 'offline') this.setState('reconnecting');
    const delay = this.backoffDelay(this.attempt);
    this.attempt += 1;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connect();
    }, delay);
  }

  private async connect(): Promise<void> {
    if (!this.running || this.socket) return;
    this.setState(this.attempt === 0 && this.state !== 'reconnecting' ? 'connecting' : 'reconnecting');
    let ticket: string;
    try {
      ticket = await this.getTicket();
    } catch {
      this.scheduleReconnect();
      return;
    }
    if (!this.running || this.socket) return;
    let socket: SocketLike;
    try {
      socket = this.factory(this.socketUrl(ticket));
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.lastMessageAt = Date.now();
      this.setState('open');
      for (const roomId of this.rooms.keys()) this.sendSubscribe(roomId);
      this.startPing();
    };
    socket.onmessage = (event) => {
      this.lastMessageAt = Date.now();
      // A message proves the connection works: the next failure starts the backoff over.
      this.attempt = 0;
      if (typeof event.data === 'string') this.handleText(event.data);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.pingTimer) clearInterval(this.pingTimer);
      this.pingTimer = null;
      this.scheduleReconnect();
    };
    socket.onerror = () => {
      // onclose follows and reconnects.
    };
  }

  private dropSocket(): void {
    const socket = this.socket;
    this.socket = null;
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
    if (socket) {
      socket.onclose = null;
      socket.onmessage = null;
      try {
        socket.close(4000, 'dropped');
      } catch {
        // Already closed.
      }
    }
  }

  private startPing(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => {
      if (Date.now() - this.lastMessageAt > this.idleTimeoutMs) {
        this.dropSocket();
        this.scheduleReconnect();
        return;
      }
      this.send({ type: 'ping' });
    }, this.pingIntervalMs);
  }

  private send(frame: Record<string, unknown>): boolean {
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN) return false;
    socket.send(JSON.stringify(frame));
    return true;
  }

  // ---- rooms ---------------------------------------------------------------

  /**
   * Wants live events of a room until the returned function is called.
   * `cursor` is where the caller's history ends; the socket's own cursor wins
   * once it has received something newer.
   */
  subscribe(roomId: string, cursor?: string | null): () => void {
    if (cursor && !this.cursors.get(roomId)) this.cursors.set(roomId, cursor);
    const count = this.rooms.get(roomId) ?? 0;
    this.rooms.set(roomId, count + 1);
    if (count === 0) this.sendSubscribe(roomId);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.rooms.get(roomId) ?? 1) - 1;
      if (left > 0) {
        this.rooms.set(roomId, left);
        return;
      }
      this.rooms.delete(roomId);
      this.send({ type: 'unsubscribe', room_id: roomId });
    };
  }

  /** Sets where a room resumes from when nothing newer came over the socket. */
  noteCursor(roomId: string, cursor: string | null): void {
    if (cursor && !this.cursors.get(roomId)) this.cursors.set(roomId, cursor);
  }

  cursorOf(roomId: string): string | null {
    return this.cursors.get(roomId) ?? null;
  }

  private sendSubscribe(roomId: string): void {
    const feed = this.qc.getQueryData<FeedData>(queryKeys.activities(roomId));
    const cursor = this.cursors.get(roomId) ?? (feed && !feed.partial ? feed.cursor : null) ?? null;
    this.send({ type: 'subscribe', room_id: roomId, cursor });
  }

  /** Tells the room which product this user looks at (null: none). */
  sendViewing(roomId: string, productId: string | null): void {
    this.send({ type: 'viewing', room_id: roomId, product_id: productId });
  }

  /** Tells the room this user is typing; sent at most every 2 seconds. */
  sendTyping(roomId: string): void {
    const now = Date.now();
    if (now - (this.lastTypingSent.get(roomId) ?? 0) < 2_000) return;
    if (this.send({ type: 'typing', room_id: roomId })) this.lastTypingSent.set(roomId, now);
  }

  // ---- frames --------------------------------------------------------------

  private handleText(text: string): void {
    let frame: ServerFrame;
    try {
      frame = JSON.parse(text) as ServerFrame;
    } catch {
      return;
    }
    if (!frame || typeof frame !== 'object' || typeof frame.type !== 'string') return;
    this.handleFrame(frame);
  }

  /** Applies one server frame to the cache. Public for tests and for other transports. */
  handleFrame(frame: ServerFrame): void {
    switch (frame.type) {
      case 'subscribed':
        // Without a cursor the server streams from now on: that is the resume point.
        if (!this.cursors.get(frame.room_id) && frame.cursor) this.cursors.set(frame.room_id, frame.cursor);
        break;
      case 'unsubscribed':
        // The server ended the subscription (e.g. the member was removed):
        // do not resubscribe, and let the room's REST read tell the page why.
        this.rooms.delete(frame.room_id);
        void this.qc.invalidateQueries({ queryKey: queryKeys.room(frame.room_id), exact: true });
        void this.qc.invalidateQueries({ queryKey: queryKeys.rooms() });
        break;
      case 'activity':
        this.onActivity(frame.room_id, frame.activity);
        break;
      case 'presence':
        this.onPresence(frame);
        break;
      case 'typing':
        this.qc.setQueryData<TypingState>(queryKeys.typing(frame.room_id), (old) => ({
          ...(old ?? {}),
          [frame.user_id]: Date.now() + this.typingTtlMs,
        }));
        break;
      case 'viewing':
        this.qc.setQueryData<ViewingState>(queryKeys.viewing(frame.room_id), (old) => ({
          ...(old ?? {}),
          [frame.user_id]: { product_id: frame.product_id ?? null, at: Date.now() },
        }));
        break;
      case 'recommendations':
        this.onRecommendations(frame);
        break;
      case 'cart_changed':
        // A carted or wished-for product changed in the catalog (price,
        // stock): the lists read prices and stock now, so refetch them.
        void this.qc.invalidateQueries({ queryKey: queryKeys.cart(frame.room_id) });
        void this.qc.invalidateQueries({ queryKey: queryKeys.wishlist(frame.room_id) });
        for (const id of Array.isArray(frame.product_ids) ? frame.product_ids : []) {
          void this.qc.invalidateQueries({ queryKey: queryKeys.product(id) });
        }
        break;
      case 'error':
        this.lastError = { code: frame.code, message: frame.message };
        break;
      case 'pong':
        break;
    }
  }

  private isDuplicate(roomId: string, id: string): boolean {
    let entry = this.seen.get(roomId);
    if (!entry) {
      entry = { set: new Set(), order: [] };
      this.seen.set(roomId, entry);
    }
    if (entry.set.has(id)) return true;
    entry.set.add(id);
    entry.order.push(id);
    if (entry.order.length > this.dedupeWindow) {
      const old = entry.order.shift();
      if (old !== undefined) entry.set.delete(old);
    }
    return false;
  }

  private onActivity(roomId: string, activity: LiveActivity): void {
    if (!activity || typeof activity.id !== 'string') return;
    if (this.isDuplicate(roomId, activity.id)) return;
    if (activity.cursor) this.cursors.set(roomId, activity.cursor);
    this.qc.setQueryData<FeedData<LiveActivity>>(queryKeys.activities(roomId), (old) => appendLive(old, activity));
    // Someone who acts is typing no more.
    if (activity.user_id && activity.action_type === 'message') {
      const userId = activity.user_id;
      this.qc.setQueryData<TypingState>(queryKeys.typing(roomId), (old) => {
        if (!old || !(userId in old)) return old;
        const next = { ...old };
        delete next[userId];
        return next;
      });
    }
    for (const key of viewsTouchedBy(activity.action_type, roomId)) {
      void this.qc.invalidateQueries({ queryKey: key });
    }
  }

  private onPresence(frame: Extract<ServerFrame, { type: 'presence' }>): void {
    this.qc.setQueryData<{ members?: MemberLike[] }>(queryKeys.room(frame.room_id), (old) => {
      if (!old || !Array.isArray(old.members)) return old;
      let changed = false;
      const members = old.members.map((m) => {
        if (m.user_id !== frame.user_id) return m;
        changed = true;
        return { ...m, is_online: frame.is_online, last_seen: frame.last_seen ?? m.last_seen ?? null };
      });
      if (!changed) {
        // A member the cached room does not know yet: load the room again.
        void this.qc.invalidateQueries({ queryKey: queryKeys.room(frame.room_id), exact: true });
        return old;
      }
      return { ...old, members };
    });
  }

  private onRecommendations(frame: Extract<ServerFrame, { type: 'recommendations' }>): void {
    // The frame carries all of one member's lists (sent to that member only):
    // they replace what the cache holds for them, unfiltered and per type,
    // under both the caller's key (no `for_user`) and the explicit one.
    if (!Array.isArray(frame.recommendations)) return;
    const lists = frame.recommendations;
    const room = frame.room_id;
    this.qc.setQueryData(queryKeys.recommendations(room), lists);
    this.qc.setQueryData(queryKeys.recommendations(room, frame.for_user), lists);
    for (const query of this.qc.getQueryCache().findAll({ queryKey: queryKeys.recommendationsAll(room) })) {
      const filter = query.queryKey[3] as { forUser: string | null; type: string | null } | undefined;
      if (!filter?.type || (filter.forUser !== null && filter.forUser !== frame.for_user)) continue;
      this.qc.setQueryData(
        query.queryKey,
        lists.filter((l) => l.type === filter.type),
      );
    }
  }

}
