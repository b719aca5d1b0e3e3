import { afterEach, describe, expect, it } from 'vitest';
import { createEmotionCache, readCspNonce } from './emotion-cache.ts';

function setMeta(content: string | null) {
  document.head.querySelector('meta[name="csp-nonce"]')?.remove();
  if (content === null) return;
  const meta = document.createElement('meta');
  meta.name = 'csp-nonce';
  meta.content = content;
  document.head.append(meta);
}

afterEach(() => setMeta(null));

describe('emotion cache and CSP nonce', () => {
  it('reads the per-response nonce from the meta tag', () => {
    setMeta('abc123');
    expect(readCspNonce()).toBe('abc123');
    const cache = createEmotionCache();
    expect(cache.key).toBe('mui');
    expect(cache.nonce).toBe('abc123');
  });

  it('ignores the unreplaced placeholder (Vite dev server) and a missing tag', () => {
    setMeta('__CSP_NONCE__');
    expect(readCspNonce()).toBeUndefined();
    setMeta(null);
    expect(readCspNonce()).toBeUndefined();
  });
});
