import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import net from 'node:net';
import * as sip from 'sip';
import type { NameAddr, SipMessage, SipRequest, SipResponse, SipStack } from 'sip';
import { signRequest } from 'sip/digest.js';
import type { MediaAnchor } from './media-anchor.js';

/** Digest credentials for a SIP trunk or proxy that challenges our requests. */
export interface DigestCredentials {
  user: string;
  password: string;
}

/** How SIP travels from this user agent: UDP, or TCP (RFC 3261 §18; connections the stack opens and keeps). */
export type SipTransport = 'udp' | 'tcp';

export interface UserAgentOptions {
  /** Local address and port the SIP stack binds (and puts in Via and Contact). */
  address: string;
  port: number;
  /**
   * The transport of the requests we send (default UDP). With TCP the stack also listens on TCP at
   * the same port, and our Contact asks the far end to reach us over TCP; UDP keeps listening, for
   * peers that send over it all the same.
   */
  transport?: SipTransport;
  /** Called for a request outside any dialog we know (default: answered 481 / 405). */
  onStrayRequest?: (request: SipRequest) => SipResponse | null;
  onError?: (error: unknown) => void;
  /** Every message sent and received, for tracing signalling (LOG_LEVEL=trace). */
  trace?: (direction: 'send' | 'recv', message: SipMessage) => void;
  /**
   * Anchors every dialog's media (RTPENGINE_CONTROL, media-anchor.ts): the SDP of each offer and
   * answer, sent or received, passes through it, and the call is released when its dialog ends.
   * Whoever uses this user agent sees the far end's media at the anchor.
   */
  anchor?: MediaAnchor;
}

function tagOf(party: NameAddr): string {
  return String(party.params.tag ?? '');
}

/** One established dialog (RFC 3261 §12) from our side: enough to send BYE and re-INVITEs. */
export class Dialog {
  localSeq: number;
  /** The far end hung up (BYE) or we did: no further in-dialog requests. */
  ended = false;
  onBye: (() => void) | null = null;
  /**
   * An offer in a re-INVITE from the far end (or none: it wants ours), or in an UPDATE (RFC 3311,
   * always with an offer here); answer with our SDP, or null to refuse with 488. A promise is
   * awaited (another leg is asked first: third-party call control).
   */
  onReinvite: ((offer: string | undefined) => string | null | Promise<string | null>) | null = null;
  /** Our CSeq moved (an in-dialog request): what a BYE from another process must exceed. */
  onLocalSeq: ((seq: number) => void) | null = null;
  private reinviting: Promise<void> = Promise.resolve();

  constructor(
    private readonly ua: SipUserAgent,
    readonly callId: string,
    readonly local: NameAddr,
    readonly remote: NameAddr,
    readonly remoteTarget: string,
    readonly routeSet: NameAddr[],
    seq: number,
  ) {
    this.localSeq = seq;
  }

  /** Builds an in-dialog request with our next CSeq. */
  request(method: string, content?: string): SipRequest {
    this.localSeq += 1;
    this.onLocalSeq?.(this.localSeq);
    return {
      method,
      uri: this.remoteTarget,
      headers: {
        to: this.remote,
        from: this.local,
        'call-id': this.callId,
        cseq: { method, seq: this.localSeq },
        contact: [{ uri: this.ua.contactUri, params: {} }],
        route: this.routeSet.map((r) => ({ ...r, params: { ...r.params } })),
        'max-forwards': 70,
        ...(content ? { 'content-type': 'application/sdp' } : {}),
      },
      ...(content ? { content } : {}),
    };
  }

  /** Ends the dialog with BYE; resolves with the final status (408 when unanswered). */
  bye(): Promise<number> {
    if (this.ended) return Promise.resolve(200);
    this.ended = true;
    this.ua.forget(this);
    this.ua.releaseMedia(this.callId);
    const bye = this.request('BYE');
    this.letGo();
    return this.ua.transact(bye).then((r) => r.status);
  }

  /**
   * Asks the far end whether the dialog still reaches it (an in-dialog OPTIONS); resolves with the
   * final status: 408 when nothing answered, what a proxy says when it cannot reach the phone.
   */
  ping(): Promise<number> {
    if (this.ended) return Promise.resolve(481);
    return this.ua.transact(this.request('OPTIONS')).then((r) => r.status);
  }

