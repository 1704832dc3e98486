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
} from './sipp.js';
export {
  AGENT_TONE_HZ,
  analyseFrequency,
  CUSTOMER_TONE_HZ,
  MACHINE_GREETING,
  PERSON_GREETING,
  speechWav,
  toneWav,
  wavSeconds,
  type FrequencyReport,
} from './audio.js';
export { writeRtpPcap } from './pcap.js';
export { startBaresip, type BaresipEvent, type BaresipOptions, type BaresipPhone } from './baresip.js';
