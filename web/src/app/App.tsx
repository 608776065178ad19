import { QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { RouterProvider } from 'react-router';
import { ToastProvider } from '@/components/ui/Toast';
import { api } from '@/lib/api-client';
import { createQueryClient } from '@/lib/query-client';
import { RealtimeProvider } from '@/lib/realtime-react';
import { router } from './router';
import { SessionGuard } from './SessionGuard';

const queryClient = createQueryClient();

export function App() {
  // Another tab signing out ends this tab's session too.
  const [, force] = useState(0);
  useEffect(() => api.onSessionChange(() => force((n) => n + 1)), []);
  return (
    <QueryClientProvider client={queryClient}>
      <ToastProvider>
        <RealtimeProvider>
          <RouterProvider router={router} />
          <SessionGuard />
        </RealtimeProvider>
      </ToastProvider>
    </QueryClientProvider>
  );
}