  /**
   * Drops the handlers of an ended dialog: they reach the call's whole state, and the SIP stack
   * keeps this dialog (through its transactions' callbacks) up to 32 s after the call.
   */
  letGo(): void {
    this.onBye = null;
    this.onReinvite = null;
    this.onLocalSeq = null;
  }

  /** The media anchor's view of this dialog: `fromTag` is whoever made the offer. */
  legFrom(side: 'us' | 'them'): { callId: string; fromTag: string; toTag: string } {
    const [from, to] = side === 'us' ? [this.local, this.remote] : [this.remote, this.local];
    return { callId: this.callId, fromTag: tagOf(from), toTag: tagOf(to) };
  }

  /**
   * Sends a re-INVITE with `offer` (or none: the far end offers in its 2xx). Re-INVITEs on one
   * dialog go one at a time. The caller ACKs a 2xx with `ack(answer)` (the answer to an offer in
   * the 2xx, which may come from another leg: third-party call control); other answers need none.
   * With a media anchor, the offer sent and the SDP of the 2xx pass through it (a failure of the
   * anchor rejects the promise, the 2xx ACKed all the same).
   */
  reinvite(offer: string | null): Promise<{ response: SipResponse; ack: (answer: string | null) => void }> {
    const run = this.reinviting.then(async () => {
      const anchor = this.ua.anchor;
      const sent = anchor && offer ? await anchor.offer(this.legFrom('us'), offer) : offer;
      const request = this.request('INVITE', sent ?? undefined);
      // The ACK's body once sent (undefined: not yet): a retransmitted 2xx means our ACK was lost,
      // so it is sent again, the same (RFC 3261 §13.2.2.4); before our ACK there is nothing to repeat.
      let acked: string | null | undefined;
      const sendAck = (body: string | null) => {
        acked = body;
        this.ua.sendAck(this, request.headers.cseq.seq, body);
      };
      const response = await this.ua.transact(request, () => {
        if (acked !== undefined) this.ua.sendAck(this, request.headers.cseq.seq, acked);
      });
      const success = response.status >= 200 && response.status < 300;
      if (anchor && success && response.content) {
        try {
          response.content = offer
            ? await anchor.answer(this.legFrom('us'), response.content)
            : await anchor.offer(this.legFrom('them'), response.content);
        } catch (error) {
          sendAck(null);
          throw error;
        }
      }
      let ackWanted = false;
      const ack = (answer: string | null) => {
        if (ackWanted || !success) return;
        ackWanted = true;
        if (!anchor || !answer || offer) return sendAck(answer);
        // Our answer to the far end's offer in its 2xx: the far end must see it at the anchor.
        anchor.answer(this.legFrom('them'), answer).then(sendAck, (error: unknown) => {
          this.ua.reportError(error);
          sendAck(answer);
        });
      };
      return { response, ack };
    });
    this.reinviting = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }
}

/** What became of an INVITE we sent. */
export type InviteResult =
  | { kind: 'answered'; dialog: Dialog; response: SipResponse }
  | {
      kind: 'rejected';
      status: number;
      reason: string;
      authRejected: boolean;
      /** The media anchor failed (no answer in time, or a refusal): `reason` says how. */
      mediaAnchorFailed?: boolean;
    };

export interface InviteRequest {
  to: string;
  from: { uri: string; name?: string };
  /** First hop (loose route) for the dialog-creating request: the outbound proxy. */
  outboundProxy?: string;
  offer?: string;
  credentials?: DigestCredentials;
  onProvisional?: (response: SipResponse) => void;
  /**
   * The INVITE as sent (with its Via), at its first provisional answer: from then on it may be
   * CANCELled, by this process or, with what it carries, by another.
   */
  onEarly?: (invite: SipRequest) => void;
  /** Body for the ACK of the 2xx (third-party call control: the answer to the 2xx's offer). */
  ackBody?: (response: SipResponse) => string | null;
}

/** An INVITE under way: cancel it while it rings, or wait for how it ends. */
export interface PendingInvite {
  readonly callId: string;
  readonly result: Promise<InviteResult>;
  /** Sends CANCEL (once a provisional answer makes it allowed); a 2xx that crosses it is hung up. */
  cancel(): void;
}

/** The proxy's URI with `;lr`: without it the stack would strict-route (rewrite the Request-URI). */
function looseRoute(uri: string): string {
  return /;lr\b/.test(uri) ? uri : `${uri};lr`;
}

