// SignInScreen — email and password for POST /api/auth/login. Shown alone
// when there is no session, or over the app (`overlay`, a modal dialog) when
// a request was answered 401: the app stays mounted behind it, so what was
// typed is kept, and the request is sent again after the sign-in.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ApiError, UNREACHABLE } from '../api/client';
import { Icon } from '../components/Icon';

export interface SignInProps {
  onSignIn(email: string, password: string): Promise<void>;
  /** Why the sign-in is shown (the server's sentence for a token that stopped working, "You signed out."). */
  notice?: string | null;
  /** Over the app: the session ended while the app was in use. */
  overlay?: boolean;
  /** The email to start with (the user whose session ended). */
  email?: string;
  /** Over the app: give up and sign out instead. */
  onSignOut?: () => void;
}

/** The sentence to show for a failed sign-in: the server's `detail` as it is. */
export function signInError(e: unknown): string {
  if (e instanceof ApiError) return e.status === 0 ? UNREACHABLE : e.detail;
  return e instanceof Error ? e.message : String(e);
}

export function SignInScreen({ onSignIn, notice, overlay = false, email: initialEmail = '', onSignOut }: SignInProps) {
  const [email, setEmail] = useState(initialEmail);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const id = useId();
  const titleId = `${id}-title`;

  // Over the app, a modal <dialog>: it goes on top of any dialog the app has
  // open (a contact form in its own modal dialog), which waits, inert, below
  // it — a plain overlay would sit under that dialog and be blocked by it.
  useEffect(() => {
    const d = dialogRef.current;
    if (!d) return;
    if (typeof d.showModal === 'function') {
      try {
        if (!d.open) d.showModal();
      } catch {
        d.setAttribute('open', '');
      }
    } else {
      d.setAttribute('open', '');
    }
    return () => {
      if (d.open && typeof d.close === 'function') d.close();
    };
  }, []);

  useEffect(() => {
    (initialEmail ? passwordRef : emailRef).current?.focus();
    // Only when shown.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await onSignIn(email.trim(), password);
    } catch (err) {
      setError(signInError(err));
      setPassword('');
      setBusy(false);
      passwordRef.current?.focus();
      return;
    }
    // Signed in: this screen goes away (nothing to reset).
  };

  const card = (
    <form className="card signin" onSubmit={submit} aria-labelledby={titleId} data-testid="signin-form" noValidate>
      <span className="logo big" aria-hidden="true">
        <Icon name="phone" size={28} />
      </span>
      <h1 id={titleId}>{overlay ? 'Sign in again' : 'Sign in to callwire'}</h1>
      {overlay && <p className="muted">Your session has ended. Sign in to carry on: what you were doing is kept, and sent once you are back.</p>}
      {notice && (
        <p className="signin-notice" role="status" data-testid="signin-notice">
          {notice}
        </p>
      )}
      <div className="field">
        <label htmlFor={`${id}-email`}>Email</label>
        <input
          ref={emailRef}
          id={`${id}-email`}
          name="email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-password`}>Password</label>
        <input
          ref={passwordRef}
          id={`${id}-password`}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </div>
      <p className="field-error" role="alert" data-testid="signin-error">
        {error}
      </p>
      <div className="form-actions">
        {overlay && onSignOut && (
          <button type="button" className="btn" onClick={onSignOut}>
            Sign out
          </button>
        )}
        <button type="submit" className="btn btn-primary" disabled={busy || !email.trim() || !password} data-testid="signin-submit">
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </div>
    </form>
  );

  if (overlay) {
    return (
      <dialog
        ref={dialogRef}
        className="signin-overlay"
        aria-labelledby={titleId}
        data-testid="signin-overlay"
        // Escape does not close it: the app behind cannot be used without a sign-in.
        onCancel={(e) => e.preventDefault()}
      >
        {card}
      </dialog>
    );
  }
  return (
    <main className="splash" data-testid="signin-screen">
      {card}
    </main>
  );
}
