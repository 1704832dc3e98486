import {
  Children,
  Component,
  cloneElement,
  useCallback,
  useEffect,
  useId,
  useState,
  type ReactElement,
  type ReactNode,
} from 'react';
import { ApiError } from './api';

/** Loads data, exposes it with loading/error state and a reload. */
export function useLoad<T>(
  load: () => Promise<T>,
  deps: unknown[],
): { data: T | undefined; error: string | null; reload: () => void } {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    load().then(
      (d) => live && (setData(d), setError(null)),
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return { data, error, reload: useCallback(() => setTick((t) => t + 1), []) };
}

/** Runs an action, keeping its error for display. */
export function useAction(): [(fn: () => Promise<unknown>) => Promise<boolean>, string[] | null, boolean] {
  const [problems, setProblems] = useState<string[] | null>(null);
  const [busy, setBusy] = useState(false);
  const run = useCallback(async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setProblems(null);
    try {
      await fn();
      return true;
    } catch (e) {
      setProblems(e instanceof ApiError ? e.problems : [String(e)]);
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return [run, problems, busy];
}

export function Problems({ problems }: { problems: string[] | null | undefined }) {
  if (!problems?.length) return null;
  return (
    <div className="problems" role="alert">
      {problems.map((p) => (
        <div key={p}>{p}</div>
      ))}
    </div>
  );
}

/**
 * A labelled control: the label names it and the hint describes it (aria-describedby), so a
 * screen reader announces "Priority, spin button, lower dials first" rather than one long name.
 */
export function Field({ label, children, hint }: { label: string; children: ReactElement; hint?: string }) {
  const id = useId();
  const control = Children.only(children) as ReactElement<{ id?: string; 'aria-describedby'?: string }>;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {cloneElement(control, { id, 'aria-describedby': hint ? `${id}-hint` : undefined })}
      {hint && <small id={`${id}-hint`}>{hint}</small>}
    </div>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${status}`}>{status.replace('_', ' ')}</span>;
}

export function Page({
  title,
  actions,
  children,
}: {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className="page">
      <header className="page-head">
        <h1>{title}</h1>
        <div className="actions">{actions}</div>
      </header>
      {children}
    </section>
  );
}

/** Newest-first paging of a list: `page` is the one asked for, `meta` what the server answered. */
export function NewerOlderPager({
  page,
  meta,
  onPage,
}: {
  page: number;
  meta: { page: number; totalPages: number };
  onPage: (page: number) => void;
}) {
  return (
    <div className="form-actions">
      <button className="small secondary" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        Newer
      </button>
      <span className="muted">
        Page {meta.page} of {Math.max(1, meta.totalPages)}
      </span>
      <button className="small secondary" disabled={page >= meta.totalPages} onClick={() => onPage(page + 1)}>
        Older
      </button>
    </div>
  );
}

/** A screen that fails to render says so and leaves the rest of the console working. */
export class ScreenBoundary extends Component<
  { children: ReactNode; screen: string },
  { error: Error | null }
> {
  override state: { error: Error | null } = { error: null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override componentDidUpdate(previous: { screen: string }) {
    if (previous.screen !== this.props.screen && this.state.error) this.setState({ error: null });
  }
  override render() {
    if (this.state.error)
      return <Problems problems={[`This screen failed to show: ${this.state.error.message}`]} />;
    return this.props.children;
  }
}
