import { describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError, problemFromBody, REFRESH_TOKEN_KEY } from './api-client';

function json(status: number, body: unknown, type = 'application/json'): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': type },
  });
}

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
    data,
  };
}

const noLock = <T,>(_name: string, fn: () => Promise<T>) => fn();

describe('ApiClient', () => {
  it('sends the bearer token and parses JSON', async () => {
    const fetch = vi.fn(async () => json(200, { ok: true }));
    const client = new ApiClient({ fetch, storage: memoryStorage(), lock: noLock });
    client.setTokens({ access_token: 'a1', refresh_token: 'r1' });
    await expect(client.get('/api/v1/me')).resolves.toEqual({ ok: true });
    const [, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect((init.headers as Record<string, string>).Authorization).toBe('Bearer a1');
  });

  it('refreshes once for many concurrent 401s and retries each request', async () => {
    const storage = memoryStorage({ [REFRESH_TOKEN_KEY]: 'r1' });
    let refreshCalls = 0;
    let releaseRefresh!: () => void;
    const refreshGate = new Promise<void>((resolve) => (releaseRefresh = resolve));
    const fetch = vi.fn(async (url: string | URL | Request, init?: RequestInit) => {
      const auth = (init?.headers as Record<string, string> | undefined)?.Authorization;
      if (String(url).endsWith('/api/v1/auth/refresh')) {
        refreshCalls += 1;
        expect(JSON.parse(String(init?.body))).toEqual({ refresh_token: 'r1' });
        await refreshGate;
        return json(200, { access_token: 'a2', refresh_token: 'r2' });
      }
      return auth === 'Bearer a2' ? json(200, { url: String(url) }) : json(401, { code: 'unauthorized', title: 'Unauthorized', status: 401 }, 'application/problem+json');
    });
    const client = new ApiClient({ fetch, storage, lock: noLock });
    client.setTokens({ access_token: 'expired', refresh_token: 'r1' });

    const calls = [client.get('/a'), client.get('/b'), client.get('/c')];
    await new Promise((r) => setTimeout(r, 10));
    releaseRefresh();
    const results = await Promise.all(calls);

    expect(refreshCalls).toBe(1);
    expect(results.map((r) => (r as { url: string }).url)).toEqual(['/a', '/b', '/c']);
    expect(storage.data.get(REFRESH_TOKEN_KEY)).toBe('r2');
  });

  it('does not refresh again when another request already did', async () => {
    const storage = memoryStorage();
    let refreshCalls = 0;
    const fetch = vi.fn(async (url: string | URL | Request, init?: RequestInit) => {
      if (String(url).endsWith('/auth/refresh')) {
        refreshCalls += 1;
        return json(200, { access_token: 'a2', refresh_token: 'r2' });
      }
      const auth = (init?.headers as Record<string, string>).Authorization;
      return auth === 'Bearer a2' ? json(200, {}) : json(401, {});
    });
    const client = new ApiClient({ fetch, storage, lock: noLock });
    client.setTokens({ access_token: 'old', refresh_token: 'r1' });
    await client.get('/one');
    await client.get('/two');
    expect(refreshCalls).toBe(1);
  });

  it('signs out when the refresh token is refused, and asks for a new sign-in', async () => {
    const storage = memoryStorage();
    const fetch = vi.fn(async (url: string | URL | Request) =>
      String(url).endsWith('/auth/refresh') ? json(401, { code: 'unauthorized' }) : json(401, { code: 'unauthorized', title: 'Unauthorized' }),
    );
    const onSessionLost = vi.fn(async () => false);
    const client = new ApiClient({ fetch, storage, lock: noLock, onSessionLost });
    const states: string[] = [];
    client.onSessionChange((s) => states.push(s));
    client.setTokens({ access_token: 'a', refresh_token: 'dead' });

    const error = await client.get('/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    expect(onSessionLost).toHaveBeenCalledTimes(1);
    expect(storage.data.has(REFRESH_TOKEN_KEY)).toBe(false);
    expect(states).toEqual(['signed-in', 'signed-out']);
  });

  it('keeps the tab signed in while the user is asked to sign in again', async () => {
    const storage = memoryStorage();
    let release!: (ok: boolean) => void;
    const fetch = vi.fn(async (url: string | URL | Request) => (String(url).endsWith('/auth/refresh') ? json(401, {}) : json(401, {})));
    const client = new ApiClient({ fetch, storage, lock: noLock, onSessionLost: () => new Promise<boolean>((r) => (release = r)) });
    const states: string[] = [];
    client.setTokens({ access_token: 'a', refresh_token: 'r' });
    client.onSessionChange((s) => states.push(s));
    const pending = client.get('/x').catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 10));
    expect(client.isSuspended).toBe(true);
    expect(client.hasSession).toBe(true);
    expect(storage.data.has(REFRESH_TOKEN_KEY)).toBe(false);
    expect(states).toEqual([]);
    release(false);
    expect(((await pending) as ApiError).status).toBe(401);
    expect(client.hasSession).toBe(false);
    expect(states).toEqual(['signed-out']);
  });

  it('retries the request after the user signs in again, keeping what was sent', async () => {
    const storage = memoryStorage();
    const bodies: unknown[] = [];
    let client!: ApiClient;
    const fetch = vi.fn(async (url: string | URL | Request, init?: RequestInit) => {
      if (String(url).endsWith('/auth/refresh')) return json(401, {});
      bodies.push(init?.body);
      const auth = (init?.headers as Record<string, string>).Authorization;
      return auth === 'Bearer fresh' ? json(200, { saved: true }) : json(401, {});
    });
    client = new ApiClient({
      fetch,
      storage,
      lock: noLock,
      onSessionLost: async () => {
        client.setTokens({ access_token: 'fresh', refresh_token: 'r9' });
        return true;
      },
    });
    client.setTokens({ access_token: 'stale', refresh_token: 'r1' });
    await expect(client.patch('/api/v1/me', { name: 'Asha' })).resolves.toEqual({ saved: true });
    expect(bodies).toEqual([JSON.stringify({ name: 'Asha' }), JSON.stringify({ name: 'Asha' })]);
  });

  it('turns problem+json into a typed ApiError with field errors', async () => {
    const problem = {
      type: 'https://familyroom.example/problems/validation_failed',
      title: 'Validation failed',
      status: 422,
      detail: 'Some fields are invalid',
      code: 'validation_failed',
      errors: [
        { field: 'email', message: 'must be an email address' },
        { field: 'password', message: 'must be at least 10 characters' },
      ],
    };
    const fetch = vi.fn(async () => json(422, problem, 'application/problem+json'));
    const client = new ApiClient({ fetch, storage: memoryStorage(), lock: noLock });
    const error = (await client.post('/api/v1/auth/register', {}, { auth: false }).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(422);
    expect(error.code).toBe('validation_failed');
    expect(error.title).toBe('Validation failed');
    expect(error.detail).toBe('Some fields are invalid');
    expect(error.errors).toHaveLength(2);
    expect(error.fieldError('email')).toBe('must be an email address');
  });

  it('copes with error bodies that are not problem+json', () => {
    const e = problemFromBody(502, 'Bad Gateway', null);
    expect(e.code).toBe('server_error');
    expect(e.title).toBe('Bad Gateway');
    expect(e.errors).toEqual([]);
    const e2 = problemFromBody(409, '', { errors: 'nope', code: 42 });
    expect(e2.code).toBe('conflict');
    expect(e2.errors).toEqual([]);
  });

  it('reports a network failure as status 0', async () => {
    const fetch = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    });
    const client = new ApiClient({ fetch, storage: memoryStorage(), lock: noLock });
    const error = (await client.get('/x', { auth: false }).catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(0);
    expect(error.code).toBe('network');
  });

  it('answers undefined for 204 and encodes query parameters', async () => {
    const fetch = vi.fn(async () => new Response(null, { status: 204 }));
    const client = new ApiClient({ fetch, storage: memoryStorage(), lock: noLock });
    await expect(client.delete('/x', { auth: false, query: { q: 'red shirt', empty: '', n: 2, tags: ['a', 'b'] } })).resolves.toBeUndefined();
    expect((fetch.mock.calls as unknown as [string][])[0]?.[0]).toBe('/x?q=red+shirt&n=2&tags=a&tags=b');
  });

  it('treats a refused token found at start-up as signed out, without a sign-in prompt', async () => {
    const storage = memoryStorage({ [REFRESH_TOKEN_KEY]: 'revoked' });
    const fetch = vi.fn(async () => json(401, { code: 'unauthorized' }));
    const onSessionLost = vi.fn(async () => true);
    const client = new ApiClient({ fetch, storage, lock: noLock, onSessionLost });
    expect(client.hasSession).toBe(true);
    const error = (await client.get('/api/v1/me').catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(401);
    expect(onSessionLost).not.toHaveBeenCalled();
    expect(client.hasSession).toBe(false);
  });

  it('signs out locally before the server answers, and sends the revoke with keepalive', async () => {
    const storage = memoryStorage();
    let answer!: (r: Response) => void;
    const fetch = vi.fn((_url: string | URL | Request, _init?: RequestInit) => new Promise<Response>((r) => (answer = r)));
    const client = new ApiClient({ fetch, storage, lock: noLock });
    client.setTokens({ access_token: 'a1', refresh_token: 'r1' });
    const done = client.signOut();
    await Promise.resolve();
    expect(client.hasSession).toBe(false);
    expect(storage.data.has(REFRESH_TOKEN_KEY)).toBe(false);
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/v1/auth/logout');
    expect(init.keepalive).toBe(true);
    expect((init.headers as Record<string, string>).Authorization).toBe('Bearer a1');
    expect(client.hasSignedOutOnPurpose).toBe(true);
    answer(new Response(null, { status: 204 }));
    await expect(done).resolves.toBeUndefined();
    client.setTokens({ access_token: 'a2', refresh_token: 'r2' });
    expect(client.hasSignedOutOnPurpose).toBe(false);
  });
});
