import type { ReactNode } from 'react';
import './globals.css';

export const metadata = { title: 'Community · Next.js' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="topbar">
          ◎ Community <span className="muted">on Next.js</span>
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
