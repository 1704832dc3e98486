import { useEffect, useState, type ReactNode } from 'react';
import { authorizedBlobUrl, type CountsByStatus, type WeeklyWindow } from './api';
import { formatCount, formatPercent } from './format';
import { CONTACT_STATUSES, finishedShare, STATUS_COLOR, STATUS_LABEL, totalOf } from './status';
import { Problems } from './ui';

/** Contacts by status as one bar: the eye reads the proportions, the label carries the numbers. */
export function StackedBar({ counts, label }: { counts: CountsByStatus; label: string }) {
  const total = totalOf(counts);
  const parts = CONTACT_STATUSES.filter((s) => counts[s]);
  const text = parts.map((s) => `${formatCount(counts[s]!)} ${STATUS_LABEL[s]}`).join(', ');
  return (
    <div className="stacked" role="img" aria-label={`${label}: ${total ? text : 'no contacts'}`}>
      {parts.map((s) => (
        <span
          key={s}
          style={{ width: `${(counts[s]! / total) * 100}%`, background: STATUS_COLOR[s] }}
          title={`${STATUS_LABEL[s]}: ${formatCount(counts[s]!)}`}
        />
      ))}
    </div>
  );
}

/** A campaign's or list's progress: the bar, its total and the share finished. Removed contacts are set apart. */
export function Progress({ counts, label }: { counts: CountsByStatus | undefined; label: string }) {
  if (!counts) return <span className="muted">…</span>;
  const { removed = 0, ...live } = counts;
  const total = totalOf(live);
  return (
    <div className="progress-cell">
      <StackedBar counts={live} label={label} />
      <small>
        {total
          ? `${formatCount(total)} contacts · ${formatPercent(finishedShare(live))} done`
          : 'no contacts'}
        {removed > 0 && ` · ${formatCount(removed)} removed`}
      </small>
    </div>
  );
}

export function StatusLegend({ counts }: { counts: CountsByStatus }) {
  return (
    <ul className="legend">
      {CONTACT_STATUSES.filter((s) => counts[s]).map((s) => (
        <li key={s}>
          <i style={{ background: STATUS_COLOR[s] }} />
          {STATUS_LABEL[s]} <strong>{formatCount(counts[s]!)}</strong>
        </li>
      ))}
    </ul>
  );
}

export const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
/** Monday first, as schedules are usually read. */
const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0];

const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));

export function describeWindows(windows: WeeklyWindow[]): string {
  if (windows.length === 0) return 'no windows';
  return [...windows]
    .sort((a, b) => WEEK_ORDER.indexOf(a.day) - WEEK_ORDER.indexOf(b.day) || a.start.localeCompare(b.start))
    .map((w) => `${DAY_NAMES[w.day]!.slice(0, 3)} ${w.start}–${w.end}`)
    .join(', ');
}

/** The week at a glance: one row per day, the windows as bars over 24 hours. */
export function WeekPlot({ windows, label }: { windows: WeeklyWindow[]; label: string }) {
  const rowHeight = 14;
  const left = 34;
  const width = 24 * 12;
  return (
    <svg
      className="week-plot"
      viewBox={`0 0 ${left + width + 4} ${rowHeight * 7 + 16}`}
      role="img"
      aria-label={`${label}: ${describeWindows(windows)}`}
    >
      {[0, 6, 12, 18, 24].map((h) => (
        <g key={h}>
          <line x1={left + h * 12} x2={left + h * 12} y1={0} y2={rowHeight * 7} className="grid-line" />
          <text x={left + h * 12} y={rowHeight * 7 + 12} textAnchor="middle" className="axis">
            {String(h).padStart(2, '0')}
          </text>
        </g>
      ))}
      {WEEK_ORDER.map((day, row) => (
        <g key={day}>
          <text x={0} y={row * rowHeight + 10} className="axis">
            {DAY_NAMES[day]!.slice(0, 3)}
          </text>
          <rect x={left} y={row * rowHeight + 2} width={width} height={rowHeight - 4} className="day-bg" />
          {windows
            .filter((w) => w.day === day && /^\d\d:\d\d$/.test(w.start) && /^\d\d:\d\d$/.test(w.end))
            .map((w, i) => (
              <rect
                key={i}
                x={left + (minutes(w.start) / 60) * 12}
                y={row * rowHeight + 2}
                width={Math.max(0, ((minutes(w.end) - minutes(w.start)) / 60) * 12)}
                height={rowHeight - 4}
                className="window"
              />
            ))}
        </g>
      ))}
    </svg>
  );
}

