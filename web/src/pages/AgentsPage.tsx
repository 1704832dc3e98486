import { api, query, type AgentsBoard, type BoardEntry, type Campaign, type Paged } from '../api';
import { formatDuration, useEventStream, useNow, type StreamState } from '../live';
import { navigate } from '../router';
import { useCan } from '../session';
import { AGENT_STATE_LABEL, callPhase, heatOf, heatTitle, type WorkingAgentState } from '../status';
import { Field, Page, Problems, useAction, useLoad } from '../ui';

/** Says whether a screen's numbers are live, so a wallboard never shows stale numbers as fresh. */
export function StreamBadge({ state }: { state: StreamState }) {
  const text = { connecting: 'connecting…', live: 'live', reconnecting: 'reconnecting…' }[state];
  return (
    <span className={`stream stream-${state}`} role="status">
      <i aria-hidden="true" /> {text}
    </span>
  );
}

/**
 * The live agents board of one campaign, or of the whole center: each agent's state and how long
 * they have been in it (ticking here, from the server's clock), the row warming as that time
 * grows (heatOf), and the call they are on.
 */
export function AgentsBoardCard({
  campaignId,
  campaignNames,
}: {
  campaignId?: string;
  campaignNames?: Map<string, string>;
}) {
  const stream = useEventStream<AgentsBoard>(
    `/v1/agents/live${query({ campaign_id: campaignId })}`,
    'agents',
  );
  const board = stream.data;
  // How far the server's clock is ahead of this browser's, so times in state read the same everywhere.
  const skew = board ? Date.parse(board.at) - stream.receivedAt : 0;
  const now = useNow() + skew;
  return (
    <section className="card board" aria-labelledby="board-title">
      <header className="card-head">
        <h2 id="board-title">Agents{board ? ` · ${board.data.length} logged in` : ''}</h2>
        <StreamBadge state={stream.state} />
      </header>
      {board && board.data.length === 0 && <p className="muted">Nobody is logged in.</p>}
      {board && board.data.length > 0 && (
        <table className="grid agents-board">
          <thead>
            <tr>
              <th>Agent</th>
              {!campaignId && <th>Campaign</th>}
              <th>State</th>
              <th>In state</th>
              <th>Current call</th>
              <th>Calls</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {board.data.map((entry) => (
              <BoardRow
                key={entry.session.id}
                entry={entry}
                now={now}
                campaign={
                  campaignId
                    ? undefined
                    : (campaignNames?.get(entry.session.campaign_id) ?? entry.session.campaign_id)
                }
              />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function BoardRow({ entry, now, campaign }: { entry: BoardEntry; now: number; campaign?: string }) {
  const can = useCan();
  const [run, problems, busy] = useAction();
  const { session, call } = entry;
  const state = session.state as WorkingAgentState;
  const inState = (now - Date.parse(session.state_since)) / 1000;
  const phase = call ? callPhase(call) : null;
  // Ringing, waiting or talking for so long; once ended, how long the conversation lasted.
  const since = call ? (call.connected_at ?? call.answered_at ?? call.dialed_at) : null;
  const callSeconds = since
    ? ((call?.ended_at ? Date.parse(call.ended_at) : now) - Date.parse(since)) / 1000
    : 0;
  const name = entry.full_name || entry.username;
  const heat = heatOf(state, inState);
  return (
    <tr
      data-agent={entry.username}
      data-state={state}
      data-heat={heat}
      className={`heat-${heat}`}
      title={heatTitle(state, heat) || undefined}
    >
      <td>
        {name}
        <small className="muted">
          {' '}
          {entry.username}
          {entry.extension && ` · ext ${entry.extension}`}
        </small>
      </td>
      {campaign !== undefined && <td>{campaign}</td>}
      <td>
        <span className={`badge badge-${state}`}>{AGENT_STATE_LABEL[state]}</span>
        {session.pause_reason && state === 'paused' && <small> {session.pause_reason}</small>}
        {session.pending_pause_reason && <small> (pause after this call)</small>}
      </td>
      <td className="number" data-in-state>
        {formatDuration(inState)}
      </td>
      <td>
        {call ? (
          <>
            {can('contacts:read') ? (
              <a href={`#/contacts/${call.lead_id}`}>{call.phone_number}</a>
            ) : (
              call.phone_number
            )}{' '}
            <small className="muted">
              {phase} · {formatDuration(callSeconds)}
            </small>
          </>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td className="number">{session.calls_handled}</td>
      <td>
        {can('campaigns:control') && (state === 'available' || state === 'paused') && (
          <button
            className="small secondary"
            disabled={busy}
            aria-label={`Log ${entry.username} out`}
            onClick={() =>
              window.confirm(`Log ${name} out of the campaign?`) &&
              void run(() => api('POST', `/v1/agents/${session.id}/logout`))
            }
          >
            Log out
          </button>
        )}
        <Problems problems={problems} />
      </td>
    </tr>
  );
}

/** Every agent logged in anywhere in the center, or in one campaign. */
export function AgentsPage({ query: params }: { query: URLSearchParams }) {
  const campaignId = params.get('campaign_id') ?? '';
  const campaigns = useLoad(() => api<Paged<Campaign>>('GET', '/v1/campaigns?limit=100'), []);
  const names = new Map(campaigns.data?.data.map((c) => [c.id, c.name]));
  return (
    <Page title="Agents">
      <Problems problems={campaigns.error ? [campaigns.error] : null} />
      <div className="inline">
        <Field label="Campaign">
          <select
            value={campaignId}
            onChange={(e) => navigate(`agents${query({ campaign_id: e.target.value })}`)}
          >
            <option value="">all campaigns</option>
            {campaigns.data?.data.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </Field>
        {campaignId && <a href={`#/campaigns/${campaignId}/live`}>Live view of this campaign</a>}
      </div>
      <AgentsBoardCard key={campaignId} campaignId={campaignId || undefined} campaignNames={names} />
    </Page>
  );
}
