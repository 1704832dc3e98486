import { RtpengineError, type RtpengineControl, type RtpengineLeg } from '../media/rtpengine-control.js';

/**
 * Where a dialog's media is anchored, when it is (`RTPENGINE_CONTROL`): every SDP leaving Outdial is
 * rewritten so the far end sends its RTP to the anchor, and every SDP arriving so that Outdial does.
 * Offers and answers are told apart by who made them (the side whose tag is `fromTag`), as rtpengine
 * wants: an offer in a re-INVITE from the far end comes from its tag.
 */
export interface MediaAnchor {
  /** An offer made by `fromTag`'s side, as the other side must see it. */
  offer(leg: RtpengineLeg, sdp: string): Promise<string>;
  /** The answer of `toTag`'s side to `fromTag`'s offer, as `fromTag`'s side must see it. */
  answer(leg: RtpengineLeg & { toTag: string }, sdp: string): Promise<string>;
  /** The call is over: its ports are freed. Never throws (a failure is reported, rtpengine times it out). */
  release(callId: string): void;
}

/**
 * rtpengine's flags for plain SIP toward a trunk or a phone: the SDP's own addresses are trusted (the
 * control requests come from Outdial, not from the media's sender), the origin and session-level
 * connection lines are rewritten with the media lines (a border controller may check they agree),
 * and ICE candidates are stripped (the far end reaches rtpengine directly).
 */
const FLAGS = ['trust-address'];
const REPLACE = ['origin', 'session-connection'];

/** A media anchor at rtpengine, through its ng control protocol. */
export class RtpengineAnchor implements MediaAnchor {
  constructor(
    private readonly control: RtpengineControl,
    private readonly onError?: (error: unknown, callId: string) => void,
  ) {}

  offer(leg: RtpengineLeg, sdp: string): Promise<string> {
    return this.control.offer({ ...leg, sdp, flags: FLAGS, replace: REPLACE, ice: 'remove' });
  }

  answer(leg: RtpengineLeg & { toTag: string }, sdp: string): Promise<string> {
    return this.control.answer({ ...leg, sdp, flags: FLAGS, replace: REPLACE, ice: 'remove' });
  }

  release(callId: string): void {
    this.control.delete({ callId }).catch((error: unknown) => {
      // Already gone (rtpengine timed it out, or a process before us deleted it): nothing to free.
      if (error instanceof RtpengineError && /unknown call/i.test(error.reason)) return;
      this.onError?.(error, callId);
    });
  }
}
