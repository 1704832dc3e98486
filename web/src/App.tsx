import { useCallback, useEffect, useState } from 'react';
import { api, loadSession, logout, type Me } from './api';
import { CampaignFormPage } from './pages/CampaignFormPage';
import { CampaignPage } from './pages/CampaignPage';
import { CampaignsPage } from './pages/CampaignsPage';
import { LoginPage } from './pages/LoginPage';
import { QueuesPage } from './pages/QueuesPage';
import { UsersPage } from './pages/UsersPage';
import { navigate, useRoute } from './router';
import { MeContext, useCan, useMe } from './session';
import type { Permission } from '../../src/domain/permissions';

const NAV: { path: string; label: string; permission: Permission }[] = [
  { path: 'campaigns', label: 'Campaigns', permission: 'campaigns:read' },
  { path: 'users', label: 'Users', permission: 'users:read' },
  { path: 'queues', label: 'Queues', permission: 'queues:read' },
];

export function App() {
  const [me, setMe] = useState<Me | null>(null);
  const [checked, setChecked] = useState(false);
  const refreshMe = useCallback(() => {
    if (!loadSession()) {
      setMe(null);
      setChecked(true);
      return;
    }
    api<Me>('GET', '/v1/me')
      .then(setMe, () => setMe(null))
      .finally(() => setChecked(true));
  }, []);
  useEffect(() => {
    refreshMe();
    const onLoggedOut = () => setMe(null);
    window.addEventListener('outdial:logged-out', onLoggedOut);
    return () => window.removeEventListener('outdial:logged-out', onLoggedOut);
  }, [refreshMe]);

  if (!checked) return null;
  if (!me) return <LoginPage onLoggedIn={refreshMe} />;
  return (
    <MeContext.Provider value={me}>
      <Shell onLogout={() => void logout().then(() => setMe(null))} />
    </MeContext.Provider>
  );
}

function Shell({ onLogout }: { onLogout: () => void }) {
  const can = useCan();
  const route = useRoute();
  const me = useMe();
  const visible = NAV.filter((n) => can(n.permission));
  useEffect(() => {
    if (route.length === 0 && visible[0]) navigate(visible[0].path);
  }, [route, visible]);
  return (
    <div className="shell">
      <nav className="nav" aria-label="Main">
        <div className="brand">Outdial</div>
        {visible.map((n) => (
          <a key={n.path} href={`#/${n.path}`} className={route[0] === n.path ? 'active' : ''}>
            {n.label}
          </a>
        ))}
        <div className="who">
          <div>{me.user?.full_name || me.user?.username}</div>
          <small>
            {me.user?.role} · {me.contact_center.name}
          </small>
          <button className="link" onClick={onLogout}>
            Log out
          </button>
        </div>
      </nav>
      <main className="content">
        <Routes route={route} />
      </main>
    </div>
  );
}

function Routes({ route }: { route: string[] }) {
  const can = useCan();
  const [section, id, sub] = route;
  if (section === 'campaigns' && can('campaigns:read')) {
    if (id === 'new' && can('campaigns:write')) return <CampaignFormPage />;
    if (id && sub === 'edit' && can('campaigns:write')) return <CampaignFormPage campaignId={id} />;
    if (id) return <CampaignPage campaignId={id} />;
    return <CampaignsPage />;
  }
  if (section === 'users' && can('users:read')) return <UsersPage />;
  if (section === 'queues' && can('queues:read')) return <QueuesPage />;
  return <p className="empty">Nothing here.</p>;
}
