import { Modal } from '@/components/ui/Modal';
import { SignInForm } from './AuthForms';

/**
 * Shown over the current page when the session cannot be refreshed, so that
 * whatever the user was typing stays on screen; the request that failed is
 * retried once they sign in again.
 */
export function SessionExpiredDialog({ open, onSignedIn, onCancel }: { open: boolean; onSignedIn: () => void; onCancel: () => void }) {
  return (
    <Modal open={open} onClose={onCancel} title="Your session has expired">
      <p className="muted">Sign in again to carry on. Nothing you typed is lost.</p>
      <SignInForm keepCache onSignedIn={onSignedIn} />
    </Modal>
  );
}
