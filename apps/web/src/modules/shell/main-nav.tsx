'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { SECTIONS, sectionOf } from './sections';

export function MainNav() {
  const current = sectionOf(usePathname());
  return (
    <nav aria-label="Main" className="main-nav">
      <ul>
        {SECTIONS.map(({ href, label }) => (
          <li key={href}>
            <Link href={href} aria-current={href === current ? 'page' : undefined}>
              {label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
