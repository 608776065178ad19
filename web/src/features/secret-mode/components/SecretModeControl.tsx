import { useState } from 'react';
import { Avatar } from '@/components/ui/Avatar';
import { Button } from '@/components/ui/Button';
import { Modal } from '@/components/ui/Modal';
import { useToast } from '@/components/ui/Toast';
import { fieldErrors } from '@/components/ui/Field';
import { useSecretMode, type SecretModeState } from '../api/get-secret-mode';
import { useSetSecretMode, type SecretModeBody } from '../api/set-secret-mode';
import { SecretBanner } from './SecretBanner';

interface MemberRef {
  user_id: string;
  name: string;
  avatar?: string | null;
}

export interface SecretModeControlProps {
  roomId: string;
  meId: string | undefined;
  members: MemberRef[];
}

/** The header switch; it opens the member picker. */
export function SecretModeToggle({ roomId, meId, members }: SecretModeControlProps) {
  const state = useSecretMode(roomId);
  const [picking, setPicking] = useState(false);
  return (
    <>
      <button
        type="button"
        role="switch"
        aria-checked={state.enabled}
        className={`secret-switch${state.enabled ? ' on' : ''}`}
        onClick={() => setPicking(true)}
      >
        <span className="secret-switch-track" aria-hidden="true">
          <span className="secret-switch-thumb" />
        </span>
        <span>🤫 Secret mode</span>
      </button>
      {picking ? <SecretModePicker roomId={roomId} meId={meId} members={members} state={state} open onClose={() => setPicking(false)} /> : null}
    </>
  );
}

export function SecretModePicker({
  roomId,
  meId,
  members,
  state,
  open,
  onClose,
}: {
  roomId: string;
  meId: string | undefined;
  members: MemberRef[];
  state: SecretModeState;
  open: boolean;
  onClose: () => void;
}) {
  const others = members.filter((m) => m.user_id !== meId);
  const [chosen, setChosen] = useState<string[]>(state.hidden_from);
  const save = useSetSecretMode(roomId);
  const toast = useToast();
  const errors = fieldErrors(save.error);
  const apply = (next: SecretModeBody) =>
    save.mutate(next, {
      onSuccess: () => {
        toast.show(next.enabled ? 'Secret mode is on' : 'Secret mode is off', 'success');
        onClose();
      },
      onError: (e) => toast.error(e, 'Could not change secret mode'),
    });

  return (
    <Modal open={open} onClose={onClose} title="Secret mode">
      <p className="muted">Shopping for a surprise? Choose who must not see what you like, add to the cart or wish for here.</p>
      <fieldset className="fieldset">
        <legend>Hide my activity from</legend>
        {others.length === 0 ? <p className="muted">Nobody else is in this room yet.</p> : null}
        <ul className="pick-list">
          {others.map((m) => {
            const on = chosen.includes(m.user_id);
            return (
              <li key={m.user_id}>
                <label className={`pick${on ? ' on' : ''}`}>
                  <input
                    type="checkbox"
                    checked={on}
                    onChange={() => setChosen((c) => (on ? c.filter((x) => x !== m.user_id) : [...c, m.user_id]))}
                  />
                  <Avatar name={m.name} src={m.avatar} size={28} decorative />
                  <span>{m.name}</span>
                </label>
              </li>
            );
          })}
        </ul>
        {errors.hidden_from ? <p className="field-error" role="alert">{errors.hidden_from}</p> : null}
      </fieldset>
      <div className="modal-foot">
        {state.enabled ? (
          <Button variant="ghost" busy={save.isPending} onClick={() => apply({ enabled: false, hidden_from: [] })}>
            Turn off
          </Button>
        ) : null}
        <Button busy={save.isPending} disabled={chosen.length === 0} onClick={() => apply({ enabled: true, hidden_from: chosen })}>
          {state.enabled ? 'Update' : 'Turn on secret mode'}
        </Button>
      </div>
    </Modal>
  );
}

/** The banner for the current state, wired to the picker and to turning it off. */
export function SecretModeBanner({ roomId, meId, members }: SecretModeControlProps) {
  const state = useSecretMode(roomId);
  const [picking, setPicking] = useState(false);
  const save = useSetSecretMode(roomId);
  const toast = useToast();
  const names = state.hidden_from.map((id) => members.find((m) => m.user_id === id)?.name ?? 'a former member');
  return (
    <>
      <SecretBanner
        enabled={state.enabled}
        hiddenFromNames={names}
        onEdit={() => setPicking(true)}
        onTurnOff={() => save.mutate({ enabled: false, hidden_from: [] }, { onError: (e) => toast.error(e) })}
      />
      {picking ? <SecretModePicker roomId={roomId} meId={meId} members={members} state={state} open onClose={() => setPicking(false)} /> : null}
    </>
  );
}
