import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { SecretBanner } from './SecretBanner';

describe('SecretBanner', () => {
  it('renders nothing while secret mode is off', () => {
    const { container } = render(<SecretBanner enabled={false} hiddenFromNames={['Asha']} />);
    expect(container.innerHTML).toBe('');
  });

  it('names whom the activity is hidden from', () => {
    render(<SecretBanner enabled hiddenFromNames={['Asha', 'Ravi']} />);
    const banner = screen.getByRole('status');
    expect(banner.textContent).toContain('Secret mode is on.');
    expect(banner.textContent).toContain('hidden from Asha, Ravi');
  });

  it('asks to pick someone when nobody is chosen', () => {
    render(<SecretBanner enabled hiddenFromNames={[]} />);
    expect(screen.getByRole('status').textContent).toContain('nobody yet');
  });

  it('offers to change and to turn off', async () => {
    const onEdit = vi.fn();
    const onTurnOff = vi.fn();
    render(<SecretBanner enabled hiddenFromNames={['Asha']} onEdit={onEdit} onTurnOff={onTurnOff} />);
    await userEvent.click(screen.getByRole('button', { name: 'Change' }));
    await userEvent.click(screen.getByRole('button', { name: 'Turn off' }));
    expect(onEdit).toHaveBeenCalledOnce();
    expect(onTurnOff).toHaveBeenCalledOnce();
  });
});
