import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { queryKeys } from '@/lib/query-keys';
import type { ViewingState } from '@/lib/realtime';
import { useFollow } from './use-follow';

describe('useFollow', () => {
  it('opens what the leader opens, and nothing from anyone else or from before', async () => {
    const qc = new QueryClient();
    const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={qc}>{children}</QueryClientProvider>;
    const open = vi.fn();
    const key = queryKeys.viewing('r');
    // An old view by the leader, from before following started.
    qc.setQueryData<ViewingState>(key, { asha: { product_id: 'old', at: Date.now() - 5 * 60_000 } });
    const { result } = renderHook(() => useFollow('r', open), { wrapper });

    act(() => result.current.follow('asha'));
    expect(result.current.leader).toBe('asha');
    expect(open).not.toHaveBeenCalled();

    // Cache notifications are batched: let each one reach the hook.
    const push = async (user: string, product: string, at: number) =>
      act(async () => {
        qc.setQueryData<ViewingState>(key, (old) => ({ ...old, [user]: { product_id: product, at } }));
        await new Promise((r) => setTimeout(r, 5));
      });

    await push('ravi', 'p-ravi', Date.now());
    expect(open).not.toHaveBeenCalled();

    await push('asha', 'p1', Date.now() + 1);
    await waitFor(() => expect(open).toHaveBeenCalledWith('p1'));

    act(() => result.current.stop());
    await push('asha', 'p2', Date.now() + 2);
    expect(open).toHaveBeenCalledTimes(1);
    expect(sessionStorage.getItem('familyroom.follow.r')).toBeNull();
  });
});
