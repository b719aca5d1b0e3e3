import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '../../shared/testing/render-with-providers.tsx';
import { ColorSchemeButton } from './ColorSchemeButton.tsx';

describe('ColorSchemeButton', () => {
  it('follows the system at first, then cycles light → dark → system and sets the scheme on <html>', async () => {
    const { user } = renderWithProviders(<ColorSchemeButton />);
    const button = screen.getByRole('button', { name: 'Colour scheme: system (press for light)' });
    await user.click(button);
    expect(button).toHaveAccessibleName('Colour scheme: light (press for dark)');
    expect(document.documentElement).toHaveClass('light');
    await user.click(button);
    expect(button).toHaveAccessibleName('Colour scheme: dark (press for system)');
    expect(document.documentElement).toHaveClass('dark');
    await user.click(button);
    expect(button).toHaveAccessibleName('Colour scheme: system (press for light)');
  });
});
