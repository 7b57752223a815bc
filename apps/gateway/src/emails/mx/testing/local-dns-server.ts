import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { FakeZone } from './fake-dns-resolver';

const TYPE = { A: 1, MX: 15, AAAA: 28 } as const;
const RCODE: Record<string, number> = { ENODATA: 0, ESERVFAIL: 2, ENOTFOUND: 3, EREFUSED: 5 };

/**
 * A tiny authoritative DNS server on UDP 127.0.0.1 for integration tests: answers MX, A and AAAA from zones
 * (same shape as FakeDnsResolver's), NXDOMAIN for unknown names, NODATA for a missing type, the rcode of an
 * error code, and nothing at all for 'hang'. Lets node's own resolver run against known answers.
 */
export class LocalDnsServer {
  private socket?: Socket;
  readonly queries: string[] = [];
  address = '';

  constructor(private readonly zones: Record<string, FakeZone>) {}

  async start(): Promise<this> {
    const socket = createSocket('udp4');
    this.socket = socket;
    socket.on('message', (msg, peer) => this.answer(msg, peer));
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    this.address = `127.0.0.1:${socket.address().port}`;
    return this;
  }

  set(name: string, zone: FakeZone): void {
    this.zones[name] = zone;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.socket ? this.socket.close(() => resolve()) : resolve()));
  }

  private answer(query: Buffer, peer: RemoteInfo): void {
    let offset = 12;
    const labels: string[] = [];
    while (query[offset] !== 0) {
      labels.push(query.subarray(offset + 1, offset + 1 + query[offset]).toString('ascii'));
      offset += query[offset] + 1;
    }
    const questionEnd = offset + 5;
    const qtype = query.readUInt16BE(offset + 1);
    const name = labels.join('.').toLowerCase();
    const type = qtype === TYPE.MX ? 'mx' : qtype === TYPE.A ? 'a' : qtype === TYPE.AAAA ? 'aaaa' : undefined;
    this.queries.push(`${type ?? qtype} ${name}`);
    const zone = this.zones[name];
    const data = zone && type ? zone[type] : undefined;
    if (data === 'hang') return;
    let rcode = 0;
    let answers: Buffer[] = [];
    if (!zone) rcode = RCODE.ENOTFOUND;
    else if (typeof data === 'string') rcode = RCODE[data] ?? RCODE.ESERVFAIL;
    else if (data) answers = data.map((record) => answerRecord(qtype, record));

    const header = Buffer.alloc(12);
    query.copy(header, 0, 0, 2);
    header.writeUInt16BE(0x8000 | 0x0400 | (query.readUInt16BE(2) & 0x0100) | 0x0080 | rcode, 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length, 6);
    this.socket?.send(Buffer.concat([header, query.subarray(12, questionEnd), ...answers]), peer.port, peer.address);
  }
}

function answerRecord(qtype: number, record: string | { exchange: string; priority: number }): Buffer {
  const rdata =
    typeof record === 'object'
      ? Buffer.concat([u16(record.priority), encodeName(record.exchange)])
      : qtype === TYPE.A
        ? Buffer.from(record.split('.').map(Number))
        : ipv6Bytes(record);
  // Name: a pointer to the question's name at offset 12; class IN; TTL 60.
  return Buffer.concat([u16(0xc00c), u16(qtype), u16(1), Buffer.from([0, 0, 0, 60]), u16(rdata.length), rdata]);
}

function encodeName(name: string): Buffer {
  const labels = name.replace(/\.$/, '').split('.').filter(Boolean);
  return Buffer.concat([
    ...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'ascii')])),
    Buffer.from([0]),
  ]);
}

function ipv6Bytes(address: string): Buffer {
  if (!isIPv6(address)) throw new Error(`not IPv6: ${address}`);
  const [head, tail = ''] = address.split('::');
  const headParts = head ? head.split(':') : [];
  const tailParts = tail ? tail.split(':') : [];
  const groups = [...headParts, ...Array(8 - headParts.length - tailParts.length).fill('0'), ...tailParts];
  return Buffer.concat(groups.map((g) => u16(parseInt(g, 16))));
}

function u16(value: number): Buffer {
  const buffer = Buffer.alloc(2);
  buffer.writeUInt16BE(value);
  return buffer;
}