/**
 * The kernel receive (and send) buffer asked for the SIP socket (Linux caps it at net.core.rmem_max).
 * With the default 208 kB, the answers and requests of 50 calls per second that arrived while the
 * event loop was busy for a moment (a garbage collection, a burst of calls, a loaded machine)
 * overflowed it: the kernel dropped them and each was retransmitted 500 ms later
 * (npm run bench:sip, docs/telephony.md).
 */
const SIP_SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;

/**
 * Runs `create` (the `sip` package's stack, which makes its UDP socket itself and offers no buffer
 * setting) with the sockets it creates asking for SIP_SOCKET_BUFFER_BYTES.
 */
function withLargeSocketBuffers<T>(create: () => T): T {
  const createSocket = dgram.createSocket;
  dgram.createSocket = ((type: dgram.SocketType | dgram.SocketOptions, listener?: () => void) =>
    createSocket(
      typeof type === 'string'
        ? { type, recvBufferSize: SIP_SOCKET_BUFFER_BYTES, sendBufferSize: SIP_SOCKET_BUFFER_BYTES }
        : type,
      listener,
    )) as typeof dgram.createSocket;
  try {
    return create();
  } finally {
    dgram.createSocket = createSocket;
  }
}

function token(bytes = 8): string {
  return randomBytes(bytes).toString('hex');
}

/**
 * A SIP user agent over the `sip` package's transaction layer (which does retransmission and
 * transaction matching): it creates dialogs by INVITE (with digest authentication, CANCEL, ACK of
 * the 2xx), sends in-dialog BYE and re-INVITEs, and answers the far end's BYE, re-INVITE and
 * OPTIONS. It decides nothing about whom to call.
 */
export class SipUserAgent {
  readonly contactUri: string;
  readonly transport: SipTransport;
  private readonly stack: SipStack;
  private readonly dialogs = new Map<string, Dialog>();
  private inFlight = 0;
  private stopped = false;

  private constructor(private readonly o: UserAgentOptions) {
    this.transport = o.transport ?? 'udp';
    this.contactUri = `sip:outdial@${o.address}:${o.port}${this.transport === 'tcp' ? ';transport=tcp' : ''}`;
    this.stack = withLargeSocketBuffers(() =>
      sip.create(
        {
          address: o.address,
          port: o.port,
          udp: true,
          tcp: this.transport === 'tcp',
          logger: {
            error: (e) => o.onError?.(e),
            ...(o.trace ? { send: (m) => o.trace!('send', m), recv: (m) => o.trace!('recv', m) } : {}),
          },
        },
        (request) => this.onRequest(request),
      ),
    );
  }

  /** Binds the SIP port; fails with a clear error when it cannot (the stack would crash later). */
  static async start(options: UserAgentOptions): Promise<SipUserAgent> {
    const where = (transport: string) => `${transport}:${options.address}:${options.port}`;
    await new Promise<void>((resolve, reject) => {
      const probe = dgram.createSocket('udp4');
      probe.once('error', (error) => {
        probe.close();
        reject(new Error(`cannot bind SIP on ${where('udp')}: ${error.message}`));
      });
      probe.bind(options.port, options.address, () => probe.close(() => resolve()));
    });
    if (options.transport === 'tcp') {
      // The stack's TCP server has no error handler: a port in use would crash the process later.
      await new Promise<void>((resolve, reject) => {
        const probe = net.createServer();
        probe.once('error', (error) =>
          reject(new Error(`cannot bind SIP on ${where('tcp')}: ${error.message}`)),
        );
        probe.listen(options.port, options.address, () => probe.close(() => resolve()));
      });
    }
    return new SipUserAgent(options);
  }

  /**
   * A first hop (outbound proxy) as a loose-routing URI on our transport: the stack picks the
   * transport of a request from its first hop's `transport` parameter.
   */
  routeTo(uri: string): string {
    return looseRoute(this.onTransport(uri));
  }

  /** A Request-URI sent straight to its host (no outbound proxy), on our transport. */
  onTransport(uri: string): string {
    if (this.transport === 'udp' || /;transport=/i.test(uri)) return uri;
    return uri.replace(/^(sip:[^;?]*)/, `$1;transport=${this.transport}`);
  }

  /** Where this user agent listens, `host:port`. */
  get address(): string {
    return `${this.o.address}:${this.o.port}`;
  }

  get host(): string {
    return this.o.address;
  }

  get dialogCount(): number {
    return this.dialogs.size;
  }

