// Which USDT probes a binary declares, read from its ELF .note.stapsdt section (what
// `readelf -n BINARY | grep -A4 stapsdt` shows), so the exporter attaches only probes that exist:
// bpftrace refuses a whole program when one of its probes is missing.
import { closeSync, openSync, readSync } from 'node:fs';

export interface UsdtProbe {
  provider: string;
  name: string;
  /** Address of the probe's semaphore; 0 when the probe has none. */
  semaphore: bigint;
  /** Where the semaphore is in the file (what /proc/PID/maps offsets count in); undefined when it has none. */
  semaphoreFileOffset?: number;
  /** The argument specs, e.g. `8@%rbx -4@%eax`. */
  args: string;
}

/** `provider:name` of a probe, the form ABI.md and bpftrace use. */
export function probeId(p: { provider: string; name: string }): string {
  return `${p.provider}:${p.name}`;
}

const NT_STAPSDT = 3;
const SHT_NOBITS = 8;

/**
 * The USDT probes a 64-bit little-endian ELF file declares. Throws with a readable message when
 * the file is not such an ELF; returns [] when it simply has no stapsdt notes. Reads only the
 * headers and the note section: a bitcoind binary weighs hundreds of megabytes.
 */
export function readUsdtProbes(file: string): UsdtProbe[] {
  const fd = openSync(file, 'r');
  try {
    const read = (offset: number, length: number) => {
      const buf = Buffer.alloc(length);
      const got = readSync(fd, buf, 0, length, offset);
      if (got !== length) throw new Error('truncated ELF file');
      return buf;
    };
    const header = read(0, 64);
    checkElfHeader(header);
    const shoff = Number(header.readBigUInt64LE(0x28));
    const shentsize = header.readUInt16LE(0x3a);
    const shnum = header.readUInt16LE(0x3c);
    const shstrndx = header.readUInt16LE(0x3e);
    if (shoff === 0 || shstrndx >= shnum) return [];
    const table = read(shoff, shnum * shentsize);
    const section = (i: number) => {
      const at = i * shentsize;
      return {
        name: table.readUInt32LE(at),
        type: table.readUInt32LE(at + 4),
        addr: table.readBigUInt64LE(at + 0x10),
        offset: Number(table.readBigUInt64LE(at + 0x18)),
        size: Number(table.readBigUInt64LE(at + 0x20)),
      };
    };
    const sections = Array.from({ length: shnum }, (_, i) => section(i));
    const nameTable = read(sections[shstrndx].offset, sections[shstrndx].size);
    const notes = sections.find((s) => cString(nameTable, s.name) === '.note.stapsdt');
    if (!notes) return [];
    // A semaphore lives in a section with file contents (bitcoind's .probes, TRACEPOINT_SEMAPHORE).
    const fileOffset = (addr: bigint) => {
      const s = sections.find((c) => c.type !== SHT_NOBITS && c.addr !== 0n && addr >= c.addr && addr < c.addr + BigInt(c.size));
      return s ? s.offset + Number(addr - s.addr) : undefined;
    };
    return parseNotes(read(notes.offset, notes.size)).map((p) => (p.semaphore === 0n ? p : { ...p, semaphoreFileOffset: fileOffset(p.semaphore) }));
  } finally {
    closeSync(fd);
  }
}

function checkElfHeader(header: Buffer): void {
  if (header.readUInt32BE(0) !== 0x7f454c46) throw new Error('not an ELF file');
  // Only ELFCLASS64 little-endian: the platforms bpftrace's USDT support covers (x86-64, arm64).
  if (header[4] !== 2 || header[5] !== 1) throw new Error('not a 64-bit little-endian ELF file');
}

function parseNotes(notes: Buffer): UsdtProbe[] {
  const probes: UsdtProbe[] = [];
  const align4 = (n: number) => (n + 3) & ~3;
  for (let at = 0; at + 12 <= notes.length; ) {
    const namesz = notes.readUInt32LE(at);
    const descsz = notes.readUInt32LE(at + 4);
    const type = notes.readUInt32LE(at + 8);
    const owner = cString(notes, at + 12);
    const desc = at + 12 + align4(namesz);
    if (type === NT_STAPSDT && owner === 'stapsdt') {
      // desc: pc, link-time base of .stapsdt.base, semaphore (3 x 8 bytes), then provider, name, args.
      const semaphore = notes.readBigUInt64LE(desc + 16);
      const provider = cString(notes, desc + 24);
      const name = cString(notes, desc + 24 + provider.length + 1);
      const args = cString(notes, desc + 24 + provider.length + name.length + 2);
      probes.push({ provider, name, semaphore, args });
    }
    at = desc + align4(descsz);
  }
  return probes;
}

function cString(buf: Buffer, at: number): string {
  const end = buf.indexOf(0, at);
  return buf.toString('utf8', at, end < 0 ? buf.length : end);
}