const CLOCK = '([01][0-9]|2[0-3]):[0-5][0-9]|24:00';

/** Weekly windows, edited as rows (keyboard first) and shown as a week plot. */
export function WeeklyWindowsEditor({
  legend,
  value,
  onChange,
  hint,
}: {
  legend: string;
  value: WeeklyWindow[];
  onChange: (windows: WeeklyWindow[]) => void;
  hint?: string;
}) {
  const set = (i: number, patch: Partial<WeeklyWindow>) =>
    onChange(value.map((w, j) => (j === i ? { ...w, ...patch } : w)));
  const preset = (days: number[], start: string, end: string) =>
    onChange(days.map((day) => ({ day, start, end })));
  return (
    <fieldset className="windows">
      <legend>{legend}</legend>
      {hint && <small className="muted">{hint}</small>}
      <WeekPlot windows={value} label={legend} />
      {value.map((w, i) => (
        <div className="window-row" key={i}>
          <select
            aria-label={`${legend}: window ${i + 1} day`}
            value={w.day}
            onChange={(e) => set(i, { day: Number(e.target.value) })}
          >
            {WEEK_ORDER.map((d) => (
              <option key={d} value={d}>
                {DAY_NAMES[d]}
              </option>
            ))}
          </select>
          <input
            aria-label={`${legend}: window ${i + 1} from`}
            value={w.start}
            pattern={CLOCK}
            placeholder="HH:MM"
            size={6}
            required
            onChange={(e) => set(i, { start: e.target.value })}
          />
          <span aria-hidden="true">–</span>
          <input
            aria-label={`${legend}: window ${i + 1} until`}
            value={w.end}
            pattern={CLOCK}
            placeholder="HH:MM"
            size={6}
            required
            onChange={(e) => set(i, { end: e.target.value })}
          />
          <button
            type="button"
            className="link"
            aria-label={`${legend}: remove window ${i + 1}`}
            onClick={() => onChange(value.filter((_, j) => j !== i))}
          >
            remove
          </button>
        </div>
      ))}
      <div className="window-actions">
        <button
          type="button"
          className="small secondary"
          onClick={() => onChange([...value, { day: 1, start: '09:00', end: '18:00' }])}
        >
          Add window
        </button>
        <button
          type="button"
          className="small secondary"
          onClick={() => preset([1, 2, 3, 4, 5], '09:00', '18:00')}
        >
          Weekdays 09–18
        </button>
        <button
          type="button"
          className="small secondary"
          onClick={() => preset([0, 1, 2, 3, 4, 5, 6], '09:00', '21:00')}
        >
          Every day 09–21
        </button>
        {value.length > 0 && (
          <button type="button" className="small secondary" onClick={() => onChange([])}>
            Clear
          </button>
        )}
      </div>
    </fieldset>
  );
}

/** A contact's custom variables as a two-column table, or "None." */
export function VariablesTable({ variables }: { variables: Record<string, string> }) {
  const entries = Object.entries(variables);
  if (entries.length === 0) return <p className="muted">None.</p>;
  return (
    <table className="grid compact" aria-label="Variables">
      <tbody>
        {entries.map(([k, v]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A table cell holding one figure, right-aligned, named by `data-figure` (tests and scripts read it). */
export function FigureCell({ figure, children }: { figure: string; children: ReactNode }) {
  return (
    <td className="number" data-figure={figure}>
      {children}
    </td>
  );
}

/**
 * Audio the API serves (a call recording, a campaign's announcement) played in the page: fetched
 * with the user's token when asked for (an <audio> element cannot send it; one request per
 * playback, which is what the audit log counts) and handed to the element as a blob URL.
 */
export function ApiAudioPlayer({ url, label, playText }: { url: string; label: string; playText: string }) {
  const [source, setSource] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  useEffect(
    () => () => {
      if (source) URL.revokeObjectURL(source);
    },
    [source],
  );
  const load = async () => {
    setLoading(true);
    setError(null);
    try {
      setSource(await authorizedBlobUrl(url));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setLoading(false);
    }
  };
  return (
    <>
      {source ? (
        <audio controls autoPlay src={source} aria-label={label} />
      ) : (
        <button type="button" onClick={() => void load()} disabled={loading}>
          {loading ? 'Loading…' : playText}
        </button>
      )}
      {error && <Problems problems={[error]} />}
    </>
  );
}
