// The one HTTP client of the app. It owns the session tokens (access token in
// memory, refresh token in localStorage), refreshes silently on a 401 with a
// single request shared by every caller, and turns problem+json into ApiError.
// It never shows UI: features decide what an error means to the user.

export type FieldError = Schema<'FieldError'>;

/** An RFC 9457 problem answered by the server, or a failure to reach it (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly type: string;
  readonly errors: FieldError[];
  /** The resource as it is now, on a 409 about a stale `version` (the problem's `current` member). */
  readonly current: unknown;

  constructor(init: {
    status: number;
    code: string;
    title: string;
    detail?: string;
    type?: string;
    errors?: FieldError[];
    current?: unknown;
  }) {
    super(init.detail || init.title);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.detail = init.detail ?? '';
    this.type = init.type ?? 'about:blank';
    this.errors = init.errors ?? [];
    this.current = init.current ?? null;
  }

  /** The message for one field, for showing next to that field. */
  fieldError(field: string): string | undefined {
    return this.errors.find((e) => e.field === field)?.message;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

const codeByStatus: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  422: 'validation_failed',
  429: 'rate_limited',
};

function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Builds an ApiError from a response body, tolerating bodies that are not problem+json. */
export function problemFromBody(status: number, statusText: string, body: unknown): ApiError {
  const obj = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const rawErrors = Array.isArray(obj.errors) ? obj.errors : [];
  const errors: FieldError[] = rawErrors.flatMap((e): FieldError[] => {
    if (!e || typeof e !== 'object') return [];
    const rec = e as Record<string, unknown>;
    const field = asString(rec.field) ?? '';
    const message = asString(rec.message) ?? '';
    return message || field ? [{ field, message }] : [];
  });
  return new ApiError({
    status: typeof obj.status === 'number' ? obj.status : status,
    code: asString(obj.code) ?? codeByStatus[status] ?? (status >= 500 ? 'server_error' : 'error'),
    title: asString(obj.title) ?? (statusText || `HTTP ${status}`),
    detail: asString(obj.detail) ?? '',
    type: asString(obj.type) ?? 'about:blank',
    errors,
    current: obj.current && typeof obj.current === 'object' ? obj.current : null,
  });
}

import type { Schema } from '@/api';

/** The tokens of an `AuthSession` answer (register, login, refresh). */
export type TokenPair = Pick<Schema<'AuthSession'>, 'access_token' | 'refresh_token'>;

export type SessionState = 'signed-in' | 'signed-out';

export interface RequestOptions {
  query?: Record<string, string | number | boolean | null | undefined | readonly (string | number)[]>;
  body?: unknown;
  form?: FormData;
  signal?: AbortSignal;
  /** Send the Bearer token and refresh on 401. Default true. */
  auth?: boolean;
}

export interface ApiClientOptions {
  baseUrl?: string;
  fetch?: typeof fetch;
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  /**
   * Called when the refresh token is refused. Resolve true once the user has
   * signed in again (tokens set) to retry the request that hit the 401, so a
   * form in progress is not lost; resolve false to fail it with the 401.
   */
  onSessionLost?: () => Promise<boolean>;
  /** Serialises refreshes across tabs; defaults to the Web Locks API when present. */
  lock?: <T>(name: string, fn: () => Promise<T>) => Promise<T>;
}

export const REFRESH_TOKEN_KEY = 'familyroom.refresh_token';
const REFRESH_PATH = '/api/v1/auth/refresh';
const LOGOUT_PATH = '/api/v1/auth/logout';

function defaultLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  return locks ? (locks.request(name, fn) as unknown as Promise<T>) : fn();
}

