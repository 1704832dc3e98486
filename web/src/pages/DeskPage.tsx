import { useMe } from '../session';
import { Page } from '../ui';

/** The agent's place in the console. The desk itself needs the dialer engine's desk API. */
export function DeskPage() {
  const me = useMe();
  return (
    <Page title="Desk">
      <section className="card placeholder" data-pending="engine">
        <h2>Welcome, {me.user?.full_name || me.user?.username}</h2>
        <p>
          Not available yet: the agent desk (becoming available or pausing, preview cards, the connected
          contact's details and dispositions) arrives with the dialer engine.
        </p>
      </section>
    </Page>
  );
}
