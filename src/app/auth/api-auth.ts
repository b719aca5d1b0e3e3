import { configureApiAuth } from '../../shared/lib/api-client.ts';
import { getAccessToken } from '../../shared/lib/auth.ts';

type UnauthenticatedHandler = () => Promise<boolean>;
const noHandler: UnauthenticatedHandler = async () => false;
let handler: UnauthenticatedHandler = noHandler;

/**
 * Wire api-client to the session once, at startup, before the router runs its first
 * loaders. The 401 handler is provided later by <AuthProvider> (it needs React state).
 */
export function installApiAuth() {
  configureApiAuth({ getAccessToken, onUnauthenticated: () => handler() });
}

export function setUnauthenticatedHandler(next: UnauthenticatedHandler): () => void {
  handler = next;
  return () => {
    if (handler === next) handler = noHandler;
  };
}
