import type {
  AgentDeviceEvent,
  CallEvent,
  Carrier,
  LeftCallEnded,
  PlaceCallRequest,
} from '../../engine/carrier.js';
import type { Scheduler, TimerId } from '../../engine/scheduler.js';
import {
  MachineDetector,
  type MachineDetectionParameters,
  type MachineDetectionVerdict,
} from '../media/amd.js';
import type { DialogOwner, DialogRecorder } from './dialog-records.js';
import type { PacketPacer } from '../media/rtp-endpoint.js';
import type { MediaParking, ParkedMedia, TappedFrame } from './media-park.js';
import { MessagePlayer, playMessage, type MessageCache } from './message-playback.js';
import {
  answerDirection,
  audioOf,
  directionOf,
  oneRoundTripOffers,
  remoteAudio,
  restrictToCodec,
  sameAudio,
  sameOrigin,
  SdpOrigin,
} from './sdp.js';
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
  /** Agents' phones are `sip:<extension>@<agentDomain>`, reached through the trunk's outbound proxy. */
  agentDomain: string | null;
  scheduler: Scheduler;
  media: MediaParking;
  /** Answering-machine detection's thresholds, over the defaults (amd.ts, docs/telephony.md). */
  machineDetection?: Partial<MachineDetectionParameters>;
  /** Each call's machine-detection verdict, as it is reached (for logs). */
  onMachineDetection?: (callId: string, verdict: MachineDetectionVerdict) => void;
  onError?: (error: unknown, where: string) => void;
  /** The trunk refused our credentials: a configuration problem, not the callee's. */
  onTrunkAuthRejected?: (status: number) => void;
  /**
   * Where dialogs are recorded, so the process taking over ends them if this one dies
   * (dialog-records.ts); calls and agents without a contact center are not recorded.
   */
  records?: DialogRecorder;
  /** Campaigns' recorded messages, played by `bridge(callId, null)`; none: such calls are hung up. */
  messages?: MessageCache;
  /**
   * Recording campaigns' announcements ("this call may be recorded"), played to the customer before
   * the agent is joined in relay mode (`PlaceCallRequest.announcement`); none: joined at once.
   */
  announcements?: MessageCache;
  /** Paces played messages' RTP (real time unless a test drives it). */
  pacer?: PacketPacer;
  /**
   * A customer call joined to its agent: both phones have each other's SDP (media flows both ways),
   * by one round trip or by RFC 3725's two (for logs, and the benchmark's answer → agent time).
   */
  onJoined?: (callId: string, flow: JoinFlow) => void;
  /**
   * How a customer is joined to an agent's leg (`SIP_MEDIA_JOIN`): `relay` (default) keeps both legs'
   * media on Outdial's ports and switches packets between them, no SIP at all; `reinvite` moves the
   * media off Outdial by third-party call control (docs/telephony.md, "Joining a customer to an agent").
   */
  mediaJoin?: MediaJoin;
  /**
   * What an agent's phone hears between calls in relay mode, looped (8 kHz PCM); none: silence. A
   * steady stream either way, so the phone's jitter buffer and NAT binding stay warm.
   */
  agentIdleAudio?: Int16Array;
  /**
   * Every this many ms an agent's standing leg is asked (in-dialog OPTIONS) whether its phone is
   * still there: a phone gone without a BYE (a browser killed, its network lost) is lost like one
   * that hung up. None: never asked (the phone's BYE, or the next join's failure, tells).
   */
  agentKeepaliveMs?: number;
  /**
   * Where connected calls are recorded, when their campaign asks (relay mode only: the media must pass
   * through Outdial's ports to be heard).
   */
  recordings?: CallRecordingSink;
}

/** A connected call's recording: each side's audio as it arrives, then its end. */
export interface CallRecordingTap {
  customer(frame: TappedFrame): void;
  agent(frame: TappedFrame): void;
  /** Never throws: a failure is the sink's to report. */
  finish(): Promise<void>;
}

/** Opens a recording for a call joined to its agent, or undefined when its campaign does not record. */
export interface CallRecordingSink {
  open(contactCenterId: number, callId: string): Promise<CallRecordingTap | undefined>;
}

/** The two ways of joining a customer to an agent's standing leg. */
export type MediaJoin = 'relay' | 'reinvite';

/** One leg of a joined call, as a re-INVITE from either is passed to the other. */
interface JoinedSide {
  origin: SdpOrigin;
  dialog: Dialog | null;
  /** The leg's current SDP. */
  remote: string | null;
  setRemote(sdp: string): void;
}

/** How a customer was joined to an agent's leg (docs/telephony.md, "Joining a customer to an agent"). */
export type JoinFlow = 'relay' | 'one-round-trip' | 'rfc3725';

