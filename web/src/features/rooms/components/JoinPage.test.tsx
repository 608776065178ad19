import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import { createMemoryRouter, RouterProvider, useLocation } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, REFRESH_TOKEN_KEY } from '@/lib/api-client';
import { pendingJoin } from '@/lib/session';
import { JoinPage } from './JoinPage';

function Where() {
  const location = useLocation();
  return <p data-testid="where">{location.pathname + location.search}</p>;
}

function renderAt(path: string) {
  const router = createMemoryRouter(
    [
      { path: '/join/:code', element: <JoinPage /> },
      { path: '*', element: <Where /> },
    ],
    { initialEntries: [path] },
  );
  const qc = new QueryClient({ defaultOptions: { mutations: { retry: false } } });
  render(
    <QueryClientProvider client={qc}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
}

afterEach(() => {
  vi.restoreAllMocks();
  api.clearTokens();
});

describe('JoinPage', () => {
  it('remembers the invite code across sign-in when signed out', async () => {
    renderAt('/join/FAM123');
    expect((await screen.findByTestId('where')).textContent).toBe('/sign-in?next=%2Fjoin%2FFAM123');
    expect(pendingJoin.peek()).toBe('FAM123');
  });

  it('joins at once when signed in and opens the room', async () => {
    localStorage.setItem(REFRESH_TOKEN_KEY, 'r');
    pendingJoin.set('FAM123');
    const post = vi.spyOn(api, 'post').mockResolvedValue({ room: { id: 'room-9', name: 'Sharmas' }, member: { user_id: 'u', role: 'member' } });
    renderAt('/join/FAM123');
    expect((await screen.findByTestId('where')).textContent).toBe('/rooms/room-9');
    expect(post).toHaveBeenCalledWith('/api/v1/rooms/join', { invite_code: 'FAM123' });
    expect(pendingJoin.peek()).toBeNull();
  });

  it('says so when the code no longer works', async () => {
    localStorage.setItem(REFRESH_TOKEN_KEY, 'r');
    const { ApiError } = await import('@/lib/api-client');
    vi.spyOn(api, 'post').mockRejectedValue(new ApiError({ status: 404, code: 'not_found', title: 'Not found' }));
    renderAt('/join/OLD');
    expect(await screen.findByText('This invite did not work')).toBeTruthy();
  });
});
