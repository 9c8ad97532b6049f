import Link from 'next/link';
import { unstable_rethrow } from 'next/navigation';
import { selectedProjectKey } from '@/lib/project';
import { loadViewer } from '@/lib/viewer';
import { signOut } from './actions';
import { MainNav } from './main-nav';
import { ProjectSwitcher } from './project-switcher';

/** The page below reports an unreachable API with its own error state; the header just stays plain. */
async function loadHeaderViewer() {
  try {
    return await loadViewer();
  } catch (error) {
    // Next signals dynamic rendering and redirects by throwing: those must pass through.
    unstable_rethrow(error);
    console.error('Could not load the signed-in user for the header', error);
    return null;
  }
}

export async function SiteHeader() {
  const viewer = await loadHeaderViewer();
  const me = viewer?.me;
  const current = viewer ? await selectedProjectKey(viewer.projects.map((project) => project.key)) : null;

  return (
    <header className="site-header">
      <div className="container header-row">
        <Link href={me ? '/models' : '/login'} className="brand">
          Pedigree
        </Link>
        {me && viewer ? (
          <>
            <MainNav />
            <div className="header-tools">
              <ProjectSwitcher projects={viewer.projects} current={current} />
              <span className="muted viewer-email" title={me.name}>
                {me.email}
              </span>
              <form action={signOut}>
                <button type="submit" className="button button-small">
                  Sign out
                </button>
              </form>
            </div>
          </>
        ) : (
          <span className="tagline">Model registry &amp; lineage</span>
        )}
      </div>
    </header>
  );
}
