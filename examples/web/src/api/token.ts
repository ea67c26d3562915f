// The bearer token of this tab: kept in memory and in sessionStorage (so a
// reload keeps it, closing the tab forgets it), never in the URL.
//
// Where a token comes from: POST /api/auth/login (the sign-in screen), or —
// for service tokens minted with the secret — `?token=` in the page URL,
// which is moved into sessionStorage and removed from the address bar.

export const TOKEN_KEY = 'callwire.token';

function storageOf(name: 'sessionStorage' | 'localStorage'): Storage | null {
  try {
    return window[name];
  } catch {
    return null;
  }
}

export function safeSessionStorage(): Storage | null {
  return storageOf('sessionStorage');
}

/**
 * The token to start with: `?token=` in the page URL (then removed from the
 * address bar), else sessionStorage. Versions before sign-in kept `?token=` in
 * localStorage: such a token is moved to sessionStorage once and deleted from
 * localStorage, where it would outlive the browser session.
 */
export function readToken(
  loc: Location = window.location,
  session: Storage | null = safeSessionStorage(),
  legacy: Storage | null = storageOf('localStorage'),
): string | null {
  let token: string | null = null;
  try {
    const url = new URL(loc.href);
    const fromUrl = url.searchParams.get('token');
    if (fromUrl !== null) {
      url.searchParams.delete('token');
      try {
        window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
      } catch {
        /* not in a browser history context */
      }
      if (fromUrl) token = fromUrl;
    }
  } catch {
    /* not a URL we can read */
  }
  const old = legacy?.getItem(TOKEN_KEY) ?? null;
  if (old !== null) legacy?.removeItem(TOKEN_KEY);
  token ??= session?.getItem(TOKEN_KEY) ?? old;
  if (token) session?.setItem(TOKEN_KEY, token);
  return token;
}

/** The seconds since the epoch at which a JWT expires (its `exp`), or null when it has none or is not a JWT. */
export function tokenExpiry(token: string): number | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const b64 = part.replace(/-/g, '+').replace(/_/g, '/');
    const json = JSON.parse(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4))) as { exp?: unknown };
    return typeof json.exp === 'number' && Number.isFinite(json.exp) ? json.exp : null;
  } catch {
    return null;
  }
}

/** The token in memory, mirrored to sessionStorage; listeners hear every change. */
export class TokenStore {
  private token: string | null;
  private readonly storage: Storage | null;
  private readonly listeners = new Set<(token: string | null) => void>();

  constructor(initial: string | null = null, storage: Storage | null = safeSessionStorage()) {
    this.storage = storage;
    this.token = initial;
    this.write();
  }

  get(): string | null {
    return this.token;
  }

  set(token: string | null): void {
    if (token === this.token) return;
    this.token = token || null;
    this.write();
    for (const l of [...this.listeners]) l(this.token);
  }

  clear(): void {
    this.set(null);
  }

  subscribe(listener: (token: string | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private write(): void {
    try {
      if (this.token) this.storage?.setItem(TOKEN_KEY, this.token);
      else this.storage?.removeItem(TOKEN_KEY);
    } catch {
      /* storage full or blocked: memory still has it */
    }
  }
}
