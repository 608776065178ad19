import { Suspense } from 'react';
import { Link, NavLink, Outlet, ScrollRestoration, useNavigate, useNavigation } from 'react-router';
import { useMe, useLogout } from '@/features/auth';
import { Avatar } from '@/components/ui/Avatar';
import { useSignedIn } from '@/lib/session';
import { OfflineIndicator } from '@/components/layouts/OfflineIndicator';

export function AppLayout() {
  const signedIn = useSignedIn();
  const navigation = useNavigation();
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to={signedIn ? '/rooms' : '/'} className="brand" aria-label="Family Room home">
          <img src="/favicon.svg" alt="" width="28" height="28" />
          <span>Family Room</span>
        </Link>
        <nav className="topnav" aria-label="Main">
          {signedIn ? <SignedInNav /> : <SignedOutNav />}
        </nav>
      </header>
      <OfflineIndicator />
      {navigation.state === 'loading' ? <div className="route-progress" role="progressbar" aria-label="Loading page" /> : null}
      <div id="main">
        <Suspense fallback={<div className="page" aria-busy="true" />}>
          <Outlet />
        </Suspense>
      </div>
      <ScrollRestoration />
    </div>
  );
}

function SignedOutNav() {
  return (
    <>
      <NavLink to="/sign-in" className="navlink">
        Sign in
      </NavLink>
      <Link to="/sign-up" className="btn btn-primary btn-sm">
        Sign up
      </Link>
    </>
  );
}

function SignedInNav() {
  const me = useMe();
  const logout = useLogout();
  const navigate = useNavigate();
  return (
    <>
      <NavLink to="/rooms" className="navlink">
        Rooms
      </NavLink>
      {/* Named by its visible text (the member's name) plus a hidden hint, not an
          aria-label that would hide the visible name from voice control. */}
      <NavLink to="/profile" className="navlink navlink-profile">
        <Avatar name={me.data?.name ?? 'You'} src={me.data?.avatar} size={28} decorative />
        <span className="hide-sm">{me.data?.name ?? 'Profile'}</span>
        <span className="sr-only">Your profile</span>
      </NavLink>
      <button type="button" className="btn btn-ghost btn-sm" disabled={logout.isPending} onClick={() => {
          // Leave the guarded page first: once signed out, its guard would send us to sign-in.
          void Promise.resolve(navigate('/', { replace: true })).then(() => logout.mutate());
        }}>
        Sign out
      </button>
    </>
  );
}