interface SipCall {
  request: PlaceCallRequest;
  media: ParkedMedia | null;
  origin: SdpOrigin;
  /** The agent leg this call is joined to (or being joined to). */
  agent: AgentLeg | null;
  invite: PendingInvite | null;
  dialog: Dialog | null;
  ringTimer: TimerId | null;
  /** Set while the answered call's first audio is analysed, before the engine hears of the answer. */
  detection: { detector: MachineDetector; timer: TimerId } | null;
  ringing: boolean;
  /** The callee's latest SDP: its answer, or its offer or answer since (where a message is played to). */
  answer: string | null;
  /** The message being played to the callee, if one is. */
  playback: { stop(): void } | null;
  /** Joined to `agent` (each phone has the other's SDP): a re-INVITE from either leg keeps the join. */
  joined: boolean;
  /** Why the INVITE was cancelled, if it was: the ring timeout (no answer) or our hang-up. */
  cancelledBy: 'timeout' | 'hangup' | null;
  hungUp: boolean;
  /** The call's recording while it is joined or announced (relay mode, a recording campaign). */
  recording: CallRecordingTap | null;
  /** A recording was asked for (once per call: an announced call asks before its join). */
  recordingAsked: boolean;
}

/**
 * An agent's standing ("nailed-up") leg: the agent's phone called once and kept connected, its
 * media parked on a local port between calls (the agent hears silence), joined to each answered
 * customer by re-INVITEs (RFC 3725 third-party call control).
 */
interface AgentLeg {
  extension: string;
  media: ParkedMedia | null;
  origin: SdpOrigin;
  dialog: Dialog | null;
  invite: PendingInvite | null;
  state: 'connecting' | 'up' | 'gone';
  /** The customer call joined to this leg, if any. */
  call: SipCall | null;
  /** Joins and re-parks of this leg, one at a time. */
  work: Promise<void>;
  contactCenterId: number | undefined;
  /** The SIP Call-ID of its INVITE and dialog, once sent. */
  sipCallId: string | null;
  /** The phone's latest SDP (its answer, or its offer or answer since): what a customer is offered. */
  remoteSdp: string | null;
  /** The next keepalive question to its phone, while the leg is up. */
  keepalive: TimerId | null;
}

/**
 * What an in-dialog OPTIONS gets when the phone is no longer there: no answer (408), a dialog the
 * far end does not know (481), or a proxy that cannot reach it (Kamailio's 477 or 5xx for a
 * WebSocket that closed, 404/480 for a contact gone). Any other answer, even a refusal, came from
 * a phone that is there.
 */
