import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';
import { notifications } from '../ui/notify.tsx';
import { resetBff } from './mock-bff.ts';

// findBy*/waitFor wait for what the test expects, not for a deadline: on a 2-core machine running the
// stack beside the tests, MUI in jsdom can take seconds to settle. Only a failing wait is slower.
configure({ asyncUtilTimeout: 10_000 });

// jsdom has no matchMedia; MUI's useMediaQuery reads it. Report a desktop-sized screen
// (min-width queries match), so the permanent navigation drawer is rendered.
Object.defineProperty(window, 'matchMedia', {
  configurable: true,
  writable: true,
  value: (query: string): MediaQueryList =>
    ({
      matches: /min-width/.test(query) && !/prefers-reduced-motion/.test(query),
      media: query,
      onchange: null,
      addListener: () => {},
      removeListener: () => {},
      addEventListener: () => {},
      removeEventListener: () => {},
      dispatchEvent: () => false,
    }) as MediaQueryList,
});

// The vitest config does not enable globals, so Testing Library cannot clean up by itself.
afterEach(() => {
  cleanup();
  resetBff();
  notifications.clear();
  sessionStorage.clear();
});
