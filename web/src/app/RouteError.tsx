import { Link, useRouteError } from 'react-router';

export function RouteError() {
  const error = useRouteError() as Error | undefined;
  // A deploy replaced the chunks this tab knew: a reload fetches the new ones.
  const stale = error?.message?.includes('dynamically imported module') || error?.name === 'ChunkLoadError';
  return (
    <main className="page narrow">
      <div className="empty-state">
        <div className="empty-icon" aria-hidden="true">
          😵
        </div>
        <h1>{stale ? 'Family Room was updated' : 'Something went wrong'}</h1>
        <p>{stale ? 'Reload to get the new version.' : (error?.message ?? 'Please try again.')}</p>
        <div className="row">
          <button type="button" className="btn btn-primary" onClick={() => window.location.reload()}>
            Reload
          </button>
          <Link className="btn btn-secondary" to="/">
            Home
          </Link>
        </div>
      </div>
    </main>
  );
}
