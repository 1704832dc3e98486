import { useCallback, useEffect, useState } from 'react';
import { api, loadSession, logout, type Me } from './api';
import { AgentsPage } from './pages/AgentsPage';
import { ApiKeysPage } from './pages/ApiKeysPage';
import { AuditPage } from './pages/AuditPage';
import { CallLogPage, CallLogsPage } from './pages/CallLogsPage';
import { CampaignFormPage } from './pages/CampaignFormPage';
import { CampaignPage } from './pages/CampaignPage';
import { CampaignsPage } from './pages/CampaignsPage';
import { ContactPage } from './pages/ContactPage';
import { ContactsPage } from './pages/ContactsPage';
import { DeskPage } from './pages/DeskPage';
import { DncPage } from './pages/DncPage';
import { ImportJobPage, ImportPage } from './pages/ImportPage';
import { LeadListsPage } from './pages/LeadListsPage';
import { LivePage } from './pages/LivePage';
import { LoginPage } from './pages/LoginPage';
import { ProcessesPage } from './pages/ProcessesPage';
import { PlanPage } from './pages/PlanPage';
import { QueuesPage } from './pages/QueuesPage';
import { ReportsPage } from './pages/ReportsPage';
import { WallboardPage } from './pages/WallboardPage';
import { WebhookPage, WebhooksPage } from './pages/WebhooksPage';
import { UsersPage } from './pages/UsersPage';
import { navigate, useLocation } from './router';
import { MeContext, useCan, useMe } from './session';
import { ScreenBoundary } from './ui';
import type { Permission } from '../../src/domain/permissions';

/**
 * The screens, each behind the permission it needs from the API's own matrix. Supervisor screens
 * need a permission agents lack (the campaigns screen is the supervisor's monitoring view, so it
 * needs reports:read; queues are managed, so queues:write): an agent sees only the desk.
 */
const NAV: { path: string; label: string; permission: Permission }[] = [
  { path: 'campaigns', label: 'Campaigns', permission: 'reports:read' },
  { path: 'agents', label: 'Agents', permission: 'reports:read' },
  { path: 'wallboard', label: 'Wallboard', permission: 'reports:read' },
  { path: 'reports', label: 'Reports', permission: 'reports:read' },
  { path: 'calls', label: 'Call logs', permission: 'reports:read' },
  { path: 'contacts', label: 'Contacts', permission: 'contacts:read' },
  { path: 'lists', label: 'Lead lists', permission: 'contacts:read' },
  { path: 'import', label: 'Import', permission: 'contacts:write' },
  { path: 'dnc', label: 'Do not call', permission: 'dnc:read' },
  { path: 'users', label: 'Users', permission: 'users:read' },
  { path: 'queues', label: 'Queues', permission: 'queues:write' },
  { path: 'processes', label: 'Processes', permission: 'processes:write' },
  { path: 'audit', label: 'Audit log', permission: 'audit:read' },
  { path: 'api-keys', label: 'API keys', permission: 'api_keys:manage' },
  { path: 'webhooks', label: 'Webhooks', permission: 'webhooks:manage' },
  { path: 'desk', label: 'Desk', permission: 'agent:desk' },
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
  const { path, query } = useLocation();
  const me = useMe();
  const visible = NAV.filter((n) => can(n.permission));
  useEffect(() => {
    if (path.length === 0 && visible[0]) navigate(visible[0].path);
  }, [path, visible]);
  return (
    <div className="shell">
      <a
        className="skip"
        href="#main"
        onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}
      >
        Skip to content
      </a>
      <nav className="nav" aria-label="Main">
        <div className="brand">Outdial</div>
        {visible.map((n) => (
          <a
            key={n.path}
            href={`#/${n.path}`}
            className={path[0] === n.path ? 'active' : ''}
            aria-current={path[0] === n.path ? 'page' : undefined}
          >
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
      <main className="content" id="main" tabIndex={-1}>
        <ScreenBoundary screen={path.join('/')}>
          <Routes path={path} query={query} />
        </ScreenBoundary>
      </main>
    </div>
  );
}

function Routes({ path, query }: { path: string[]; query: URLSearchParams }) {
  const can = useCan();
  const [section, id, sub] = path;
  const allowed = NAV.find((n) => n.path === section);
  if (!allowed || !can(allowed.permission)) return <p className="empty">Nothing here.</p>;
  switch (section) {
    case 'campaigns':
      if (id === 'new' && can('campaigns:write')) return <CampaignFormPage />;
      if (id && sub === 'edit' && can('campaigns:write')) return <CampaignFormPage campaignId={id} />;
      if (id && sub === 'live') return <LivePage campaignId={id} />;
      if (id && sub === 'plan' && can('reports:read')) return <PlanPage campaignId={id} />;
      if (id) return <CampaignPage campaignId={id} />;
      return <CampaignsPage />;
    case 'contacts':
      return id ? <ContactPage contactId={id} /> : <ContactsPage query={query} />;
    case 'agents':
      return <AgentsPage query={query} />;
    case 'wallboard':
      return <WallboardPage />;
    case 'calls':
      return id ? <CallLogPage callId={id} /> : <CallLogsPage query={query} />;
    case 'reports':
      return <ReportsPage query={query} />;
    case 'lists':
      return <LeadListsPage />;
    case 'import':
      return id ? <ImportJobPage jobId={id} query={query} /> : <ImportPage query={query} />;
    case 'dnc':
      return <DncPage query={query} />;
    case 'users':
      return <UsersPage />;
    case 'queues':
      return <QueuesPage />;
    case 'processes':
      return <ProcessesPage />;
    case 'audit':
      return <AuditPage query={query} />;
    case 'api-keys':
      return <ApiKeysPage />;
    case 'webhooks':
      return id ? <WebhookPage webhookId={id} query={query} /> : <WebhooksPage />;
    case 'desk':
      return <DeskPage />;
  }
  return <p className="empty">Nothing here.</p>;
}
