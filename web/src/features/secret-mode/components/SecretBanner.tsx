export interface SecretBannerProps {
  enabled: boolean;
  hiddenFromNames: string[];
  onEdit?: () => void;
  onTurnOff?: () => void;
}

/** The strip shown while the user's secret mode is on, naming whom their activity is hidden from. */
export function SecretBanner({ enabled, hiddenFromNames, onEdit, onTurnOff }: SecretBannerProps) {
  if (!enabled) return null;
  const who = hiddenFromNames.length === 0 ? 'nobody yet — pick who it is a surprise for' : hiddenFromNames.join(', ');
  return (
    <div className="secret-banner" role="status" aria-live="polite">
      <span className="secret-banner-icon" aria-hidden="true">
        🤫
      </span>
      <p>
        <strong>Secret mode is on.</strong> What you do here is hidden from <span className="secret-names">{who}</span>.
      </p>
      <div className="secret-banner-actions">
        {onEdit ? (
          <button type="button" className="link-btn" onClick={onEdit}>
            Change
          </button>
        ) : null}
        {onTurnOff ? (
          <button type="button" className="link-btn" onClick={onTurnOff}>
            Turn off
          </button>
        ) : null}
      </div>
    </div>
  );
}
