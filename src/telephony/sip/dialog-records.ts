import dgram from 'node:dgram';
import * as sip from 'sip';
import type { SipRequest } from 'sip';
import type { Executor } from '../../db/database.js';
import type { SipDialog } from '../../db/schema.js';
import type { LeftCallEnded } from '../../engine/carrier.js';
import { sharedRepositories, tenantRepositories } from '../../repositories/index.js';
import type { SipDialogRecord } from '../../repositories/sip-dialogs.repository.js';
import type { Clock } from '../../seams.js';
import { Dialog, type SipUserAgent } from './user-agent.js';

/** Whose a dialog is: a customer's call (the engine's call id) or an agent's standing leg. */
export type DialogOwner =
  | { contactCenterId: number; leg: 'customer'; callRef: string }
  | { contactCenterId: number; leg: 'agent'; extension: string };

/** Where the SIP carrier reports its dialogs, so another process can end them if this one dies. */
export interface DialogRecorder {
  /** An INVITE got its first provisional answer: what a CANCEL for it must repeat. */
  early(owner: DialogOwner, invite: SipRequest): void;
  /** The INVITE was answered: the dialog (written again whenever its CSeq moves). */
  confirmed(owner: DialogOwner, dialog: Dialog): void;
  /** The INVITE or dialog is over (either side ended it, or it was refused). */
  ended(sipCallId: string): void;
  /** Ends the legs other processes hold to this agent's phone, before this process calls it. */
  clearAgentPhone(contactCenterId: number, extension: string): Promise<void>;
  /** Ends what processes not in `liveNodes` left up; the customers' calls ended so far, with when. */
  endLeftBy(liveNodes: readonly string[]): Promise<LeftCallEnded[]>;
}

export interface SipDialogRecordsOptions {
  db: Executor;
  ua: SipUserAgent;
  /** The engine process this carrier serves (the engine host's node id). */
  nodeId: string;
  clock: Clock;
  onError?: (error: unknown, where: string) => void;
  /** How long a BYE to a dead process's dialog may go unanswered before it counts as sent and done. */
  byeTimeoutMs?: number;
}

/** A sweeper that took on a dialog and has not ended it this long after is presumed dead too. */
const SWEEP_STALE_MS = 15_000;
/** Customers' calls ended by a sweeper are kept this long for the engine to close their records. */
const ENDED_KEPT_MS = 10 * 60_000;
/** How long a sweep waits for another process ending the same dead process's dialogs. */
const WAIT_FOR_OTHER_SWEEPERS_MS = 6000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms))),
  ]).finally(() => clearTimeout(timer));
}

/**
 * The SIP carrier's dialogs in the database (`sip_dialogs`), and the sweep that ends those of an
 * engine process that died: a confirmed dialog gets a BYE (its Call-ID and tags, the next CSeq,
 * its route set) from this process's user agent; an INVITE still ringing gets a CANCEL repeating
 * its Via, sent as a datagram to its first hop (the SIP stack would put this process's address in
 * the Via, which the proxy would then not match to the INVITE). A customer's call ended this way
 * keeps its row, with the time, until the engine has closed its record at that time.
 *
 * Writes of one dialog go in order and only the newest state is written, so a dialog that
 * changes quickly costs one write at a time.
 */
export class SipDialogRecords implements DialogRecorder {
  private readonly writes = new Map<string, { next: (() => Promise<void>) | null; done: Promise<void> }>();
  private readonly byeTimeoutMs: number;

  constructor(private readonly o: SipDialogRecordsOptions) {
    this.byeTimeoutMs = o.byeTimeoutMs ?? 5000;
  }

  private get sipAddress(): string {
    return this.o.ua.address;
  }

  private repo(contactCenterId: number) {
    return tenantRepositories(this.o.db, { contactCenterId }).sipDialogs;
  }

  early(owner: DialogOwner, invite: SipRequest): void {
    const via = invite.headers.via?.[0];
    if (!via) return;
    this.save(owner, {
      sip_call_id: invite.headers['call-id'],
      state: 'early',
      local_party: invite.headers.from,
      remote_party: invite.headers.to,
      remote_target: invite.uri,
      route_set: Array.isArray(invite.headers.route) ? invite.headers.route : [],
      local_seq: invite.headers.cseq.seq,
      invite_via: { ...via, params: { ...via.params } },
    });
  }

