import { FigureCell } from '../widgets';
import type { Wallboard } from '../api';
import { countOf, formatCount } from '../format';
import { useEventStreams } from '../live';
import { AGENT_STATE_COLOR, AGENT_STATE_LABEL, AGENT_STATES } from '../status';
import { Page, StatusBadge } from '../ui';
import { StreamBadge } from './AgentsPage';
import { abandonLevel } from './LivePage';

type Entry = Wallboard['campaigns'][number];

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

/** The API's word for a running campaign is "active" everywhere else in the console. */
const statusWord = (status: string) => (status === 'running' ? 'active' : status);

/**
 * Every running or paused campaign at a glance, for a wall screen: one row each, every figure
 * over the center's single wallboard stream.
 */
export function WallboardPage() {
  const stream = useEventStreams<{ wallboard: Wallboard }>('/v1/reports/wallboard/live', ['wallboard']);
  const board = stream.latest.wallboard;
  return (
    <Page title="Wallboard" actions={<StreamBadge state={stream.state} />}>
      {board && board.campaigns.length === 0 && <p className="muted">No campaign is running or paused.</p>}
      {board && board.campaigns.length > 0 && (
        <table className="grid wallboard" aria-label="Campaigns at a glance">
          <thead>
            <tr>
              <th scope="col">Campaign</th>
              <th scope="col">Dial level</th>
              <th scope="col">Calls in flight</th>
              <th scope="col">Agents</th>
              <th scope="col">Abandoned today</th>
              <th scope="col">Abandoned, 30 days</th>
              <th scope="col">Dials today</th>
              <th scope="col">Reached today</th>
              <th scope="col">Contacts left</th>
            </tr>
          </thead>
          <tbody>
            {board.campaigns.map((c) => (
              <Row key={c.campaign_id} c={c} />
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}

function Row({ c }: { c: Entry }) {
  const total = AGENT_STATES.reduce((n, s) => n + c.agents[s], 0);
  const agentsText = AGENT_STATES.filter((s) => c.agents[s])
    .map((s) => `${c.agents[s]} ${AGENT_STATE_LABEL[s]}`)
    .join(', ');
  return (
    <tr data-campaign={c.name}>
      <th scope="row">
        <a href={`#/campaigns/${c.campaign_id}/live`}>{c.name}</a>{' '}
        <StatusBadge status={statusWord(c.status)} />
        <small className="muted"> {c.dialing_mode}</small>
      </th>
      <FigureCell figure="dial_level">{c.dial_level.toFixed(2)}</FigureCell>
      <td data-figure="in_flight">
        <strong>{formatCount(c.calls.in_flight)}</strong>{' '}
        <small className="muted">
          {c.calls.ringing} ringing, {c.calls.waiting_for_agent} waiting, {c.calls.connected} talking
        </small>
      </td>
      <td data-figure="agents">
        <div className="stacked" role="img" aria-label={`Agents: ${total ? agentsText : 'none logged in'}`}>
          {AGENT_STATES.filter((s) => c.agents[s]).map((s) => (
            <span
              key={s}
              style={{ width: `${(c.agents[s] / total) * 100}%`, background: AGENT_STATE_COLOR[s] }}
            />
          ))}
        </div>
        <small>{total ? agentsText : 'none logged in'}</small>
      </td>
      <Abandon rate={c.abandon_rate_today} cap={c.abandon_rate_cap} name="abandon_today" />
      <Abandon rate={c.abandon_rate_30_days} cap={c.abandon_rate_cap} name="abandon_30_days" />
      <FigureCell figure="dials_today">{formatCount(c.dials_today)}</FigureCell>
      <FigureCell figure="reached_today">{formatCount(c.reached_today)}</FigureCell>
      <FigureCell figure="contacts_left">{countOf(c.contacts_left, 'contact')}</FigureCell>
    </tr>
  );
}

function Abandon({ rate, cap, name }: { rate: number; cap: number; name: string }) {
  const level = abandonLevel(rate, cap);
  return (
    <td className={`number level-${level}`} data-figure={name} data-level={level}>
      {percent(rate)} <small className="muted">of {percent(cap)}</small>
    </td>
  );
}