function buildQuery(query: RequestOptions['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      for (const v of value) params.append(key, String(v));
    } else {
      params.set(key, String(value));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export class ApiClient {
  private accessToken: string | null = null;
  private hadSession = false;
  private signedOutOnPurpose = false;
  private suspended = false;
  private refreshInFlight: Promise<boolean> | null = null;
  private readonly listeners = new Set<(state: SessionState) => void>();
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly storage: ApiClientOptions['storage'];
  private readonly lock: NonNullable<ApiClientOptions['lock']>;
  onSessionLost: ApiClientOptions['onSessionLost'];

  constructor(options: ApiClientOptions = {}) {
    this.baseUrl = options.baseUrl ?? '';
    this.fetchImpl = options.fetch ?? ((...args) => globalThis.fetch(...args));
    this.storage = options.storage ?? (typeof localStorage !== 'undefined' ? localStorage : undefined);
    this.lock = options.lock ?? defaultLock;
    this.onSessionLost = options.onSessionLost;
  }

  get refreshToken(): string | null {
    try {
      return this.storage?.getItem(REFRESH_TOKEN_KEY) ?? null;
    } catch {
      return null;
    }
  }

  get hasSession(): boolean {
    return this.suspended || this.refreshToken !== null || this.accessToken !== null;
  }

  /**
   * True while a session that worked in this tab has expired and the user is
   * asked to sign in again: the app keeps showing the page (and what was typed)
   * instead of treating the tab as signed out.
   */
  get isSuspended(): boolean {
    return this.suspended;
  }

  setTokens(tokens: TokenPair): void {
    this.hadSession = true;
    this.signedOutOnPurpose = false;
    this.suspended = false;
    this.accessToken = tokens.access_token;
    try {
      this.storage?.setItem(REFRESH_TOKEN_KEY, tokens.refresh_token);
    } catch {
      // Private mode without storage: the session lasts as long as the tab.
    }
    this.emit('signed-in');
  }

  clearTokens(): void {
    const had = this.hasSession;
    this.hadSession = false;
    this.suspended = false;
    this.accessToken = null;
    try {
      this.storage?.removeItem(REFRESH_TOKEN_KEY);
    } catch {
      // Nothing stored.
    }
    if (had) this.emit('signed-out');
  }

  /**
   * Signs out: forgets the tokens in this tab at once, so a reload or another
   * tab can never bring the session back, then asks the server to revoke the
   * login. The request is sent with `keepalive` so leaving the page does not
   * cancel it; if it fails, the server-side tokens still expire on their own.
   */
  async signOut(): Promise<void> {
    if (!this.accessToken && this.refreshToken) await this.refresh().catch(() => false);
    const token = this.accessToken;
    this.signedOutOnPurpose = true;
    this.clearTokens();
    if (!token) return;
    try {
      await this.fetchImpl(this.baseUrl + LOGOUT_PATH, {
        method: 'POST',
        headers: { Accept: 'application/json, application/problem+json', Authorization: `Bearer ${token}` },
        keepalive: true,
      });
    } catch {
      // Offline: this tab is signed out already; the tokens expire on the server.
    }
  }

  /**
   * True after the user signed out in this tab (until the next sign-in): a
   * guarded page then sends them home, not to a sign-in form.
   */
  get hasSignedOutOnPurpose(): boolean {
    return this.signedOutOnPurpose;
  }

  /** Drops the in-memory access token, e.g. when another tab signed out. */
  forgetAccessToken(): void {
    this.accessToken = null;
  }

  onSessionChange(listener: (state: SessionState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(state: SessionState): void {
    for (const l of this.listeners) l(state);
  }

  /**
   * Exchanges the refresh token for a new pair. Every concurrent caller shares
   * one request: a refresh token works once, and presenting a used one revokes
   * the whole login, so two refreshes in parallel would sign the user out.
   */
  refresh(): Promise<boolean> {
    if (!this.refreshInFlight) {
      this.refreshInFlight = this.lock('familyroom-refresh', () => this.doRefresh()).finally(() => {
        this.refreshInFlight = null;
      });
    }
    return this.refreshInFlight;
  }

  private async doRefresh(): Promise<boolean> {
    // Read inside the lock: another tab may have rotated the token meanwhile.
    const token = this.refreshToken;
    if (!token) return false;
    let response: Response;
    try {
      response = await this.fetchImpl(this.baseUrl + REFRESH_PATH, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ refresh_token: token }),
      });
    } catch {
      // Offline: keep the session, the caller sees a network error.
      throw new ApiError({ status: 0, code: 'network', title: 'Cannot reach Family Room' });
    }
    if (response.ok) {
      const pair = (await response.json()) as Schema<'AuthSession'>;
      this.setTokens(pair);
      return true;
    }
    if (response.status === 401 || response.status === 403 || response.status === 400) {
      if (this.hadSession && this.onSessionLost) {
        // Keep the page: drop the dead tokens quietly and wait for a new sign-in.
        this.suspended = true;
        this.accessToken = null;
        try {
          this.storage?.removeItem(REFRESH_TOKEN_KEY);
        } catch {
          // Nothing stored.
        }
      } else {
        this.clearTokens();
      }
      return false;
    }
    throw await this.toError(response);
  }

  private sessionLostInFlight: Promise<boolean> | null = null;

  private sessionLost(): Promise<boolean> {
    const handler = this.onSessionLost;
    if (!handler) return Promise.resolve(false);
    if (!this.sessionLostInFlight) {
      this.sessionLostInFlight = handler()
        .catch(() => false)
        .finally(() => {
          this.sessionLostInFlight = null;
        });
    }
    return this.sessionLostInFlight;
  }

  private async toError(response: Response): Promise<ApiError> {
    let body: unknown = null;
    try {
      const text = await response.text();
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    return problemFromBody(response.status, response.statusText, body);
  }

  private async send(method: string, path: string, options: RequestOptions): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
    let body: BodyInit | undefined;
    if (options.form) {
      body = options.form;
    } else if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    if (options.auth !== false && this.accessToken) {
      headers.Authorization = `Bearer ${this.accessToken}`;
    }
    try {
      return await this.fetchImpl(this.baseUrl + path + buildQuery(options.query), {
        method,
        headers,
        body,
        signal: options.signal,
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new ApiError({ status: 0, code: 'network', title: 'Cannot reach Family Room', detail: 'Check your connection and try again.' });
    }
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const useAuth = options.auth !== false;
    // No access token yet (a reload): refresh first rather than send a request bound to fail.
    if (useAuth && !this.accessToken && this.refreshToken) {
      await this.refresh().catch(() => false);
    }
    const sentWith = this.accessToken;
    let response = await this.send(method, path, options);
    if (response.status === 401 && useAuth) {
      // Another caller may have refreshed while this request was in flight.
      let renewed = this.accessToken !== null && this.accessToken !== sentWith;
      if (!renewed && this.refreshToken) renewed = await this.refresh();
      // Only a session that worked in this tab is worth a "sign in again" prompt;
      // a stale token found at start-up just means the tab is signed out.
      if (!renewed && this.hadSession) renewed = await this.sessionLost();
      if (renewed) response = await this.send(method, path, options);
      else if (this.suspended) this.clearTokens();
    }
    if (!response.ok) throw await this.toError(response);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  get<T>(path: string, options?: Omit<RequestOptions, 'body' | 'form'>): Promise<T> {
    return this.request<T>('GET', path, options);
  }
  post<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T> {
    return this.request<T>('POST', path, { ...options, body });
  }
  put<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T> {
    return this.request<T>('PUT', path, { ...options, body });
  }
  patch<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T> {
    return this.request<T>('PATCH', path, { ...options, body });
  }
  delete<T = void>(path: string, options?: RequestOptions): Promise<T> {
    return this.request<T>('DELETE', path, options);
  }
}

/** Encodes one path segment (ids, codes) so user input cannot change the route. */
export function seg(value: string): string {
  return encodeURIComponent(value);
}

export const api = new ApiClient();
