import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { SiteHeader } from '@/modules/shell/site-header';
import './global.css';

export const metadata: Metadata = {
  title: 'Pedigree',
  description: 'Model registry and lineage',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a href="#content" className="skip-link">
          Skip to content
        </a>
        <SiteHeader />
        <main id="content" className="container">
          {children}
        </main>
      </body>
    </html>
  );
}