  confirmed(owner: DialogOwner, dialog: Dialog): void {
    const write = () =>
      this.save(owner, {
        sip_call_id: dialog.callId,
        state: 'confirmed',
        local_party: dialog.local,
        remote_party: dialog.remote,
        remote_target: dialog.remoteTarget,
        route_set: dialog.routeSet,
        local_seq: dialog.localSeq,
        invite_via: null,
      });
    dialog.onLocalSeq = () => {
      if (!dialog.ended) write();
    };
    write();
  }

  ended(sipCallId: string): void {
    const owner = this.owners.get(sipCallId);
    if (!owner) return;
    this.owners.delete(sipCallId);
    this.enqueue(sipCallId, () => this.repo(owner.contactCenterId).remove(sipCallId));
  }

  /** Which center each recorded dialog is filed under (for its deletion). */
  private readonly owners = new Map<string, DialogOwner>();

  private save(
    owner: DialogOwner,
    dialog: Omit<
      SipDialogRecord,
      'engine_node' | 'sip_address' | 'leg' | 'call_ref' | 'extension' | 'updated_at'
    >,
  ): void {
    this.owners.set(dialog.sip_call_id, owner);
    const row: SipDialogRecord = {
      ...dialog,
      local_party: JSON.stringify(dialog.local_party),
      remote_party: JSON.stringify(dialog.remote_party),
      route_set: JSON.stringify(dialog.route_set),
      invite_via: dialog.invite_via === null ? null : JSON.stringify(dialog.invite_via),
      engine_node: this.o.nodeId,
      sip_address: this.sipAddress,
      leg: owner.leg,
      call_ref: owner.leg === 'customer' ? owner.callRef : null,
      extension: owner.leg === 'agent' ? owner.extension : null,
      updated_at: this.o.clock.now(),
    };
    this.enqueue(dialog.sip_call_id, () => this.repo(owner.contactCenterId).record(row));
  }

  /** Runs `work` after the write of the same dialog under way; a newer one replaces a waiting one. */
  private enqueue(key: string, work: () => Promise<void>): void {
    const slot = this.writes.get(key);
    if (slot) {
      slot.next = work;
      return;
    }
    const fresh: { next: (() => Promise<void>) | null; done: Promise<void> } = {
      next: work,
      done: Promise.resolve(),
    };
    this.writes.set(key, fresh);
    fresh.done = (async () => {
      while (fresh.next) {
        const next = fresh.next;
        fresh.next = null;
        try {
          await next();
        } catch (error) {
          this.o.onError?.(error, 'recording a SIP dialog');
        }
      }
      this.writes.delete(key);
    })();
  }

  /** Resolves when every dialog write started so far is done. */
  async idle(): Promise<void> {
    while (this.writes.size > 0) await Promise.all([...this.writes.values()].map((w) => w.done));
  }

  async clearAgentPhone(contactCenterId: number, extension: string): Promise<void> {
    const repo = this.repo(contactCenterId);
    const now = this.o.clock.now();
    const legs = await repo.claimAgentLegs(
      extension,
      this.o.nodeId,
      this.o.nodeId,
      now,
      new Date(now.getTime() - SWEEP_STALE_MS),
    );
    await Promise.all(legs.map((leg) => this.endLeft(leg)));
    // Another process may be ending one (its own logout or hand-over, or a sweep): the phone
    // takes one call from us at a time, so wait for it, a while.
    const deadline = Date.now() + WAIT_FOR_OTHER_SWEEPERS_MS;
    while ((await repo.agentLegsLeft(extension, this.o.nodeId)) > 0 && Date.now() < deadline)
      await sleep(200);
  }

