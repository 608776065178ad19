import { createBrowserRouter, Navigate, Outlet, useLocation, useSearchParams } from 'react-router';
import { AppLayout } from './AppLayout';
import { api } from '@/lib/api-client';
import { pendingJoin, safeNext, useSignedIn } from '@/lib/session';
import { RouteError } from './RouteError';

function RequireSession() {
  const signedIn = useSignedIn();
  const location = useLocation();
  if (!signedIn) {
    // Signing out from a guarded page goes home, whatever order the sign-out
    // and its navigation finish in; only a visit without a session asks to sign in.
    if (api.hasSignedOutOnPurpose) return <Navigate to="/" replace />;
    return <Navigate to={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  }
  return <Outlet />;
}

/** Sign-in and sign-up; once signed in, on to the pending invite, the `next` page, or the rooms. */
function GuestOnly() {
  const signedIn = useSignedIn();
  const [params] = useSearchParams();
  if (!signedIn) return <Outlet />;
  const code = pendingJoin.peek();
  return <Navigate to={code ? `/join/${encodeURIComponent(code)}` : safeNext(params.get('next'))} replace />;
}

// Every page is its own chunk: the first load carries only the shell.
export const router = createBrowserRouter([
  {
    element: <AppLayout />,
    errorElement: <RouteError />,
    children: [
      { index: true, lazy: async () => ({ Component: (await import('./routes/landing')).default }) },
      {
        element: <GuestOnly />,
        children: [
          { path: 'sign-in', lazy: async () => ({ Component: (await import('./routes/sign-in')).default }) },
          { path: 'sign-up', lazy: async () => ({ Component: (await import('./routes/sign-up')).default }) },
        ],
      },
      { path: 'join/:code', lazy: async () => ({ Component: (await import('./routes/join')).default }) },
      {
        element: <RequireSession />,
        children: [
          { path: 'rooms', lazy: async () => ({ Component: (await import('./routes/rooms')).default }) },
          { path: 'rooms/:roomId', lazy: async () => ({ Component: (await import('./routes/room/RoomPage')).default }) },
          { path: 'profile', lazy: async () => ({ Component: (await import('./routes/profile')).default }) },
        ],
      },
      { path: '*', lazy: async () => ({ Component: (await import('./routes/not-found')).default }) },
    ],
  },
]);
