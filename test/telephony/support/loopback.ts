import fs from 'node:fs';
import dgram from 'node:dgram';
import net from 'node:net';

/**
 * Addresses on 127.0.0.0/8 handed out to peers. Each peer gets an address of its own (never 127.0.0.1), so
 * peers of parallel tests and sessions cannot collide on ports, and Kamailio and the npm `sip` stack never
 * mistake a peer for themselves. The second and third octets are random per process; the fourth counts up.
 */
const base = [2 + Math.floor(Math.random() * 250), Math.floor(Math.random() * 256)];
let next = 2 + Math.floor(Math.random() * 100);

function bindUdp(address: string, port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(undefined);
    });
    socket.bind(port, address, () => {
      const bound = socket.address().port;
      socket.close(() => resolve(bound));
    });
  });
}

function bindTcp(address: string, port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, address, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : undefined;
      server.close(() => resolve(bound));
    });
  });
}

/** True when UDP and TCP on each of these ports can be bound at the address. */
export async function portsFree(address: string, ports: number[]): Promise<boolean> {
  for (const port of ports) {
    if ((await bindUdp(address, port)) === undefined) return false;
    if ((await bindTcp(address, port)) === undefined) return false;
  }
  return true;
}

/**
 * A fresh loopback address on which the given ports are free (UDP and TCP). Tries the next addresses when
 * something already holds one of them.
 */
export async function allocateAddress(ports: number[] = [5060]): Promise<string> {
  for (let attempt = 0; attempt < 50; attempt++) {
    if (next > 254) {
      next = 2;
      base[1] = ((base[1] ?? 0) + 1) % 256;
    }
    const address = `127.${base[0]}.${base[1]}.${next++}`;
    if (await portsFree(address, ports)) return address;
  }
  throw new Error(`no free loopback address found for ports ${ports.join(', ')}`);
}

/** A UDP port the OS reports free on the address (port 0), for peers that are told their port. */
export async function freeUdpPort(address: string): Promise<number> {
  const port = await bindUdp(address, 0);
  if (port === undefined) throw new Error(`cannot bind UDP on ${address}`);
  return port;
}

/** Waits until something answers on a UDP port: a SIP OPTIONS ping gets any reply. */
export async function waitForSipUdp(address: string, port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  const local = socket.address();
  try {
    let answered = false;
    socket.on('message', () => {
      answered = true;
    });
    for (let i = 0; !answered; i++) {
      if (Date.now() > deadline) throw new Error(`nothing answers SIP on udp:${address}:${port}`);
      const callId = `probe-${process.pid}-${Date.now()}-${i}`;
      const options =
        `OPTIONS sip:${address}:${port} SIP/2.0\r\n` +
        `Via: SIP/2.0/UDP ${local.address}:${local.port};branch=z9hG4bK${callId};rport\r\n` +
        `Max-Forwards: 70\r\nTo: <sip:${address}:${port}>\r\n` +
        `From: <sip:probe@${local.address}:${local.port}>;tag=${i}\r\nCall-ID: ${callId}\r\n` +
        `CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`;
      socket.send(options, port, address);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    socket.close();
  }
}

/**
 * Datagrams the kernel dropped so far because a socket bound to this address (and port, if given) had
 * its receive buffer full (Linux /proc/net/udp, summed over the sockets): a peer too slow to read its
 * socket, or one that never reads it.
 */
export function udpDrops(address: string, port?: number): number {
  const hex = address
    .split('.')
    .map((octet) => Number(octet).toString(16).padStart(2, '0'))
    .reverse()
    .join('')
    .toUpperCase();
  let drops = 0;
  for (const line of fs.readFileSync('/proc/net/udp', 'utf8').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    const [host, hexPort] = fields[1]?.split(':') ?? [];
    if (host === hex && (port === undefined || parseInt(hexPort ?? '', 16) === port)) {
      drops += Number(fields.at(-1) ?? 0);
    }
  }
  return drops;
}
