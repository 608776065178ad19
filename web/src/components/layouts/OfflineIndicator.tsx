import { useEffect, useState, useSyncExternalStore } from 'react';
import { useConnectionState } from '@/lib/realtime-react';

function subscribeOnline(cb: () => void) {
  window.addEventListener('online', cb);
  window.addEventListener('offline', cb);
  return () => {
    window.removeEventListener('online', cb);
    window.removeEventListener('offline', cb);
  };
}

/** Shows `value` only after it has held for `ms`, so a quick reconnect does not flash a banner. */
function useSettled<T>(value: T, ms: number, immediate: (v: T) => boolean): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    if (immediate(value)) {
      setSettled(value);
      return;
    }
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms, immediate]);
  return settled;
}

const showAtOnce = (s: string) => s === 'open' || s === 'idle' || s === 'offline';

/** A strip that says when the tab is offline or the live connection is being restored. */
export function OfflineIndicator() {
  const online = useSyncExternalStore(subscribeOnline, () => navigator.onLine, () => true);
  const live = useSettled(useConnectionState(), 2500, showAtOnce);
  if (!online || live === 'offline') {
    return (
      <div className="conn-banner conn-offline" role="status">
        You are offline. What you see may be out of date; changes will not be saved until you are back.
      </div>
    );
  }
  if (live === 'reconnecting') {
    return (
      <div className="conn-banner conn-reconnecting" role="status">
        <span className="spinner" aria-hidden="true" /> Reconnecting to your family room…
      </div>
    );
  }
  return null;
}