function phoneGone(status: number): boolean {
  return [404, 408, 410, 477, 480, 481].includes(status) || (status >= 500 && status !== 501);
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/** Whether the leg was dropped while we awaited something (logout, or its phone hung up). */
function gone(leg: AgentLeg): boolean {
  return leg.state === 'gone';
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
  private agents = new Map<string, AgentLeg>();
  private agentListeners: ((event: AgentDeviceEvent) => void)[] = [];
  private readonly player: MessagePlayer;
  private readonly relay: boolean;

  constructor(private readonly o: SipCarrierOptions) {
    this.relay = (o.mediaJoin ?? 'relay') === 'relay';
    this.player = new MessagePlayer({
      scheduler: o.scheduler,
      ...(o.messages ? { messages: o.messages } : {}),
      ...(o.pacer ? { pacer: o.pacer } : {}),
      onError: (error) => o.onError?.(error, 'message'),
    });
  }

  onAgentDevice(listener: (event: AgentDeviceEvent) => void): void {
    this.agentListeners.push(listener);
  }

  /** Agents whose phone is connected now. */
  get agentLegsUp(): number {
    return [...this.agents.values()].filter((a) => a.state === 'up').length;
  }

  agentLegState(extension: string): 'connecting' | 'up' | null {
    const leg = this.agents.get(extension);
    return leg && leg.state !== 'gone' ? leg.state : null;
  }

  onEvent(listener: (event: CallEvent) => void): void {
    this.listeners.push(listener);
  }

  get liveCalls(): number {
    return this.calls.size;
  }

  /** Customer calls joined to their agent now (after any announcement): for tests and diagnostics. */
  get joinedCalls(): number {
    return [...this.calls.values()].filter((c) => c.joined).length;
  }

  /** The SIP Call-ID of an engine call once its INVITE is sent, to find it in SIP traces. */
  sipCallIdOf(callId: string): string | undefined {
    return this.calls.get(callId)?.invite?.callId;
  }

  private emit(event: CallEvent): void {
    for (const l of this.listeners) l(event);
  }

  placeCall(request: PlaceCallRequest): void {
    const call: SipCall = {
      request,
      media: null,
      origin: new SdpOrigin(Date.now()),
      agent: null,
      invite: null,
      dialog: null,
      ringTimer: null,
      detection: null,
      ringing: false,
      answer: null,
      playback: null,
      joined: false,
      cancelledBy: null,
      hungUp: false,
      recording: null,
      recordingAsked: false,
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
      offer: call.origin.first(media),
      onEarly: (sent) => this.early(sent, call.request),
      onProvisional: (response) => {
        if (call.ringing || call.hungUp) return;
        if (response.status === 180 || response.status === 183) {
          call.ringing = true;
          this.emit({ type: 'ringing', callId: call.request.callId });
        }
      },
    });
    call.invite = invite;
    if (this.o.records && call.request.contactCenterId !== undefined)
      this.recordLeg(invite, {
        contactCenterId: call.request.contactCenterId,
        leg: 'customer',
        callRef: call.request.callId,
      });
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
      call.answer = result.response.content || null;
      if (call.hungUp || call.cancelledBy) {
        void result.dialog.bye();
        return this.release(call);
      }
      result.dialog.onBye = () => {
        // Hung up while being analysed: it was answered all the same, by what it sounded like so far.
        if (call.detection) this.detected(call, call.detection.detector.verdict);
        this.finish(call, { type: 'ended', callId });
      };
      if (this.relay && call.answer) call.media?.setRemote(call.answer);
      result.dialog.onReinvite = (offer) => {
        const leg = this.joinedAgentOf(call);
        if (leg && !this.relay)
          return this.reinvitedWhileJoined(offer, this.customerSide(call), this.agentSide(leg));
        if (!call.media) return null;
        // Relay mode, joined or not: the media stays on our port; a moved address is followed there,
        // and a hold answered as one (our stream to a phone that holds stops until it resumes).
        if (!offer) return call.origin.next(call.media);
        call.answer = offer;
        if (!this.relay) return call.origin.next(call.media);
        return this.followOffer(call.origin, call.media, offer);
      };
      if (call.request.detectMachine && call.media) return this.detectMachine(call, call.media);
      this.emit({ type: 'answered', callId, by: 'person' });
      return;
    }
    if (call.hungUp) return this.release(call);
    if (result.authRejected) this.o.onTrunkAuthRejected?.(result.status);
    this.finish(call, this.outcomeOf(call, result, callId));
  }

  /**
   * Listens to the answered call's parked audio until the detector decides, or until its total
   * analysis time has passed on the clock (audio that never comes), then reports the answer.
   */
  private detectMachine(call: SipCall, media: ParkedMedia): void {
    const detector = new MachineDetector(this.o.scheduler, this.o.machineDetection);
    const timer = this.o.scheduler.after(detector.parameters.totalAnalysisTimeMs, () =>
      this.detected(call, detector.expire()),
    );
    call.detection = { detector, timer };
    media.listen((pcm) => {
      const verdict = detector.push(pcm);
      if (verdict) this.detected(call, verdict);
    });
  }

  private detected(call: SipCall, verdict: MachineDetectionVerdict | undefined): void {
    const detection = call.detection;
    if (!detection) return;
    call.detection = null;
    this.o.scheduler.cancel(detection.timer);
    call.media?.listen(null);
    const callId = call.request.callId;
    if (verdict) this.o.onMachineDetection?.(callId, verdict);
    if (call.hungUp || !this.calls.has(callId)) return;
    // Undecided is a person: a machine put through to an agent costs less than a person hung up on.
    this.emit({ type: 'answered', callId, by: verdict?.result === 'machine' ? 'machine' : 'person' });
  }

  private outcomeOf(
    call: SipCall,
    result: Extract<InviteResult, { kind: 'rejected' }>,
    callId: string,
  ): CallEvent {
    if (result.authRejected) {
      return { type: 'failed', callId, reason: `sip:${result.status} trunk_credentials_rejected` };
    }
    if (result.mediaAnchorFailed) {
      // rtpengine (RTPENGINE_CONTROL) did not anchor the call's media: a fault on our side, logged.
      this.o.onError?.(new Error(result.reason), `call ${callId}`);
      return { type: 'failed', callId, reason: 'media_anchor_failed' };
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

  /**
   * Connects an answered call to an agent's standing leg by third-party call control: both legs
   * re-INVITEd at once with each other's SDP when they use the same codec, else RFC 3725's flow
   * (`join`). With no agent (null: agentless, or a machine given the message), the request's
   * message is played from the parked port and the call hung up after it (`message_played`).
   */
  bridge(callId: string, agentExtension: string | null): void {
    const call = this.calls.get(callId);
    if (!call?.dialog) return;
    if (agentExtension === null) {
      // The message, then our BYE (message-playback.ts); a callee who hangs up first ends it.
      call.playback = this.player.play(call.request.message ?? null, call.media, call.answer, () => {
        call.playback = null;
        if (!this.calls.has(callId) || call.hungUp) return;
        this.hangup(callId);
        this.emit({ type: 'message_played', callId });
      });
      return;
    }
    const leg = this.agents.get(agentExtension);
    if (!leg || leg.state === 'gone') {
      // The engine only routes to agents whose phone is up; one that dropped this instant fails the join.
      this.joinFailed(null, call, new Error(`agent ${agentExtension}'s phone is not connected`));
      return;
    }
    call.agent = leg;
    leg.call = call;
    if (this.relay && leg.state === 'up') {
      // The switch itself: no SIP, nothing to wait for (after the announcement, if the call has one).
      this.announceThenJoin(leg, call).catch((error: unknown) => this.joinFailed(leg, call, error));
      return;
    }
    // A phone still being called (the agent was just made ready: login, resume) is joined once it
    // answers; if it never does, losing the leg ends the call.
    this.onLeg(leg, () => this.join(leg, call).catch((error: unknown) => this.joinFailed(leg, call, error)));
  }

  /**
   * A join refused or failed (either mode): the engine hears `failed` (reason `join_failed`), so the
   * call is not counted as a conversation and the agent is free again; the customer is hung up, the
   * agent's leg returned to parked media. The error is logged.
   */
  private joinFailed(leg: AgentLeg | null, call: SipCall, error: unknown): void {
    this.o.onError?.(error, `agent ${leg?.extension ?? call.request.callId}`);
    this.stopRecording(call, leg);
    if (leg && leg.call === call) {
      leg.call = null;
      if (this.relay && leg.media && leg.state === 'up') {
        call.media?.relayTo(null);
        leg.media.relayTo(null);
        leg.media.idle(this.o.agentIdleAudio ?? null);
      }
    }
    call.agent = null;
    const callId = call.request.callId;
    if (!this.calls.has(callId) || call.hungUp) return;
    this.hangup(callId);
    this.emit({ type: 'failed', callId, reason: 'join_failed' });
  }

  /**
   * Relay mode: the customer's parked port and the agent leg's port forward each other's packets
   * (media-park.ts), each as its own steady stream, transcoded when the legs' codecs differ. Both
   * ports already carry their far ends' media, so the join is a switch inside Outdial.
   */
  private joinByRelay(leg: AgentLeg, call: SipCall): void {
    const customer = call.media;
    const agent = leg.media;
    if (!customer || !agent) throw new Error(`call ${call.request.callId}: no media port to relay`);
    if (!call.answer || !customer.setRemote(call.answer)) {
      throw new Error(
        `customer ${call.request.to} (call ${call.request.callId}) has no G.711 audio to relay`,
      );
    }
    if (!leg.remoteSdp || !agent.setRemote(leg.remoteSdp)) {
      throw new Error(`agent ${leg.extension}'s phone has no G.711 audio to relay`);
    }
    customer.relayTo(agent);
    agent.relayTo(customer);
    call.joined = true;
    this.o.onJoined?.(call.request.callId, 'relay');
    const recording = call.recording;
    // Announced: the recording is open, the customer's side tapped since the announcement began.
    if (recording) agent.tap((frame) => recording.agent(frame));
    else if (!call.recordingAsked) void this.record(call, leg);
  }

  /**
   * Relay mode, a call with an announcement: the agent stays reserved while the announcement plays
   * to the customer from its parked port (`playMessage`, as agentless messages are played) and to
   * the agent's phone from its leg's port (in place of the idle sound: the agent hears what the
   * customer hears, and hears it end as the customer comes on). The recording, opened first, holds
   * it in the agent's channel (what the customer heard: the consent's evidence) and the customer's
   * side from its first word. An announcement that cannot be had is reported and the call joined:
   * the conversation matters more. Without one, the join is at once (synchronously).
   */
  private async announceThenJoin(leg: AgentLeg, call: SipCall): Promise<void> {
    const ref = call.request.announcement;
    const cache = this.o.announcements;
    if (!ref || !cache) return this.joinByRelay(leg, call);
    const [pcm, recording] = await Promise.all([
      cache.get(ref).catch((error: unknown) => {
        this.o.onError?.(error, 'announcement');
        return undefined;
      }),
      this.openRecording(call),
    ]);
    const reserved = () =>
      leg.call === call && call.agent === leg && !call.hungUp && this.calls.has(call.request.callId);
    if (!reserved() || !call.media) return recording?.finish();
    if (recording) {
      call.recording = recording;
      call.media.tap((frame) => recording.customer(frame));
    }
    const remote = call.answer ? remoteAudio(call.answer) : undefined;
    if (!pcm || !remote) {
      this.o.onError?.(
        new Error(
          pcm
            ? `call ${call.request.callId}: the customer's SDP names no G.711 stream to announce to`
            : `announcement ${ref.id} version ${ref.version} is gone`,
        ),
        'announcement',
      );
      return this.joinByRelay(leg, call);
    }
    leg.media?.idle(pcm.samples);
    const playback = playMessage(call.media, remote, pcm, this.o.pacer, Math.random, (frame) =>
      call.recording?.agent(frame),
    );
    call.playback = playback;
    const complete = await playback.done;
    if (call.playback === playback) call.playback = null;
    // Stopped: the call was released (either side hung up, the agent's phone dropped).
    if (!complete || !reserved()) return;
    this.joinByRelay(leg, call);
  }

  /** Asks the sink for the call's recording (once per call); undefined when its campaign does not record. */
  private async openRecording(call: SipCall): Promise<CallRecordingTap | undefined> {
    const sink = this.o.recordings;
    const contactCenterId = call.request.contactCenterId;
    if (!sink || contactCenterId === undefined || call.recordingAsked) return undefined;
    call.recordingAsked = true;
    try {
      return await sink.open(contactCenterId, call.request.callId);
    } catch (error) {
      this.o.onError?.(error, `recording call ${call.request.callId}`);
      return undefined;
    }
  }

  /** Taps both legs' audio into the call's recording, if its campaign records, while it stays joined. */
  private async record(call: SipCall, leg: AgentLeg): Promise<void> {
    const recording = await this.openRecording(call);
    if (!recording) return;
    if (!call.joined || call.agent !== leg || !call.media || !leg.media) {
      // Released while the recording was being opened: nothing to hear.
      await recording.finish();
      return;
    }
    call.recording = recording;
    call.media.tap((frame) => recording.customer(frame));
    leg.media.tap((frame) => recording.agent(frame));
  }

  /** The call is no longer joined: its recording ends with it. */
  private stopRecording(call: SipCall, leg: AgentLeg | null): void {
    const recording = call.recording;
    if (!recording) return;
    call.recording = null;
    call.media?.tap(null);
    leg?.media?.tap(null);
    void recording.finish();
  }

  private onLeg(leg: AgentLeg, work: () => Promise<void>): void {
    leg.work = leg.work
      .then(work)
      .catch((error: unknown) => this.o.onError?.(error, `agent ${leg.extension}`));
  }

  private async join(leg: AgentLeg, call: SipCall): Promise<void> {
    const agentDialog = leg.dialog;
    const customer = call.dialog;
    if (leg.call !== call || call.hungUp || !customer) return;
    if (!agentDialog || leg.state !== 'up') {
      // The leg was let go before its phone answered: nobody to talk to.
      throw new Error(`agent ${leg.extension}'s phone did not answer`);
    }
    if (this.relay) return this.announceThenJoin(leg, call);
    const offers = leg.remoteSdp && call.answer ? oneRoundTripOffers(leg.remoteSdp, call.answer) : undefined;
    if (offers) return this.joinInOneRoundTrip(leg, call, agentDialog, customer, offers);
    return this.joinByRfc3725(leg, call, agentDialog, customer);
  }

  /**
   * Both legs re-INVITEd at once, each with the other's current SDP restricted to the codec both
   * already use (`oneRoundTripOffers`): one round trip instead of two. A leg that refuses keeps its
   * session (RFC 3261 §14.1), still parked; the one that accepted is parked again, so neither sends
   * to a peer that does not listen. An answer that moved its media (another address, port or codec
   * than the other leg was offered) is passed on by one more re-INVITE to the other leg.
   */
  private async joinInOneRoundTrip(
    leg: AgentLeg,
    call: SipCall,
    agentDialog: Dialog,
    customer: Dialog,
    offers: { toAgent: string; toCustomer: string },
  ): Promise<void> {
    const agentWas = audioOf(leg.remoteSdp!);
    const customerWas = audioOf(call.answer!);
    const [agentSide, customerSide] = await Promise.all([
      agentDialog.reinvite(leg.origin.adopt(offers.toAgent)),
      customer.reinvite(call.origin.adopt(offers.toCustomer)),
    ]);
    agentSide.ack(null);
    customerSide.ack(null);
    const agentAnswer = isSuccess(agentSide.response.status) ? agentSide.response.content : '';
    const customerAnswer = isSuccess(customerSide.response.status) ? customerSide.response.content : '';
    if (agentAnswer) leg.remoteSdp = agentAnswer;
    if (customerAnswer) call.answer = customerAnswer;
    if (!agentAnswer || !customerAnswer) {
      await Promise.all([
        agentAnswer && !gone(leg) ? this.parkAgent(leg) : undefined,
        customerAnswer ? this.parkCustomer(call) : undefined,
      ]);
      throw new Error(
        `the join of customer ${call.request.to} (call ${call.request.callId}) to agent ${leg.extension} was refused: ` +
          `agent ${agentSide.response.status}, customer ${customerSide.response.status}`,
      );
    }
    // The customer left meanwhile: its release queued the agent's return to parked media.
    if (leg.call !== call || call.hungUp || customer.ended) return;
    const agentNow = audioOf(agentAnswer);
    const customerNow = audioOf(customerAnswer);
    const updates: Promise<unknown>[] = [];
    if (!sameAudio(agentWas, agentNow) && agentNow) {
      updates.push(this.reoffer(customer, call.origin, restrictToCodec(agentAnswer, agentNow.payloadType)));
    }
    if (!sameAudio(customerWas, customerNow) && customerNow) {
      updates.push(
        this.reoffer(agentDialog, leg.origin, restrictToCodec(customerAnswer, customerNow.payloadType)),
      );
    }
    await Promise.all(updates);
    call.joined = true;
    this.o.onJoined?.(call.request.callId, 'one-round-trip');
  }

  /** Offers one leg the other's new SDP (an answer to a one-round-trip join that moved its media). */
  private async reoffer(dialog: Dialog, origin: SdpOrigin, sdp: string): Promise<void> {
    const result = await dialog.reinvite(origin.adopt(sdp));
    result.ack(null);
    if (!isSuccess(result.response.status)) {
      throw new Error(`a leg refused the other's moved media: ${result.response.status}`);
    }
  }

  /**
   * RFC 3725's flow 1, in turn: the agent's phone is re-INVITEd without SDP, its offer goes to the
   * customer in a re-INVITE, and the customer's answer back in the agent's ACK. Two round trips,
   * but each answer is chosen knowing the other leg's (legs on different codecs, or SDP that is
   * more than one plain audio stream).
   */
  private async joinByRfc3725(
    leg: AgentLeg,
    call: SipCall,
    agentDialog: Dialog,
    customer: Dialog,
  ): Promise<void> {
    const agentSide = await agentDialog.reinvite(null);
    const agentOffer = agentSide.response.content;
    if (agentSide.response.status >= 300 || !agentOffer) {
      agentSide.ack(null);
      throw new Error(`agent ${leg.extension} refused the join: ${agentSide.response.status}`);
    }
    leg.remoteSdp = agentOffer;
    if (leg.call !== call || call.hungUp || customer.ended) {
      // The customer left meanwhile: the agent's offer is answered with our parked media.
      agentSide.ack(leg.media ? leg.origin.next(leg.media) : null);
      return;
    }
    const customerSide = await customer.reinvite(call.origin.adopt(agentOffer));
    customerSide.ack(null);
    const customerAnswer = customerSide.response.content;
    if (customerSide.response.status >= 300 || !customerAnswer) {
      agentSide.ack(leg.media ? leg.origin.next(leg.media) : null);
      throw new Error(
        `customer ${call.request.to} (call ${call.request.callId}) refused the join: ${customerSide.response.status}`,
      );
    }
    call.answer = customerAnswer;
    agentSide.ack(leg.origin.adopt(customerAnswer));
    call.joined = true;
    this.o.onJoined?.(call.request.callId, 'rfc3725');
  }

  /** The agent leg a call is joined to, while both are up; null before the join and after either leaves. */
  private joinedAgentOf(call: SipCall): AgentLeg | null {
    const leg = call.agent;
    if (!call.joined || call.hungUp || !leg || leg.call !== call || leg.state !== 'up') return null;
    return leg;
  }

  private customerSide(call: SipCall): JoinedSide {
    return {
      origin: call.origin,
      dialog: call.dialog,
      remote: call.answer,
      setRemote: (sdp) => (call.answer = sdp),
    };
  }

  private agentSide(leg: AgentLeg): JoinedSide {
    return {
      origin: leg.origin,
      dialog: leg.dialog,
      remote: leg.remoteSdp,
      setRemote: (sdp) => (leg.remoteSdp = sdp),
    };
  }

  /**
   * A re-INVITE from one leg of a joined call (a session refresh, hold, a media move): answering it
   * with our parked media would cut that leg's audio, so the join is kept. The same session offered
   * again (same origin version: RFC 4028's refresh) is answered with what the leg has, unchanged; an
   * offerless one is offered that; a changed offer goes to the other leg by re-INVITE (third-party
   * call control), whose answer is the first leg's, each restamped with its own dialog's origin. A
   * refusal by the other leg refuses the first's re-INVITE (488): both keep their sessions.
   */
  private reinvitedWhileJoined(
    offer: string | undefined,
    from: JoinedSide,
    to: JoinedSide,
  ): string | null | Promise<string | null> {
    if (!offer || (from.remote && sameOrigin(offer, from.remote))) return from.origin.last;
    return this.passOffer(offer, from, to);
  }

  private async passOffer(offer: string, from: JoinedSide, to: JoinedSide): Promise<string | null> {
    if (!to.dialog || to.dialog.ended) return null;
    const before = to.origin.last;
    const result = await to.dialog.reinvite(to.origin.adopt(offer));
    result.ack(null);
    const answer = isSuccess(result.response.status) ? result.response.content : '';
    if (!answer) {
      // Refused: its session is what it was (RFC 3261 §14.1).
      to.origin.last = before;
      this.o.onError?.(
        new Error(`a joined leg refused the other's new offer: ${result.response.status}`),
        're-INVITE while joined',
      );
      return null;
    }
    from.setRemote(offer);
    to.setRemote(answer);
    return from.origin.adopt(answer);
  }

  /**
   * Relay mode, a leg's re-INVITE or UPDATE offer: our port follows its address, and our answer takes
   * the direction RFC 3264 gives (sendonly is answered recvonly, inactive inactive, sendrecv sendrecv),
   * the port set to it: nothing is sent to a phone that holds, what it sends (music on hold) still
   * reaches the other leg; sendrecv resumes.
   */
  private followOffer(origin: SdpOrigin, media: ParkedMedia, offer: string): string {
    media.setRemote(offer);
    const answered = answerDirection(directionOf(offer));
    media.direction(answered);
    return origin.next(media, answered);
  }

  /** The customer is gone: the agent's phone goes back to parked media (silence) for the next call. */
  private park(leg: AgentLeg): void {
    leg.call = null;
    if (this.relay) {
      // Unjoined: the agent hears our idle stream again, on the same port (no SIP).
      leg.media?.relayTo(null);
      if (leg.state === 'up') leg.media?.idle(this.o.agentIdleAudio ?? null);
      return;
    }
    this.onLeg(leg, async () => {
      if (leg.state !== 'up' || !leg.dialog || !leg.media || leg.call) return;
      await this.parkAgent(leg);
    });
  }

  /** Re-INVITEs the agent's phone with our parked media (silence); its answer is its SDP from then on. */
  private async parkAgent(leg: AgentLeg): Promise<void> {
    if (!leg.dialog || !leg.media || leg.dialog.ended) return;
    const result = await leg.dialog.reinvite(leg.origin.next(leg.media));
    result.ack(null);
    if (isSuccess(result.response.status) && result.response.content) leg.remoteSdp = result.response.content;
  }

  /** Re-INVITEs the customer with its parked port again (after a join that only half happened). */
  private async parkCustomer(call: SipCall): Promise<void> {
    const dialog = call.dialog;
    if (!dialog || !call.media || dialog.ended) return;
    const result = await dialog.reinvite(call.origin.next(call.media));
    result.ack(null);
    if (isSuccess(result.response.status) && result.response.content) call.answer = result.response.content;
  }

  /** Records the INVITE's dialog once answered (dialog-records.ts), and forgets it when it ends. */
  private recordLeg(invite: PendingInvite, owner: DialogOwner): void {
    const records = this.o.records!;
    invite.result.then(
      (result) => {
        if (result.kind !== 'answered' || result.dialog.ended) return records.ended(invite.callId);
        records.confirmed(owner, result.dialog);
      },
      () => records.ended(invite.callId),
    );
  }

  private early(sent: Parameters<DialogRecorder['early']>[1], request: PlaceCallRequest): void {
    if (request.contactCenterId === undefined) return;
    this.o.records?.early(
      { contactCenterId: request.contactCenterId, leg: 'customer', callRef: request.callId },
      sent,
    );
  }

  /** Ends what dead engine processes left up on the network (dialog-records.ts). */
  endCallsLeftBy(liveNodes: readonly string[]): Promise<LeftCallEnded[]> {
    return this.o.records?.endLeftBy(liveNodes) ?? Promise.resolve([]);
  }

  agentReady(extension: string, contactCenterId?: number): void {
    const existing = this.agents.get(extension);
    if (existing && existing.state !== 'gone') return;
    const leg: AgentLeg = {
      extension,
      media: null,
      origin: new SdpOrigin(Date.now()),
      dialog: null,
      invite: null,
      state: 'connecting',
      call: null,
      work: Promise.resolve(),
      contactCenterId,
      sipCallId: null,
      remoteSdp: null,
      keepalive: null,
    };
    this.agents.set(extension, leg);
    // Joins wait on the leg's work: the first is its connection.
    leg.work = this.connectAgent(leg).catch((error: unknown) => {
      this.o.onError?.(error, `agent ${extension}`);
      this.agentLost(leg, 'phone_unreachable');
    });
  }

  private async connectAgent(leg: AgentLeg): Promise<void> {
    const { trunk, agentDomain } = this.o;
    if (!agentDomain) throw new Error("no SIP domain for agents' phones (SIP_AGENT_DOMAIN)");
    const { records } = this.o;
    const contactCenterId = leg.contactCenterId;
    // A leg another process left to this phone (it died, or handed the agent over) is ended first:
    // the phone takes one call from us.
    if (records && contactCenterId !== undefined)
      await records.clearAgentPhone(contactCenterId, leg.extension);
    if (gone(leg)) return;
    leg.media = await this.o.media.open();
    if (gone(leg)) return this.dropLegMedia(leg);
    const owner: DialogOwner | null =
      contactCenterId === undefined ? null : { contactCenterId, leg: 'agent', extension: leg.extension };
    leg.invite = this.o.ua.invite({
      to: `sip:${leg.extension}@${agentDomain}`,
      from: { uri: `sip:outdial@${agentDomain}`, name: 'Outdial' },
      ...(trunk.outboundProxy ? { outboundProxy: trunk.outboundProxy } : {}),
      offer: leg.origin.first(leg.media),
      ...(records && owner ? { onEarly: (sent) => records.early(owner, sent) } : {}),
    });
    leg.sipCallId = leg.invite.callId;
    if (records && owner) this.recordLeg(leg.invite, owner);
    const result = await leg.invite.result;
    leg.invite = null;
    if (result.kind !== 'answered') {
      if (result.mediaAnchorFailed) this.o.onError?.(new Error(result.reason), `agent ${leg.extension}`);
      return this.agentLost(leg, 'phone_unreachable');
    }
    if (gone(leg)) {
      void result.dialog.bye();
      records?.ended(result.dialog.callId);
      return this.dropLegMedia(leg);
    }
    leg.dialog = result.dialog;
    leg.state = 'up';
    leg.remoteSdp = result.response.content || null;
    if (this.relay && leg.remoteSdp && leg.media.setRemote(leg.remoteSdp)) {
      // Between calls the phone hears our stream (silence, or the idle tone) from its leg's port.
      if (!leg.call) leg.media.idle(this.o.agentIdleAudio ?? null);
    }
    result.dialog.onReinvite = (offer) => {
      const call = leg.call;
      if (!this.relay && call && this.joinedAgentOf(call) === leg) {
        return this.reinvitedWhileJoined(offer, this.agentSide(leg), this.customerSide(call));
      }
      if (!leg.media) return null;
      if (!offer) return leg.origin.next(leg.media);
      leg.remoteSdp = offer;
      if (!this.relay) return leg.origin.next(leg.media);
      // Relay mode: the phone's media moved (or it only refreshed): our stream follows it; a hold
      // (the agent's phone holding the customer) stops our stream to it until it resumes.
      return this.followOffer(leg.origin, leg.media, offer);
    };
    result.dialog.onBye = () => this.agentLost(leg, 'phone_hung_up');
    this.keepAsking(leg);
  }

  /** Asks the leg's phone, every `agentKeepaliveMs`, whether it is still there (phoneGone). */
  private keepAsking(leg: AgentLeg): void {
    const every = this.o.agentKeepaliveMs;
    if (!every) return;
    leg.keepalive = this.o.scheduler.after(every, () => {
      leg.keepalive = null;
      const dialog = leg.dialog;
      if (leg.state !== 'up' || !dialog || dialog.ended) return;
      void dialog.ping().then((status) => {
        if (leg.state !== 'up' || leg.dialog !== dialog) return;
        if (!phoneGone(status)) return this.keepAsking(leg);
        // Our side of the dialog ends too: the BYE may not get through, the leg is gone either way.
        void dialog.bye();
        this.agentLost(leg, 'phone_hung_up');
      });
    });
  }

  private stopAsking(leg: AgentLeg): void {
    if (leg.keepalive !== null) this.o.scheduler.cancel(leg.keepalive);
    leg.keepalive = null;
  }

  agentGone(extension: string): void {
    const leg = this.agents.get(extension);
    if (!leg) return;
    this.agents.delete(extension);
    leg.state = 'gone';
    this.stopAsking(leg);
    leg.invite?.cancel();
    if (leg.dialog) void leg.dialog.bye();
    if (leg.sipCallId) this.o.records?.ended(leg.sipCallId);
    this.dropLegMedia(leg);
  }

  private agentLost(leg: AgentLeg, reason: AgentDeviceEvent['reason']): void {
    if (leg.state === 'gone') return;
    leg.state = 'gone';
    this.stopAsking(leg);
    if (this.agents.get(leg.extension) === leg) this.agents.delete(leg.extension);
    if (leg.sipCallId) this.o.records?.ended(leg.sipCallId);
    this.dropLegMedia(leg);
    const call = leg.call;
    leg.call = null;
    if (call && this.calls.has(call.request.callId)) {
      // The conversation cannot go on without the agent: the customer is hung up and the call ends.
      call.agent = null;
      this.hangup(call.request.callId);
      this.emit({ type: 'ended', callId: call.request.callId });
    }
    for (const l of this.agentListeners) l({ type: 'device_lost', extension: leg.extension, reason });
  }

  private dropLegMedia(leg: AgentLeg): void {
    leg.media?.close();
    leg.media = null;
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
    call.joined = false;
    this.stopRecording(call, call.agent);
    call.media?.relayTo(null);
    call.playback?.stop();
    call.playback = null;
    if (call.detection) {
      this.o.scheduler.cancel(call.detection.timer);
      call.detection = null;
    }
    const leg = call.agent;
    call.agent = null;
    if (leg && leg.call === call) this.park(leg);
    if (call.ringTimer !== null) this.o.scheduler.cancel(call.ringTimer);
    call.ringTimer = null;
    call.media?.close();
    call.media = null;
    if (call.invite) this.o.records?.ended(call.invite.callId);
    this.calls.delete(call.request.callId);
  }
}
