/**
 * The telephony boundary. A carrier places calls and reports what happens to them; the engine
 * decides everything else. Real back ends (a PBX over AMI/ESL, a CPaaS over webhooks) implement the
 * same interface; the built-in SimulatedCarrier drives tests, demos and benchmarks.
 */
/**
 * A recorded message to play, named in the terms of the carrier's message store (the engine never
 * holds audio): one version of one center's recording. A replaced recording has a new version.
 */
export interface MessageRef {
  /** The contact center whose recording it is. */
  owner: number;
  id: number;
  version: number;
  durationMs: number;
}

export interface PlaceCallRequest {
  callId: string;
  to: string;
  callerId: string | null;
  /** Give up ringing after this long (no_answer). */
  ringTimeoutMs: number;
  /**
   * Answering-machine detection requested: the answer is reported once the carrier has decided
   * (later than the answer itself); without it every answer is a person, reported at once.
   */
  detectMachine: boolean;
  /** The contact center the call is made for: a carrier that records its calls files them under it. */
  contactCenterId?: number;
  /** What `bridge(callId, null)` plays; none: the carrier hangs up at once. */
  message?: MessageRef | null;
  /**
   * Played to the callee before `bridge(callId, agent)` connects the agent (a recording campaign's
   * "this call may be recorded"), by carriers that can; the agent stays reserved for the call
   * meanwhile, so to the engine the call is connected from the bridge on.
   */
  announcement?: MessageRef | null;
}

export type CallEvent =
  | { type: 'ringing'; callId: string }
  | { type: 'answered'; callId: string; by: 'person' | 'machine' }
  | { type: 'no_answer'; callId: string }
  | { type: 'busy'; callId: string }
  | { type: 'invalid_number'; callId: string }
  | { type: 'failed'; callId: string; reason: string }
  /** The far end hung up (after an answer). */
  | { type: 'ended'; callId: string }
  /** `bridge(callId, null)` played the message to its end (or had none to play) and hung up. */
  | { type: 'message_played'; callId: string };

/** A call an engine process left up when it died, ended by another process's carrier. */
export interface LeftCallEnded {
  callId: string;
  /** When it was ended on the wire: its record is closed at this time. */
  endedAt: Date;
}

/** What became of an agent's device, for carriers that hold a standing connection to it. */
export interface AgentDeviceEvent {
  type: 'device_lost';
  extension: string;
  /** Shown as the agent's pause reason: `phone_unreachable` (never connected) or `phone_hung_up`. */
  reason: 'phone_unreachable' | 'phone_hung_up';
}

export interface Carrier {
  placeCall(request: PlaceCallRequest): void;
  /**
   * Connects an answered call to an agent's device; with null, plays the request's message to
   * the callee and then hangs up (`message_played`), unless the callee hangs up first (`ended`).
   */
  bridge(callId: string, agentExtension: string | null): void;
  /** Ends a call from our side (after wrap-up decisions, abandons, or stop). */
  hangup(callId: string): void;
  onEvent(listener: (event: CallEvent) => void): void;
  /**
   * The agent is ready on this process (login, adoption, resume): a carrier that keeps each
   * agent's phone connected between calls connects it now, if it is not already. Idempotent.
   */
  agentReady?(agentExtension: string, contactCenterId?: number): void;
  /** The agent left this process (logout, or handed to another process): drop that connection. */
  agentGone?(agentExtension: string): void;
  /** The agent's device dropped or could not be reached: the engine pauses the agent. */
  onAgentDevice?(listener: (event: AgentDeviceEvent) => void): void;
  /**
   * For a carrier whose calls can outlive the process that placed them (a real network): ends
   * whatever engine processes not in `liveNodes` left up (calls, ringing or answered, and agents'
   * connections), and resolves with the calls ended so far and when, so their records are closed
   * at that time. The engine host calls it before it returns those processes' claims.
   */
  endCallsLeftBy?(liveNodes: readonly string[]): Promise<LeftCallEnded[]>;
}
