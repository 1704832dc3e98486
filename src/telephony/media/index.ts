export {
  codecOfPayloadType,
  decodeG711,
  encodeG711,
  G711_SAMPLE_RATE,
  PAYLOAD_TYPE,
  type G711Codec,
} from './g711.js';
export { parseRtp, serializeRtp, type RtpPacket } from './rtp.js';
export { readWav, tone, writeWav, type Pcm } from './wav.js';
export {
  realtimePacer,
  RtpEndpoint,
  type AudioFrame,
  type PacketPacer,
  type RtpEndpointOptions,
} from './rtp-endpoint.js';
export {
  DEFAULT_MACHINE_DETECTION,
  MachineDetector,
  type MachineDetectionCause,
  type MachineDetectionParameters,
  type MachineDetectionResult,
  type MachineDetectionVerdict,
} from './amd.js';
export {
  CallRecorder,
  type CallRecorderOptions,
  type PauseSpan,
  type RecordedFrame,
  type RecordedSide,
  type RecordingResult,
} from './call-recorder.js';
