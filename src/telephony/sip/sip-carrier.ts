import type { CallEvent, Carrier, PlaceCallRequest } from '../../engine/carrier.js';
import type { Scheduler, TimerId } from '../../engine/scheduler.js';
import type { MediaParking, ParkedMedia } from './media-park.js';
import { audioOffer } from './sdp.js';
import type { Dialog, DigestCredentials, InviteResult, PendingInvite, SipUserAgent } from './user-agent.js';

/** Where and how calls leave for the public network. */
export interface TrunkSettings {
  /** Host (and port) in the Request-URI: `sip:<number>@<domain>`. */
  domain: string;
  /** First hop for every call (Kamailio, or the provider's proxy), as a SIP URI; none: straight to `domain`. */
  outboundProxy: string | null;
  credentials: DigestCredentials | null;
  /** Domain in the From header (the caller id's host part). */
  fromDomain: string;
  /** Caller id when the campaign sets none. */
  defaultCallerId: string;
}

export interface SipCarrierOptions {
  ua: SipUserAgent;
  trunk: TrunkSettings;
  scheduler: Scheduler;
  media: MediaParking;
  onError?: (error: unknown, where: string) => void;
  /** The trunk refused our credentials: a configuration problem, not the callee's. */
  onTrunkAuthRejected?: (status: number) => void;
}

interface SipCall {
  request: PlaceCallRequest;
  media: ParkedMedia | null;
  invite: PendingInvite | null;
  dialog: Dialog | null;
  ringTimer: TimerId | null;
  ringing: boolean;
  /** Why the INVITE was cancelled, if it was: the ring timeout (no answer) or our hang-up. */
  cancelledBy: 'timeout' | 'hangup' | null;
  hungUp: boolean;
}

/**
 * The engine's Carrier over SIP: each call is an INVITE through the trunk with its media parked
 * on a local port; SIP answers are mapped onto the engine's outcomes (docs/telephony.md has the
 * table). It decides nothing about whom to call: it places, bridges and hangs up what the engine
 * says.
 */
export class SipCarrier implements Carrier {
  private listeners: ((event: CallEvent) => void)[] = [];
  private calls = new Map<string, SipCall>();

  constructor(private readonly o: SipCarrierOptions) {}

  onEvent(listener: (event: CallEvent) => void): void {
    this.listeners.push(listener);
  }

  get liveCalls(): number {
    return this.calls.size;
  }

  private emit(event: CallEvent): void {
    for (const l of this.listeners) l(event);
  }

  placeCall(request: PlaceCallRequest): void {
    const call: SipCall = {
      request,
      media: null,
      invite: null,
      dialog: null,
      ringTimer: null,
      ringing: false,
      cancelledBy: null,
      hungUp: false,
    };
    this.calls.set(request.callId, call);
    this.o.media.open().then(
      (media) => this.invite(call, media),
      (error: unknown) => {
        this.o.onError?.(error, 'media port');
        this.finish(call, { type: 'failed', callId: request.callId, reason: 'media_unavailable' });
      },
    );
  }

  private invite(call: SipCall, media: ParkedMedia): void {
    call.media = media;
    if (call.hungUp) return this.release(call);
    const { trunk } = this.o;
    const callerId = call.request.callerId ?? trunk.defaultCallerId;
    const invite = this.o.ua.invite({
      to: `sip:${call.request.to}@${trunk.domain}`,
      from: { uri: `sip:${callerId}@${trunk.fromDomain}` },
      ...(trunk.outboundProxy ? { outboundProxy: trunk.outboundProxy } : {}),
      ...(trunk.credentials ? { credentials: trunk.credentials } : {}),
      offer: audioOffer(media, Date.now()),
      onProvisional: (response) => {
        if (call.ringing || call.hungUp) return;
        if (response.status === 180 || response.status === 183) {
          call.ringing = true;
          this.emit({ type: 'ringing', callId: call.request.callId });
        }
      },
    });
    call.invite = invite;
    call.ringTimer = this.o.scheduler.after(call.request.ringTimeoutMs, () => {
      call.ringTimer = null;
      if (call.dialog || call.cancelledBy) return;
      call.cancelledBy = 'timeout';
      invite.cancel();
    });
    invite.result.then(
      (result) => this.settled(call, result),
      (error: unknown) => {
        this.o.onError?.(error, 'invite');
        this.finish(call, { type: 'failed', callId: call.request.callId, reason: 'sip_error' });
      },
    );
  }

  private settled(call: SipCall, result: InviteResult): void {
    const callId = call.request.callId;
    if (call.ringTimer !== null) this.o.scheduler.cancel(call.ringTimer);
    call.ringTimer = null;
    if (result.kind === 'answered') {
      call.dialog = result.dialog;
      if (call.hungUp || call.cancelledBy) {
        void result.dialog.bye();
        return this.release(call);
      }
      result.dialog.onBye = () => this.finish(call, { type: 'ended', callId });
      this.emit({ type: 'answered', callId, by: 'person' });
      return;
    }
    if (call.hungUp) return this.release(call);
    if (result.authRejected) this.o.onTrunkAuthRejected?.(result.status);
    this.finish(call, this.outcomeOf(call, result, callId));
  }

  private outcomeOf(
    call: SipCall,
    result: Extract<InviteResult, { kind: 'rejected' }>,
    callId: string,
  ): CallEvent {
    if (result.authRejected) {
      return { type: 'failed', callId, reason: `sip:${result.status} trunk_credentials_rejected` };
    }
    switch (result.status) {
      case 486:
      case 600:
        return { type: 'busy', callId };
      case 404:
      case 484:
      case 604:
        return { type: 'invalid_number', callId };
      case 408:
      case 480:
        return { type: 'no_answer', callId };
      case 487:
        if (call.cancelledBy === 'timeout') return { type: 'no_answer', callId };
        return { type: 'failed', callId, reason: 'sip:487' };
      default:
        return { type: 'failed', callId, reason: `sip:${result.status}` };
    }
  }

  /** Connects an answered call to an agent's standing leg, or (null) to the campaign's message. */
  bridge(_callId: string, _agentExtension: string | null): void {
    // Joining media is done by the agent legs (third-party call control); see bridgeTo.
  }

  hangup(callId: string): void {
    const call = this.calls.get(callId);
    if (!call || call.hungUp) return;
    call.hungUp = true;
    if (call.ringTimer !== null) this.o.scheduler.cancel(call.ringTimer);
    call.ringTimer = null;
    if (call.dialog) {
      const dialog = call.dialog;
      this.release(call);
      void dialog.bye();
      return;
    }
    if (call.invite) {
      call.cancelledBy ??= 'hangup';
      call.invite.cancel();
    }
    // The INVITE's end (487, or a 2xx that crossed the CANCEL and gets a BYE) releases the call.
    if (!call.invite) this.release(call);
  }

  private finish(call: SipCall, event: CallEvent): void {
    if (!this.calls.has(call.request.callId)) return;
    this.release(call);
    this.emit(event);
  }

  private release(call: SipCall): void {
    if (call.ringTimer !== null) this.o.scheduler.cancel(call.ringTimer);
    call.ringTimer = null;
    call.media?.close();
    call.media = null;
    this.calls.delete(call.request.callId);
  }
}
