import type pino from 'pino';
import type { Config } from '../../config.js';
import type { Scheduler } from '../../engine/scheduler.js';
import { UdpMediaParking } from './media-park.js';
import { MessageCache, type MessageSource } from './message-playback.js';
import { SipCarrier } from './sip-carrier.js';
import { SipUserAgent } from './user-agent.js';

export interface RunningSipCarrier {
  carrier: SipCarrier;
  ua: SipUserAgent;
  stop(): Promise<void>;
}

/** The SIP carrier of the configuration (OUTDIAL_CARRIER=sip), its user agent bound and listening. */
export async function startSipCarrier(
  config: Config,
  scheduler: Scheduler,
  logger: pino.Logger,
  /** Campaigns' recorded messages (the database, live). */
  messages?: MessageSource,
): Promise<RunningSipCarrier> {
  const trunkDomain = config.sipTrunkDomain;
  if (!trunkDomain) throw new Error('SIP_TRUNK_DOMAIN is required with OUTDIAL_CARRIER=sip');
  const ua = await SipUserAgent.start({
    address: config.sipBindAddress,
    port: config.sipPort,
    onError: (error) => logger.error({ err: error }, 'SIP stack error'),
    ...(logger.isLevelEnabled('trace')
      ? { trace: (direction, message) => logger.trace({ direction, sip: message }, 'SIP message') }
      : {}),
  });
  const carrier = new SipCarrier({
    ua,
    scheduler,
    agentDomain: config.sipAgentDomain ?? null,
    media: new UdpMediaParking(config.sipMediaAddress ?? config.sipBindAddress),
    ...(messages ? { messages: new MessageCache(messages) } : {}),
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
    { sip: `udp:${config.sipBindAddress}:${config.sipPort}`, trunk: trunkDomain },
    'SIP carrier listening',
  );
  return { carrier, ua, stop: () => ua.stop() };
}
