import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '@/lib/api-client';
import { SessionGuard } from './SessionGuard';

function Draft() {
  const [text, setText] = useState('');
  return <input aria-label="Draft" value={text} onChange={(e) => setText(e.target.value)} />;
}

function renderWithGuard() {
  const router = createMemoryRouter([{ path: '/', element: (<><Draft /><SessionGuard /></>) }]);
  render(
    <QueryClientProvider client={new QueryClient()}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
}

afterEach(() => {
  vi.restoreAllMocks();
  api.clearTokens();
});

describe('SessionGuard', () => {
  it('asks for a new sign-in over the page, keeping what was typed, and reports success', async () => {
    renderWithGuard();
    await userEvent.type(screen.getByLabelText('Draft'), 'half-written message');
    vi.spyOn(api, 'post').mockResolvedValue({
      access_token: 'a2',
      access_token_expires_at: '2026-11-23T11:00:00Z',
      refresh_token: 'r2',
      user: { id: 'u1', name: 'Asha', email: 'a@example.com', created_at: '', updated_at: '', preferences: {}, sizes: {} },
    });

    let outcome: Promise<boolean> | undefined;
    act(() => {
      outcome = api.onSessionLost?.();
    });
    expect(await screen.findByRole('dialog', { name: 'Your session has expired' })).toBeTruthy();
    await userEvent.type(screen.getByLabelText('Email'), 'a@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'correct horse battery');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    await expect(outcome).resolves.toBe(true);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect((screen.getByLabelText('Draft') as HTMLInputElement).value).toBe('half-written message');
    expect(api.refreshToken).toBe('r2');
  });

  it('reports failure when the user closes the dialog', async () => {
    renderWithGuard();
    let outcome: Promise<boolean> | undefined;
    act(() => {
      outcome = api.onSessionLost?.();
    });
    await screen.findByRole('dialog');
    await userEvent.click(screen.getByRole('button', { name: 'Close' }));
    await expect(outcome).resolves.toBe(false);
  });
});
