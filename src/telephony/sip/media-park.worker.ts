// The media thread of a SIP carrier (media-thread.ts): every parked port of the process lives here,
// with its idle stream and its relay to another port, so that RTP is paced and switched by an event
// loop that nothing else blocks. The main thread drives it by messages and hears back the far ends'
// source addresses and, for the ports it listens to, their decoded audio.
import { parentPort, workerData } from 'node:worker_threads';
import { UdpMediaParking, type ParkedMedia } from './media-park.js';
import type { FromMediaThread, ToMediaThread } from './media-thread.js';

const port = parentPort!;
const parking = new UdpMediaParking((workerData as { address: string }).address);
const ports = new Map<number, ParkedMedia>();
const tell = (message: FromMediaThread) => port.postMessage(message);

port.on('message', (m: ToMediaThread) => {
  if (m.op === 'open') {
    parking
      .open((source) => tell({ op: 'source', id: m.id, ...source }))
      .then(
        (media) => {
          ports.set(m.id, media);
          tell({ op: 'opened', id: m.id, port: media.port });
        },
        (error: unknown) => tell({ op: 'failed', id: m.id, message: (error as Error).message }),
      );
    return;
  }
  const media = ports.get(m.id);
  if (!media) return;
  switch (m.op) {
    case 'setRemote':
      media.setRemote(m.sdp);
      break;
    case 'idle':
      media.idle(m.stop ? undefined : m.audio);
      break;
    case 'direction':
      media.direction(m.ours);
      break;
    case 'relayTo':
      media.relayTo(m.peer === null ? null : (ports.get(m.peer) ?? null));
      break;
    case 'hear':
      media.tap(
        m.on
          ? (frame) =>
              tell({
                op: 'frame',
                id: m.id,
                samples: frame.samples,
                timestamp: frame.timestamp,
                ssrc: frame.ssrc,
              })
          : null,
      );
      break;
    case 'send':
      media.send(m.datagram, m.address, m.port);
      break;
    case 'close':
      media.close();
      ports.delete(m.id);
      break;
  }
});
