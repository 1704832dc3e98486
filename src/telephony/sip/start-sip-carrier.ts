import type pino from 'pino';
import type { Config } from '../../config.js';
import type { Executor } from '../../db/database.js';
import type { Scheduler } from '../../engine/scheduler.js';
import type { Clock } from '../../seams.js';
import { parseRtpengineTarget, RtpengineControl } from '../media/rtpengine-control.js';
import { SipDialogRecords } from './dialog-records.js';
import { RtpengineAnchor } from './media-anchor.js';
import { ThreadMediaParking } from './media-thread.js';
import { MessageCache, type MessageSource } from './message-playback.js';
import { SipCarrier, type CallRecordingSink } from './sip-carrier.js';
import { SipUserAgent } from './user-agent.js';

export interface RunningSipCarrier {
  carrier: SipCarrier;
  ua: SipUserAgent;
  stop(): Promise<void>;
}

/**
 * The SIP carrier of the configuration (OUTDIAL_CARRIER=sip), its user agent bound and listening.
 * With `recording`, its dialogs are recorded in the database under the engine process's name, and
 * what an earlier process left on this SIP address (this one's previous run) is ended at once.
 */
export async function startSipCarrier(
  config: Config,
  scheduler: Scheduler,
  logger: pino.Logger,
  recording?: { db: Executor; clock: Clock; nodeId: string },
  /** Campaigns' recorded messages (the database, live). */
  messages?: MessageSource,
  /** Where connected calls of recording campaigns are recorded (relay mode). */
  recordings?: CallRecordingSink,
  /** Recording campaigns' announcements, played before the agent is joined (the database, live). */
  announcements?: MessageSource,
): Promise<RunningSipCarrier> {
  const trunkDomain = config.sipTrunkDomain;
  if (!trunkDomain) throw new Error('SIP_TRUNK_DOMAIN is required with OUTDIAL_CARRIER=sip');
  // The media anchor answers at start-up or Outdial does not start: every call would fail on it.
  const control = config.rtpengineControl
    ? await RtpengineControl.connect(parseRtpengineTarget(config.rtpengineControl)).catch(
        (error: unknown) => {
          throw new Error(`RTPENGINE_CONTROL: ${(error as Error).message}`);
        },
      )
    : null;
  const anchor = control
    ? new RtpengineAnchor(control, (error, callId) =>
        logger.error({ err: error, sipCallId: callId }, 'rtpengine did not free a call'),
      )
    : undefined;
  const ua = await SipUserAgent.start({
    address: config.sipBindAddress,
    port: config.sipPort,
    transport: config.sipTrunkTransport,
    ...(anchor ? { anchor } : {}),
    onError: (error) => logger.error({ err: error }, 'SIP stack error'),
    ...(logger.isLevelEnabled('trace')
      ? { trace: (direction, message) => logger.trace({ direction, sip: message }, 'SIP message') }
      : {}),
  }).catch(async (error: unknown) => {
    await control?.close();
    throw error;
  });
  const records = recording
    ? new SipDialogRecords({
        ...recording,
        ua,
        onError: (error, where) => logger.error({ err: error, where }, 'SIP dialog records error'),
      })
    : undefined;
  // Parked ports on a thread of their own: RTP keeps its pace whatever this thread is busy with.
  const media = new ThreadMediaParking(config.sipMediaAddress ?? config.sipBindAddress);
  const carrier = new SipCarrier({
    ua,
    ...(records ? { records } : {}),
    scheduler,
    agentDomain: config.sipAgentDomain ?? null,
    mediaJoin: config.sipMediaJoin,
    agentKeepaliveMs: config.sipAgentKeepaliveSeconds * 1000,
    media,
    ...(messages ? { messages: new MessageCache(messages) } : {}),
    ...(announcements ? { announcements: new MessageCache(announcements) } : {}),
    ...(recordings ? { recordings } : {}),
    trunk: {
      domain: trunkDomain,
      outboundProxy: config.sipOutboundProxy ?? null,
      credentials:
        config.sipTrunkUser && config.sipTrunkPassword
          ? { user: config.sipTrunkUser, password: config.sipTrunkPassword }
          : null,
      fromDomain: config.sipFromDomain ?? trunkDomain.split(':')[0]!,
      defaultCallerId: config.sipDefaultCallerId,
    },
    onError: (error, where) => logger.error({ err: error, where }, 'SIP carrier error'),
    onMachineDetection: (callId, verdict) => logger.debug({ callId, verdict }, 'machine detection'),
    onTrunkAuthRejected: (status) =>
      logger.error(
        { status, trunk: trunkDomain, user: config.sipTrunkUser ?? null },
        'the SIP trunk rejected our credentials (SIP_TRUNK_USER / SIP_TRUNK_PASSWORD): calls fail until they are fixed',
      ),
  });
  logger.info(
    {
      sip: `${config.sipTrunkTransport}:${config.sipBindAddress}:${config.sipPort}`,
      trunk: trunkDomain,
      mediaAnchor: config.rtpengineControl ?? null,
    },
    'SIP carrier listening',
  );
  if (records) {
    const ended = await records.endLeftAtOwnAddress();
    if (ended > 0) logger.warn({ ended }, 'ended the SIP dialogs a previous process left on this address');
  }
  return {
    carrier,
    ua,
    stop: async () => {
      await ua.stop();
      await records?.idle();
      await control?.close();
      await media.close();
    },
  };
}