  /**
   * Stops the stack once requests under way (BYEs of a shutdown) are answered, or after
   * `graceMs`; later sends are dropped rather than thrown from a closed socket.
   */
  async stop(graceMs = 2000): Promise<void> {
    if (this.stopped) return;
    const deadline = Date.now() + graceMs;
    while (this.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    this.stopped = true;
    this.stack.destroy();
  }

  /** The media anchor of every dialog, if one is configured. */
  get anchor(): MediaAnchor | undefined {
    return this.o.anchor;
  }

  /** Frees the call's media at the anchor (the dialog ended, or never came to be). */
  releaseMedia(callId: string): void {
    this.o.anchor?.release(callId);
  }

  reportError(error: unknown): void {
    this.o.onError?.(error);
  }

  forget(dialog: Dialog): void {
    if (this.dialogs.get(dialog.callId) === dialog) this.dialogs.delete(dialog.callId);
  }

  /**
   * Sends a request outside the INVITE flow and resolves with its final response. For a
   * re-INVITE, the transaction layer passes up the 2xx again each time the far end retransmits it
   * (our ACK was lost): `onRetransmitted2xx` hears of each.
   */
  transact(request: SipRequest, onRetransmitted2xx?: () => void): Promise<SipResponse> {
    if (this.stopped) return Promise.resolve(sip.makeResponse(request, 503, 'Stopped'));
    this.inFlight += 1;
    return new Promise<SipResponse>((resolve) => {
      // Null once final: the stack keeps this callback as long as the transaction (32 s after a 2xx).
      let settle: ((response: SipResponse) => void) | null = resolve;
      this.stack.send(request, (response) => {
        if (response.status < 200) return;
        if (!settle) {
          if (response.status < 300) onRetransmitted2xx?.();
          return;
        }
        settle(response);
        settle = null;
      });
    }).finally(() => (this.inFlight -= 1));
  }

  sendAck(dialog: Dialog, seq: number, body: string | null): void {
    if (this.stopped) return;
    const ack: SipRequest = {
      method: 'ACK',
      uri: dialog.remoteTarget,
      headers: {
        to: dialog.remote,
        from: dialog.local,
        'call-id': dialog.callId,
        cseq: { method: 'ACK', seq },
        route: dialog.routeSet.map((r) => ({ ...r, params: { ...r.params } })),
        'max-forwards': 70,
        via: [],
        ...(body ? { 'content-type': 'application/sdp' } : {}),
      },
      ...(body ? { content: body } : {}),
    };
    this.stack.send(ack);
  }

  invite(request: InviteRequest): PendingInvite {
    // The stack keeps the INVITE's callback (below) 32 s after a 2xx (RFC 6026's timer M), and with
    // it what the callback reaches: the request's hooks (the carrier's whole call) and the result
    // are reached through variables nulled once the INVITE is settled, never captured directly.
    let hooks: Pick<InviteRequest, 'onEarly' | 'onProvisional'> | null = request;
    const { to, outboundProxy, offer, credentials, ackBody } = request;
    const anchor = this.o.anchor;
    /** The offer as sent: through the media anchor, when there is one. */
    let body = offer;
    const callId = `${token(12)}@${this.o.address}`;
    const local: NameAddr = {
      uri: request.from.uri,
      params: { tag: token() },
      ...(request.from.name ? { name: request.from.name } : {}),
    };
    let seq = 1;
    let current: SipRequest | null = null;
    let provisional = false;
    let cancelWanted = false;
    let cancelled = false;
    let settled = false;
    /** A 2xx made a dialog: its BYE, not the INVITE's end, releases the anchored media. */
    let answered = false;

    const build = (): SipRequest => ({
      method: 'INVITE',
      uri: outboundProxy ? to : this.onTransport(to),
      headers: {
        to: { uri: to, params: {} },
        from: local,
        'call-id': callId,
        cseq: { method: 'INVITE', seq },
        contact: [{ uri: this.contactUri, params: {} }],
        ...(outboundProxy ? { route: [{ uri: this.routeTo(outboundProxy), params: {} }] } : {}),
        'max-forwards': 70,
        'user-agent': 'Outdial',
        ...(body ? { 'content-type': 'application/sdp' } : {}),
      },
      ...(body ? { content: body } : {}),
    });

    const sendCancel = () => {
      if (cancelled || !current?.headers.via?.[0]) return;
      cancelled = true;
      const invite = current;
      const cancel: SipRequest = {
        method: 'CANCEL',
        uri: invite.uri,
        headers: {
          to: invite.headers.to,
          from: invite.headers.from,
          'call-id': callId,
          cseq: { method: 'CANCEL', seq: invite.headers.cseq.seq },
          via: [invite.headers.via![0]!],
          ...(invite.headers.route ? { route: invite.headers.route } : {}),
          'max-forwards': 70,
        },
      };
      this.stack.send(cancel, () => undefined);
    };

    const result = new Promise<InviteResult>((resolve) => {
      let resolveOnce: ((result: InviteResult) => void) | null = resolve;
      const finish = (outcome: InviteResult) => {
        settled = true;
        hooks = null;
        // No dialog (whose end releases it): nothing to anchor any more.
        if (outcome.kind === 'rejected' && anchor && offer && !answered && !outcome.mediaAnchorFailed)
          anchor.release(callId);
        resolveOnce?.(outcome);
        resolveOnce = null;
      };
      const anchorFailed = (error: unknown): InviteResult => ({
        kind: 'rejected',
        status: 500,
        reason: `media anchor: ${error instanceof Error ? error.message : String(error)}`,
        authRejected: false,
        mediaAnchorFailed: true,
      });
      let auth: ReturnType<typeof signRequest> = null;
      let challenged = false;
      const attempt = (challenge?: SipResponse) => {
        if (this.stopped) {
          finish({ kind: 'rejected', status: 503, reason: 'Stopped', authRejected: false });
          return;
        }
        const request = build();
        if (challenge && credentials) auth = signRequest(auth, request, challenge, credentials);
        current = request;
        provisional = false;
        this.stack.send(request, (response) => {
          if (settled) {
            // A retransmitted 2xx: the transaction layer passes it up; ACK it again.
            const d = this.dialogs.get(callId);
            if (d && response.status >= 200 && response.status < 300) {
              this.sendAck(d, request.headers.cseq.seq, ackBody?.(response) ?? null);
            }
            return;
          }
          if (response.status < 200) {
            if (!provisional) hooks?.onEarly?.(request);
            if (response.status > 100) {
              provisional = true;
              hooks?.onProvisional?.(response);
            } else provisional = true;
            if (cancelWanted) sendCancel();
            return;
          }
          if (response.status < 300) {
            settled = true;
            answered = true;
            const dialog = this.dialogFrom(request, response, local);
            this.dialogs.set(callId, dialog);
            this.sendAck(dialog, request.headers.cseq.seq, ackBody?.(response) ?? null);
            if (cancelWanted) {
              void dialog.bye();
              finish({ kind: 'rejected', status: 487, reason: 'Request Terminated', authRejected: false });
              return;
            }
            if (!anchor || !offer || !response.content) {
              finish({ kind: 'answered', dialog, response });
              return;
            }
            // The callee's answer as we must see it: its media at the anchor.
            const leg = { callId, fromTag: tagOf(local), toTag: tagOf(response.headers.to) };
            anchor.answer(leg, response.content).then(
              (sdp) => {
                if (dialog.ended) {
                  finish({
                    kind: 'rejected',
                    status: 487,
                    reason: 'Hung up while anchored',
                    authRejected: false,
                  });
                  return;
                }
                response.content = sdp;
                finish({ kind: 'answered', dialog, response });
              },
              (error: unknown) => {
                void dialog.bye();
                finish(anchorFailed(error));
              },
            );
            return;
          }
          if (
            (response.status === 401 || response.status === 407) &&
            credentials &&
            !challenged &&
            !cancelWanted
          ) {
            challenged = true;
            seq += 1;
            attempt(response);
            return;
          }
          finish({
            kind: 'rejected',
            status: response.status,
            reason: response.reason,
            authRejected:
              response.status === 401 || response.status === 407 || (challenged && response.status === 403),
          });
        });
      };
      if (!anchor || !offer) return attempt();
      // The offer leaves with the anchor's address, not ours: the callee sends its media there.
      anchor.offer({ callId, fromTag: tagOf(local) }, offer).then(
        (sdp) => {
          body = sdp;
          if (cancelWanted) {
            finish({ kind: 'rejected', status: 487, reason: 'Request Terminated', authRejected: false });
            return;
          }
          attempt();
        },
        (error: unknown) => finish(anchorFailed(error)),
      );
    });

    return {
      callId,
      result,
      cancel: () => {
        if (settled || cancelWanted) return;
        cancelWanted = true;
        if (provisional) sendCancel();
      },
    };
  }

  private dialogFrom(request: SipRequest, response: SipResponse, local: NameAddr): Dialog {
    const contact = Array.isArray(response.headers.contact) ? response.headers.contact[0]?.uri : undefined;
    const routeSet = [...(response.headers['record-route'] ?? [])].reverse();
    return new Dialog(
      this,
      request.headers['call-id'],
      local,
      response.headers.to,
      contact ?? request.uri,
      routeSet,
      request.headers.cseq.seq,
    );
  }

  private answerReinvite(request: SipRequest, sdp: string | null): void {
    if (this.stopped) return;
    if (sdp === null) {
      this.stack.send(sip.makeResponse(request, 488, 'Not Acceptable Here'));
      return;
    }
    const ok = sip.makeResponse(request, 200, 'OK');
    ok.headers.contact = [{ uri: this.contactUri, params: {} }];
    ok.headers['content-type'] = 'application/sdp';
    ok.content = sdp;
    this.stack.send(ok);
  }

  /**
   * Our answer to the far end's offer in a re-INVITE or UPDATE (or our offer, to one without):
   * the dialog's owner decides it; with a media anchor, the offer it sees and the answer sent pass
   * through the anchor first.
   */
  private answerOffer(dialog: Dialog, offer: string | undefined): string | null | Promise<string | null> {
    const anchor = this.o.anchor;
    if (!anchor) return dialog.onReinvite?.(offer) ?? null;
    const theirs = dialog.legFrom('them');
    const ours = dialog.legFrom('us');
    return (async () => {
      const seen = offer ? await anchor.offer(theirs, offer) : undefined;
      const answer = (await dialog.onReinvite?.(seen)) ?? null;
      if (answer === null) return null;
      return offer ? anchor.answer(theirs, answer) : anchor.offer(ours, answer);
    })();
  }

  private onRequest(request: SipRequest): void {
    const dialog = this.dialogs.get(request.headers['call-id']);
    if (request.method === 'ACK') {
      // The answer to the offer we made in a 2xx (an offerless re-INVITE): the anchor must know it.
      if (this.o.anchor && dialog && request.content) {
        this.o.anchor
          .answer(dialog.legFrom('us'), request.content)
          .catch((error: unknown) => this.o.onError?.(error));
      }
      return;
    }
    if (request.method === 'OPTIONS') {
      this.stack.send(sip.makeResponse(request, 200, 'OK'));
      return;
    }
    if (!dialog) {
      const answer =
        this.o.onStrayRequest?.(request) ?? sip.makeResponse(request, 481, 'Call/Transaction Does Not Exist');
      if (answer) this.stack.send(answer);
      return;
    }
    switch (request.method) {
      case 'BYE':
        this.stack.send(sip.makeResponse(request, 200, 'OK'));
        if (!dialog.ended) {
          dialog.ended = true;
          this.forget(dialog);
          this.releaseMedia(dialog.callId);
          dialog.onBye?.();
          dialog.letGo();
        }
        return;
      case 'INVITE': {
        const answer = this.answerOffer(dialog, request.content || undefined);
        if (typeof answer === 'object' && answer !== null) {
          // Answered once another leg has: 100 stops the far end's retransmissions meanwhile.
          this.stack.send(sip.makeResponse(request, 100, 'Trying'));
          answer.then(
            (sdp) => this.answerReinvite(request, sdp),
            (error: unknown) => {
              this.o.onError?.(error);
              this.answerReinvite(request, null);
            },
          );
          return;
        }
        this.answerReinvite(request, answer);
        return;
      }
      case 'UPDATE':
        // An UPDATE with an offer (a media move without a re-INVITE) is answered as a re-INVITE's.
        if (request.content && dialog.onReinvite) {
          const answer = this.answerOffer(dialog, request.content);
          if (typeof answer === 'object' && answer !== null) {
            answer.then(
              (sdp) => this.answerReinvite(request, sdp),
              (error: unknown) => {
                this.o.onError?.(error);
                this.answerReinvite(request, null);
              },
            );
          } else this.answerReinvite(request, answer);
          return;
        }
        this.stack.send(sip.makeResponse(request, 200, 'OK'));
        return;
      case 'INFO':
      case 'NOTIFY':
        this.stack.send(sip.makeResponse(request, 200, 'OK'));
        return;
      default:
        this.stack.send(sip.makeResponse(request, 405, 'Method Not Allowed'));
    }
  }
}
