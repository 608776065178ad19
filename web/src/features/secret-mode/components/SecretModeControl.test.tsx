import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '@/lib/api-client';
import { SecretModeBanner, SecretModeToggle } from './SecretModeControl';

const members = [
  { user_id: 'me', name: 'Asha' },
  { user_id: 'u2', name: 'Ravi' },
  { user_id: 'u3', name: 'Meera' },
];

afterEach(() => vi.restoreAllMocks());

describe('secret mode controls', () => {
  it('turns secret mode on for the chosen members and shows the banner', async () => {
    vi.spyOn(api, 'get').mockResolvedValue({ room_id: 'r', enabled: false, hidden_from: [] });
    const put = vi.spyOn(api, 'put').mockImplementation(async (_path, body) => ({ room_id: 'r', ...(body as object) }));
    render(
      <QueryClientProvider client={new QueryClient()}>
        <SecretModeToggle roomId="r" meId="me" members={members} />
        <SecretModeBanner roomId="r" meId="me" members={members} />
      </QueryClientProvider>,
    );
    const toggle = await screen.findByRole('switch', { name: /Secret mode/ });
    expect(toggle.getAttribute('aria-checked')).toBe('false');
    await userEvent.click(toggle);
    // The member picker lists everyone but me.
    expect(screen.queryByRole('checkbox', { name: 'Asha' })).toBeNull();
    await userEvent.click(screen.getByRole('checkbox', { name: 'Ravi' }));
    await userEvent.click(screen.getByRole('button', { name: 'Turn on secret mode' }));

    expect(put).toHaveBeenCalledWith('/api/v1/rooms/r/secret-mode', { enabled: true, hidden_from: ['u2'] });
    expect((await screen.findByRole('status')).textContent).toContain('hidden from Ravi');
    expect(screen.getByRole('switch', { name: /Secret mode/ }).getAttribute('aria-checked')).toBe('true');
  });
});
