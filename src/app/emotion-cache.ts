import createCache, { type EmotionCache } from '@emotion/cache';

const PLACEHOLDER = '__CSP_NONCE__';

/**
 * The BFF replaces `__CSP_NONCE__` in index.html per response and allows
 * `style-src 'nonce-…'`; emotion stamps that nonce on the <style> tags it injects.
 * Under the Vite dev server the placeholder is left as is (no CSP there).
 */
export function readCspNonce(doc: Document = document): string | undefined {
  const value = doc.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content;
  return value && value !== PLACEHOLDER ? value : undefined;
}

export function createEmotionCache(nonce: string | undefined = readCspNonce()): EmotionCache {
  return createCache({ key: 'mui', nonce });
}
