import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import './global.css';

export const metadata: Metadata = {
  title: 'Pedigree',
  description: 'Model registry and lineage',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <div className="container">
            <span className="brand">Pedigree</span>
            <span className="tagline">Model registry &amp; lineage</span>
          </div>
        </header>
        <main className="container">{children}</main>
      </body>
    </html>
  );
}
