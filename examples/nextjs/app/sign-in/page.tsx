'use client';

import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';

async function post(path: string, body: unknown): Promise<void> {
  const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok)
    throw new Error(((await response.json().catch(() => ({}))) as { error?: { message?: string } }).error?.message ?? 'Request failed');
}

/** Email, then the code from the email: the session cookie is set by the route handler. */
export default function SignIn() {
  const router = useRouter();
  const [email, setEmail] = useState('');
  const [code, setCode] = useState('');
  const [sent, setSent] = useState(false);
  const [error, setError] = useState('');

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError('');
    try {
      if (!sent) {
        await post('/api/auth/sign-in', { email });
        setSent(true);
      } else {
        await post('/api/auth/verify', { email, code });
        router.push('/');
        router.refresh();
      }
    } catch (failure) {
      setError((failure as Error).message);
    }
  }

  return (
    <section className="card">
      <h1>Sign in</h1>
      <form onSubmit={submit}>
        <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} placeholder="you@example.com" required />
        {sent ? (
          <input value={code} onChange={(e) => setCode(e.target.value)} placeholder="6-digit code" inputMode="numeric" required />
        ) : null}
        <button type="submit">{sent ? 'Sign in' : 'Email me a code'}</button>
        {error ? <p className="error">{error}</p> : null}
      </form>
    </section>
  );
}