  async endLeftBy(liveNodes: readonly string[]): Promise<LeftCallEnded[]> {
    const sweep = sharedRepositories(this.o.db).sipDialogSweep;
    const now = this.o.clock.now();
    const left = await sweep.claimLeft(
      { liveNodes },
      this.o.nodeId,
      now,
      new Date(now.getTime() - SWEEP_STALE_MS),
    );
    await Promise.all(left.map((dialog) => this.endLeft(dialog)));
    // Another live process may have taken on some of them a moment ago: their end times are
    // needed before the engine closes the calls' records.
    const deadline = Date.now() + WAIT_FOR_OTHER_SWEEPERS_MS;
    while ((await sweep.beingEnded(liveNodes)) > 0 && Date.now() < deadline) await sleep(250);
    await sweep.purgeEnded(new Date(now.getTime() - ENDED_KEPT_MS));
    return (await sweep.endedCalls()).map((c) => ({ callId: c.call_ref, endedAt: new Date(c.ended_at) }));
  }

  /**
   * At start: dialogs recorded under this SIP address by another process are ended at once, not
   * a lease later. That process is gone: this one could not have bound the address otherwise.
   */
  async endLeftAtOwnAddress(): Promise<number> {
    const now = this.o.clock.now();
    const left = await sharedRepositories(this.o.db).sipDialogSweep.claimLeft(
      { atAddress: this.sipAddress, exceptNode: this.o.nodeId },
      this.o.nodeId,
      now,
      new Date(now.getTime() - SWEEP_STALE_MS),
    );
    await Promise.all(left.map((dialog) => this.endLeft(dialog)));
    return left.length;
  }

  /** Ends one dialog a dead (or former) owner left, and records when. */
  private async endLeft(row: SipDialog): Promise<void> {
    try {
      if (row.state === 'confirmed') await this.bye(row);
      else await this.cancel(row);
      const endedAt = this.o.clock.now();
      const repo = this.repo(row.contact_center_id);
      if (row.leg === 'customer') await repo.markEnded(row.id, endedAt);
      else await repo.removeById(row.id);
    } catch (error) {
      // Left taken on: after SWEEP_STALE_MS another sweep tries again.
      this.o.onError?.(error, `ending SIP dialog ${row.sip_call_id}`);
    }
  }

  private async bye(row: SipDialog): Promise<void> {
    const dialog = new Dialog(
      this.o.ua,
      row.sip_call_id,
      row.local_party,
      row.remote_party,
      row.remote_target,
      row.route_set,
      row.local_seq,
    );
    // Any final answer ends it: 200, or 481 from a far end that had hung up meanwhile; none at all
    // within the timeout still leaves the BYE on its way (the transaction layer retransmits it).
    const status = await withTimeout(dialog.bye(), this.byeTimeoutMs);
    if (status === undefined)
      this.o.onError?.(new Error('no answer to BYE'), `ending SIP dialog ${row.sip_call_id}`);
  }

  /**
   * CANCEL for an INVITE another process sent: the same Request-URI, Call-ID, From, To, CSeq
   * number and top Via, to the INVITE's first hop. Its answers go to that Via, the dead address;
   * so it is sent twice, half a second apart, in case one datagram is lost.
   */
  private async cancel(row: SipDialog): Promise<void> {
    if (!row.invite_via) return;
    // Its media, anchored when the INVITE left, is freed whatever the CANCEL meets.
    this.o.ua.releaseMedia(row.sip_call_id);
    const request: SipRequest = {
      method: 'CANCEL',
      uri: row.remote_target,
      headers: {
        via: [row.invite_via],
        to: row.remote_party,
        from: row.local_party,
        'call-id': row.sip_call_id,
        cseq: { method: 'CANCEL', seq: row.local_seq },
        ...(row.route_set.length > 0 ? { route: row.route_set } : {}),
        'max-forwards': 70,
      },
    };
    const hop = sip.parseUri(row.route_set[0]?.uri ?? row.remote_target);
    const text = sip.stringify(request);
    const socket = dgram.createSocket('udp4');
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(0, this.o.ua.host, () => resolve());
      });
      for (let i = 0; i < 2; i++) {
        if (i > 0) await sleep(500);
        await new Promise<void>((resolve, reject) =>
          socket.send(text, hop.port ?? 5060, hop.host, (error) => (error ? reject(error) : resolve())),
        );
      }
    } finally {
      socket.close();
    }
  }
}
