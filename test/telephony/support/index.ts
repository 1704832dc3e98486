export {
  requireBinary,
  runTool,
  scratchDir,
  removeScratchDir,
  PeerProcess,
  killAllPeersSync,
} from './peer-process.js';
export { allocateAddress, freeUdpPort, portsFree, udpDrops, waitForSipUdp } from './loopback.js';
export {
  registerExtensions,
  startKamailio,
  KAMAILIO_CONFIG,
  type Kamailio,
  type KamailioOptions,
} from './kamailio.js';
export { startRtpengine, type Rtpengine } from './rtpengine.js';
export {
  FAR_END_NUMBERS,
  placeSippCall,
  SIPP_SCENARIOS,
  sdpAudio,
  startSippAgentPhones,
  startSippFarEnd,
  type FarEndOptions,
  type SippCallOptions,
  type SippCallResult,
  type SippAgentPhones,
  type SippFarEnd,
  type SippStats,
  type ReceivedRequest,
} from './sipp.js';
export {
  AGENT_TONE_HZ,
  analyseFrequency,
  CUSTOMER_TONE_HZ,
  MACHINE_GREETING,
  personWav,
  tonesBySecond,
  PERSON_GREETING,
  speechWav,
  toneWav,
  wavSeconds,
  type FrequencyReport,
} from './audio.js';
export { writeRtpPcap } from './pcap.js';
export { startBaresip, type BaresipEvent, type BaresipOptions, type BaresipPhone } from './baresip.js';
export {
  eventually,
  ok,
  SipCampaignWorld,
  type CallLog,
  type Caller,
  type LogLine,
  type SipAgent,
  type SipCampaignWorldOptions,
  WatchedRecording,
} from './sip-campaign.js';
export { OUTDIAL_TEST_SETTINGS, startOutdial, type OutdialOptions, type OutdialProcess } from './outdial.js';
